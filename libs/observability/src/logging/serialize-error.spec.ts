import { stdSerializers } from 'pino';
import { serializeError } from './serialize-error';

describe(serializeError.name, () => {
  const failedInsert = () =>
    Object.assign(new Error('duplicate key value'), {
      parameters: ['R-1', 'Nguyễn Văn A', '0912345678'],
      detail: 'Key (phone)=(0912345678) already exists.',
      code: '23505',
      context: { reporter: { phone: '0912345678' }, table: 'reports' },
    });

  it('keeps type, message, stack and safe properties, drops leaky ones and redacts the rest', () => {
    const sut = serializeError(failedInsert());

    expect(sut).toEqual({
      type: 'Error',
      message: 'duplicate key value',
      stack: expect.stringContaining('Error: duplicate key value'),
      code: '23505',
      context: { reporter: '[REDACTED]', table: 'reports' },
    });
  });

  it('cleans an error pino-http has already serialized', () => {
    const sut = serializeError(stdSerializers.err(failedInsert()));

    expect(sut).toMatchObject({ type: 'Error', code: '23505', context: { reporter: '[REDACTED]' } });
    expect(JSON.stringify(sut)).not.toContain('0912345678');
  });
});
