import { InvalidTokenError, MissingCredentialsError } from '../auth.errors';
import { bearerTokenFrom, MAX_TOKEN_LENGTH } from './bearer';

describe(bearerTokenFrom.name, () => {
  it('extracts the token of a Bearer header, scheme in any case', () => {
    expect(bearerTokenFrom('Bearer aaa.bbb.ccc')).toBe('aaa.bbb.ccc');
    expect(bearerTokenFrom('bearer aaa.bbb-_.ccc')).toBe('aaa.bbb-_.ccc');
  });

  it.each([undefined, ''])('asks for credentials when the header is %j', (header) => {
    expect(() => bearerTokenFrom(header)).toThrow(MissingCredentialsError);
  });

  it.each([
    ['Basic dXNlcjpwYXNz'],
    ['Bearer'],
    ['Bearer '],
    ['Bearer a b'],
    ['Bearer a,b'],
    ['Token aaa.bbb.ccc'],
    ['aaa.bbb.ccc'],
    ['Bearer aaa\u0000.bbb'],
    ['Bearer ' + 'é'.repeat(10)],
  ])('rejects the garbage header %j', (header) => {
    expect(() => bearerTokenFrom(header)).toThrow(InvalidTokenError);
  });

  it('rejects repeated headers', () => {
    expect(() => bearerTokenFrom(['Bearer a', 'Bearer b'])).toThrow(InvalidTokenError);
  });

  it('rejects an oversized token before looking at it', () => {
    const sut = () => bearerTokenFrom(`Bearer ${'a'.repeat(MAX_TOKEN_LENGTH + 1)}`);

    expect(sut).toThrow(new InvalidTokenError('Token too large'));
  });
});
