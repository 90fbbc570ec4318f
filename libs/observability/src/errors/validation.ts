import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { type FieldError, ValidationFailedError } from './ioc-error';
import { unsafeInputFields } from './input-safety';

/**
 * Flattens class-validator errors into dotted field paths (`location.lat`) with their constraint
 * messages. The rejected value is never copied: it may be a reporter's name or phone.
 */
export function fieldErrorsOf(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrorsOf(error.children ?? [], field)];
  });
}

/**
 * The validation pipe of every service. Before any DTO rule it refuses, for every body, query and path
 * parameter whatever its declared type, what no handler should see ({@link unsafeInputFields}): text a
 * PostgreSQL `text` column cannot hold, prototype property names, values nested too deep to walk safely.
 */
class IocValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const unsafe = unsafeInputFields(value, metadata.data ?? '');
      if (unsafe.length > 0) throw new ValidationFailedError(unsafe);
    }
    return super.transform(value, metadata);
  }
}

/**
 * A ValidationPipe that refuses unsafe input (see {@link IocValidationPipe}), whitelists properties,
 * transforms payloads to their DTO classes and fails with {@link ValidationFailedError}
 * (`VALIDATION.FAILED` with the field list).
 */
export function iocValidationPipe(options: ValidationPipeOptions = {}): ValidationPipe {
  return new IocValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    ...options,
    exceptionFactory: (errors) => new ValidationFailedError(fieldErrorsOf(errors)),
  });
}
