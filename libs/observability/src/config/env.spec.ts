import { z } from 'zod';
import { parseDuration } from './duration';
import { envBool, envDuration, envInt, envList, envUrl, isTimeZone } from './env';

function parse<T>(schema: z.ZodType<T>, value: string): T | string {
  const result = schema.safeParse(value);
  return result.success ? result.data : result.error.issues[0].message;
}

describe(parseDuration.name, () => {
  it.each([
    ['250', 250],
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5s', 1_500],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    [' 10s ', 10_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'soon', '10 s', '-5s', '1w', 's', '1e3'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe(envInt.name, () => {
  it.each([
    ['42', 42],
    ['-3', -3],
    ['4.2', 'must be an integer'],
    ['abc', 'must be an integer'],
    ['9007199254740993', 'must be an integer'],
  ])('unbounded %j → %j', (text, expected) => {
    expect(parse(envInt(), text)).toBe(expected);
  });

  it.each([
    ['0', 'must be an integer of at least 1'],
    ['1', 1],
  ])('with a minimum %j → %j', (text, expected) => {
    expect(parse(envInt({ min: 1 }), text)).toBe(expected);
  });

  it('with a maximum words the bound', () => {
    expect(parse(envInt({ max: 10 }), '11')).toBe('must be an integer of at most 10');
  });
});

describe(envBool.name, () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['No', false],
    ['off', false],
    ['maybe', 'must be true or false'],
  ])('%j → %j', (text, expected) => {
    expect(parse(envBool(), text)).toBe(expected);
  });
});

describe(envDuration.name, () => {
  it('parses to milliseconds within bounds', () => {
    expect(parse(envDuration({ min: 1_000, max: 60_000 }), '30s')).toBe(30_000);
    expect(parse(envDuration({ min: 1_000 }), '10ms')).toBe(
      'must be a duration such as 500ms, 30s, 5m or 1h of at least 1s',
    );
    expect(parse(envDuration({ min: 60_000, max: 365 * 86_400_000 }), '10s')).toBe(
      'must be a duration such as 500ms, 30s, 5m or 1h between 1m and 365d',
    );
    expect(parse(envDuration({ max: 90_000 }), 'soon')).toBe(
      'must be a duration such as 500ms, 30s, 5m or 1h of at most 90s',
    );
  });
});

describe(envList.name, () => {
  it('splits, trims and drops empty items', () => {
    expect(parse(envList(), ' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(parse(envList(), ' , ')).toBe('must be a comma-separated list');
  });
});

describe(envUrl.name, () => {
  it('accepts only the listed schemes', () => {
    const sut = envUrl(['https:']);

    expect(parse(sut, 'https://idp.example.org/jwks')).toBe('https://idp.example.org/jwks');
    expect(parse(sut, 'http://idp.example.org/jwks')).toBe('must be a URL (https)');
    expect(parse(sut, 'not a url')).toBe('must be a URL (https)');
  });
});

describe(isTimeZone.name, () => {
  it.each([
    ['Asia/Ho_Chi_Minh', true],
    ['Europe/Paris', true],
    ['UTC', true],
    ['Asia/Hai_Phong', false],
    ['', false],
  ])('%j → %j', (zone, expected) => {
    expect(isTimeZone(zone)).toBe(expected);
  });
});
