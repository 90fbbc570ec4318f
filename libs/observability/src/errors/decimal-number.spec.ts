import { plainToInstance } from 'class-transformer';
import { DecimalNumber, decimalNumber } from './decimal-number';

class Query {
  @DecimalNumber() limit?: unknown;
}

describe(decimalNumber.name, () => {
  it.each([
    ['20', 20],
    ['-106.69', -106.69],
    ['0', 0],
    ['0.5', 0.5],
    ['1e3', 1000],
    ['2.5E-2', 0.025],
  ])('reads %j as %d', (text, value) => {
    expect(decimalNumber(text)).toBe(value);
  });

  it.each([
    '',
    ' ',
    ' 7',
    '7 ',
    '0x14',
    '0b11',
    '0o7',
    '+1',
    '.5',
    '5.',
    '007',
    '1_000',
    'Infinity',
    'NaN',
    '1e',
    '٣',
  ])('reads nothing from %j', (text) => {
    expect(decimalNumber(text)).toBeUndefined();
  });
});

describe(DecimalNumber.name, () => {
  it.each([
    [{ limit: '16' }, 16],
    [{ limit: '0x10' }, '0x10'],
    [{ limit: '' }, ''],
    [{ limit: 12 }, 12],
    [{ limit: ['1', '2'] }, ['1', '2']],
  ])('turns %j into %j', (plain, limit) => {
    expect(plainToInstance(Query, plain).limit).toEqual(limit);
  });
});
