import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, ValidateNested } from 'class-validator';
import { ValidationFailedError } from './ioc-error';
import { iocValidationPipe } from './validation';

class Location {
  @IsInt() @Max(90) lat!: number;
}
class Reporter {
  @IsString() @Length(2, 80) name!: string;
}
class CreateReport {
  @IsString() title!: string;
  @ValidateNested() @Type(() => Location) location!: Location;
  @IsOptional() @ValidateNested() @Type(() => Reporter) reporter?: Reporter;
}

async function rejectionOf(body: unknown): Promise<ValidationFailedError> {
  const sut = iocValidationPipe();
  const error: unknown = await sut.transform(body, { type: 'body', metatype: CreateReport }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ValidationFailedError))
    throw new Error(`expected ValidationFailedError, got ${String(error)}`);
  return error;
}

describe(iocValidationPipe.name, () => {
  it('fails with every field as a dotted path and its constraints', async () => {
    const error = await rejectionOf({ title: 1, location: { lat: 91 }, reporter: { name: 'A' } });

    expect(error.code).toBe('VALIDATION.FAILED');
    expect(error.fields).toEqual([
      { field: 'title', message: 'title must be a string' },
      { field: 'location.lat', message: 'lat must not be greater than 90' },
      { field: 'reporter.name', message: 'name must be longer than or equal to 2 characters' },
    ]);
  });

  it('never copies the rejected values', async () => {
    const error = await rejectionOf({
      title: 'ok',
      location: { lat: 1 },
      reporter: { name: 'X' },
      phone: '0912345678',
    });

    expect(JSON.stringify(error.details)).not.toMatch(/0912345678|"X"/);
    expect(error.fields).toContainEqual({ field: 'phone', message: 'property phone should not exist' });
  });

  it('refuses a value nested 10,000 deep before any recursive step can overflow the stack', async () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];

    const error = await rejectionOf({ title: 'ok', location: { lat: 1 }, extra: deep });

    expect(error.fields).toEqual([
      {
        field:
          'extra.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0',
        message: expect.stringContaining('nested deeper than 64 levels'),
      },
    ]);
  });

  it.each([
    ['a body field', { title: 'a\u0000b', location: { lat: 1 } }, 'title'],
    ['a nested field', { title: 'ok', location: { lat: 1 }, reporter: { name: '\uD83D' } }, 'reporter.name'],
    ['a property name', { title: 'ok', location: { lat: 1 }, ['x\u0000']: 1 }, 'x\\u0000'],
    [
      '__proto__',
      JSON.parse('{"title":"ok","location":{"lat":1},"__proto__":{"polluted":true}}'),
      '__proto__',
    ],
    ['hasOwnProperty', { title: 'ok', location: { lat: 1 }, hasOwnProperty: 1 }, 'hasOwnProperty'],
  ])('refuses %s that no service should see, naming it', async (_case, body, field) => {
    const error = await rejectionOf(body);

    expect(error.fields).toEqual([{ field, message: expect.any(String) }]);
  });

  it('checks path parameters and queries by their name', async () => {
    const sut = iocValidationPipe();

    const thrown = await sut
      .transform('a\u0000', { type: 'param', data: 'id', metatype: String })
      .catch((e: unknown) => e);

    expect(thrown).toBeInstanceOf(ValidationFailedError);
    expect((thrown as ValidationFailedError).fields).toEqual([
      { field: 'id', message: 'id must not contain U+0000 or an unpaired surrogate' },
    ]);
  });

  it('leaves values of custom decorators (the principal, uploaded files) alone', async () => {
    const sut = iocValidationPipe();
    const principal = { subject: 'a\u0000' };

    await expect(sut.transform(principal, { type: 'custom' })).resolves.toBe(principal);
  });

  it('transforms a valid body into its DTO', async () => {
    const sut = iocValidationPipe();

    const dto: unknown = await sut.transform(
      { title: 'Pothole', location: { lat: 20 } },
      { type: 'body', metatype: CreateReport },
    );

    expect(dto).toBeInstanceOf(CreateReport);
  });
});
