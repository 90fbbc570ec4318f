import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { type FieldError, ValidationFailedError } from './ioc-error';

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
 * A ValidationPipe that whitelists properties, transforms payloads to their DTO classes and fails
 * with {@link ValidationFailedError} (`VALIDATION.FAILED` with the field list).
 */
export function iocValidationPipe(options: ValidationPipeOptions = {}): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    ...options,
    exceptionFactory: (errors) => new ValidationFailedError(fieldErrorsOf(errors)),
  });
}
