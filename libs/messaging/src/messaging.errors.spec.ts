import {
  ConflictError,
  InternalError,
  NotFoundError,
  RateLimitedError,
  ServiceUnavailableError,
  ValidationFailedError,
} from '@ioc/observability';
import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import {
  classifyFailure,
  describeError,
  MessagingError,
  PoisonMessageError,
  RetriesExhaustedError,
} from './messaging.errors';

/** A Postgres error as node-postgres raises it, with the fields the server sent. */
function pgError(code: string, message: string, fields: Partial<DatabaseError> = {}): DatabaseError {
  return Object.assign(new DatabaseError(message, message.length, 'error'), {
    severity: 'ERROR',
    code,
    ...fields,
  });
}

/** The same as TypeORM hands it to a handler's caller. */
const viaTypeOrm = (error: DatabaseError) => new QueryFailedError('INSERT …', ['secret'], error);

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
      ['22021', 'data_exception', pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
      ['22001', 'data_exception', pgError('22001', 'value too long for type character varying(16)')],
      ['22P02', 'data_exception', pgError('22P02', 'invalid input syntax for type integer: "12a"')],
      [
        '23505',
        'integrity_violation',
        pgError('23505', 'duplicate key value violates unique constraint "k"'),
      ],
      ['23514', 'integrity_violation', pgError('23514', 'new row violates check constraint "c"')],
    ])(
      'treats SQLSTATE %s as poison naming its class and state, however it is wrapped',
      (state, className, error) => {
        const reason = `db.${className}.${state}`;
        for (const wrapped of [
          error,
          viaTypeOrm(error),
          new InternalError('could not save', { cause: viaTypeOrm(error) }),
          new Error('handler failed', { cause: error }),
        ]) {
          expect(classifyFailure(wrapped)).toMatchObject({ kind: 'poison', reason });
        }
      },
    );

    it('says where a database error happened from the fields Postgres names, never from row values', () => {
      const error = pgError('23505', 'duplicate key value violates unique constraint "reports_phone_key"', {
        table: 'reports',
        constraint: 'reports_phone_key',
        detail: 'Key (reporter_phone)=(0912345678) already exists.',
      });

      const verdict = classifyFailure(viaTypeOrm(error));

      expect(verdict).toEqual({
        kind: 'poison',
        reason: 'db.integrity_violation.23505',
        detail: expect.stringMatching(
          /^SQLSTATE 23505 \(table reports, constraint reports_phone_key\): duplicate key value/,
        ) as string,
      });
      expect(JSON.stringify(verdict)).not.toContain('0912345678');
    });

    it.each([
      ['a connection failure (08006)', viaTypeOrm(pgError('08006', 'connection failure'))],
      ['the server shutting down (57P01)', viaTypeOrm(pgError('57P01', 'terminating connection'))],
      ['the server not accepting connections yet (57P03)', pgError('57P03', 'the database is starting up')],
      ['too many connections (53300)', pgError('53300', 'sorry, too many clients already')],
      ['a serialization failure (40001)', viaTypeOrm(pgError('40001', 'could not serialize access'))],
      ['a deadlock (40P01)', viaTypeOrm(pgError('40P01', 'deadlock detected'))],
      ['a lock timeout (55P03)', pgError('55P03', 'could not obtain lock')],
      [
        'a missing table: the deployment, not the message (42P01)',
        pgError('42P01', 'relation does not exist'),
      ],
      [
        'a refused socket',
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ],
      [
        'a reset socket, wrapped',
        new InternalError('x', { cause: Object.assign(new Error('read'), { code: 'ECONNRESET' }) }),
      ],
      [
        'a connection node-postgres lost',
        viaTypeOrm(new Error('Connection terminated unexpectedly') as DatabaseError),
      ],
      [
        'a client node-postgres cannot use',
        new Error('Client has encountered a connection error and is not queryable'),
      ],
      ['a pool with no free connection', new Error('timeout exceeded when trying to connect')],
      ['a broker connection error', new KafkaJSConnectionError('Connection error')],
      [
        'a broker that kept failing',
        new KafkaJSNumberOfRetriesExceeded(new Error('x'), { retryCount: 5, retryTime: 100 }),
      ],
      ['an unavailable dependency', new ServiceUnavailableError()],
      ['a rate limit', new RateLimitedError()],
    ])('treats %s as transient', (_case, error) => {
      expect(classifyFailure(error)).toEqual({ kind: 'transient' });
    });

    it.each([
      ['a programming error', new TypeError('x is undefined'), 'TypeError'],
      ['a thrown string', 'boom', 'string'],
      [
        'a messaging error that is not poison',
        new MessagingError('MESSAGING.X', 'x'),
        'MessagingError(MESSAGING.X)',
      ],
      [
        'a cancelled statement (57014), maybe slow because of its data',
        viaTypeOrm(pgError('57014', 'canceling statement due to statement timeout')),
        'QueryFailedError(57014)',
      ],
    ])('suspects %s: poison once it recurs alone, named but never quoted', (_case, error, detail) => {
      expect(classifyFailure(error)).toEqual({ kind: 'poison', reason: 'handler.failed', detail });
    });

    it('suspects a conflict too (a stale version passes on the retry alone), with its code', () => {
      const error = new ConflictError('stale version');

      expect(classifyFailure(error)).toEqual({
        kind: 'poison',
        reason: 'RESOURCE.CONFLICT',
        detail: 'stale version',
      });
    });

    it('takes the handler at its word: a PoisonMessageError is poison whatever it wraps', () => {
      const error = new PoisonMessageError('CAMERA.UNKNOWN', 'not registered', {
        cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }),
      });

      expect(classifyFailure(error)).toMatchObject({ kind: 'poison', reason: 'CAMERA.UNKNOWN' });
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
