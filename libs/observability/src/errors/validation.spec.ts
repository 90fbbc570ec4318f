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

  it('transforms a valid body into its DTO', async () => {
    const sut = iocValidationPipe();

    const dto: unknown = await sut.transform(
      { title: 'Pothole', location: { lat: 20 } },
      { type: 'body', metatype: CreateReport },
    );

    expect(dto).toBeInstanceOf(CreateReport);
  });
});
