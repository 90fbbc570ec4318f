import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
  ValidationFailedError,
} from '@ioc/observability';
import { QueryFailedError } from 'typeorm';
import {
  classifyFailure,
  describeError,
  MessagingError,
  PoisonMessageError,
  RetriesExhaustedError,
} from './messaging.errors';

class UnknownCameraError extends PoisonMessageError {
  constructor() {
    super('CAMERA.UNKNOWN', 'camera is not in the registry');
  }
}

describe('messaging errors', () => {
  describe(classifyFailure.name, () => {
    it('treats a PoisonMessageError (and its subclasses) as poison, with its code as reason', () => {
      expect(classifyFailure(new UnknownCameraError())).toEqual({
        kind: 'poison',
        reason: 'CAMERA.UNKNOWN',
        detail: 'camera is not in the registry',
      });
    });

    it.each([
      [
        'not found',
        new NotFoundError('camera is not registered', { code: 'CAMERA.UNKNOWN' }),
        'CAMERA.UNKNOWN',
      ],
      [
        'validation',
        new ValidationFailedError([{ field: 'confidence', message: 'too high' }]),
        'VALIDATION.FAILED',
      ],
    ])('treats a domain error of kind %s as poison', (_kind, error, reason) => {
      expect(classifyFailure(error)).toEqual({ kind: 'poison', reason, detail: error.message });
    });

    it.each([
      ['a database failure', new QueryFailedError('INSERT …', [], new Error('connection terminated'))],
      ['a programming error', new TypeError('x is undefined')],
      ['a messaging error that is not poison', new MessagingError('MESSAGING.X', 'x')],
      ['a thrown string', 'boom'],
      ['a conflict, which a retry may resolve (stale version)', new ConflictError('stale version')],
      ['an unavailable dependency', new ServiceUnavailableError()],
    ])('treats %s as transient', (_case, error) => {
      expect(classifyFailure(error)).toEqual({ kind: 'transient' });
    });
  });

  describe(PoisonMessageError.name, () => {
    it.each(['', 'has space', 'x'.repeat(65), '1STARTS.WITH.DIGIT'])('refuses the code %j', (code) => {
      expect(() => new PoisonMessageError(code, 'm')).toThrow(
        expect.objectContaining({ code: 'MESSAGING.INVALID_POISON_CODE' }) as unknown as Error,
      );
    });
  });

  describe(describeError.name, () => {
    it('names the error and its code but never repeats its message, which may quote row values', () => {
      const driverError = Object.assign(new Error('Key (phone)=(0912345678) already exists'), {
        code: '23505',
      });

      expect(describeError(driverError)).toBe('Error(23505)');
      expect(describeError(new TypeError('the phone 0912345678 is bad'))).toBe('TypeError');
      expect(describeError(42)).toBe('number');
    });
  });

  describe(RetriesExhaustedError.name, () => {
    it('is retriable for kafkajs, so the consumer restarts instead of dying, and keeps the cause', () => {
      const cause = Object.assign(new Error('secret 0912345678'), { code: 'ECONNREFUSED' });
      const sut = new RetriesExhaustedError(8, cause);

      expect(sut.retriable).toBe(true);
      expect(sut.cause).toBe(cause);
      expect(sut.message).toBe('gave up after 8 attempts: Error(ECONNREFUSED)');
    });
  });
});
