import { pgArrayLiteral } from './array-literal';

describe(pgArrayLiteral.name, () => {
  it('writes plain elements as they are and NULL for null and undefined', () => {
    expect(pgArrayLiteral(['report.answered', 'ward', '2026-01-31T17:00:00.000Z', null, undefined])).toBe(
      '{report.answered,ward,2026-01-31T17:00:00.000Z,NULL,NULL}',
    );
  });

  it('writes numbers and booleans as their text', () => {
    expect(pgArrayLiteral([0, -0, -1.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY, true, false])).toBe(
      '{0,-0,-1.5,1e+21,NaN,Infinity,true,false}',
    );
  });

  it.each([
    ['empty', '', '""'],
    ['a delimiter', 'a,b', '"a,b"'],
    ['braces', '{1,NULL}', '"{1,NULL}"'],
    ['a quote', 'say "hi"', '"say \\"hi\\""'],
    ['a backslash', 'a\\b', '"a\\\\b"'],
    ['leading white space', ' x', '" x"'],
    ['a tab', 'a\tb', '"a\tb"'],
    ['the word NULL', 'null', '"null"'],
    ['NULL in capitals', 'NULL', '"NULL"'],
  ])('quotes an element with %s', (_case, text, literal) => {
    expect(pgArrayLiteral([text])).toBe(`{${literal}}`);
  });

  it('leaves non-ASCII text unquoted', () => {
    expect(pgArrayLiteral(['Hải_Phòng', '🚦', 'a\u0301'])).toBe('{Hải_Phòng,🚦,a\u0301}');
  });

  it('writes an empty array', () => {
    expect(pgArrayLiteral([])).toBe('{}');
  });
});
