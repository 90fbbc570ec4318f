import { RecordSender, type OutboundRecord } from '../producer/record-sender';
import { DlqHeaders } from './dead-letter.message';
import { DeadLetterPublisher } from './dead-letter.publisher';

class FakeSender extends RecordSender {
  readonly sent: OutboundRecord[][] = [];
  failWith: Error | undefined;

  async sendRecords(records: readonly OutboundRecord[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push([...records]);
  }
}

describe(DeadLetterPublisher.name, () => {
  const at = new Date('2026-01-02T03:04:05.000Z');
  const letter = {
    consumer: 'kpi',
    topic: 'ioc.reports.events.x',
    partition: 1,
    offset: '9',
    message: { key: Buffer.from('r-1'), value: Buffer.from('nope') },
    reason: 'payload.not_json',
    detail: 'record value is not valid JSON',
  };

  it('sends every letter to the DLQ topic in one acknowledged call', async () => {
    const sender = new FakeSender();
    const sut = new DeadLetterPublisher(sender, { topic: 'ioc.dlq.x', clock: () => at });

    await sut.publish([letter, { ...letter, offset: '10' }]);

    expect(sender.sent).toHaveLength(1);
    expect(
      sender.sent[0].map((r) => [r.topic, r.headers[DlqHeaders.sourceOffset], r.headers[DlqHeaders.at]]),
    ).toEqual([
      ['ioc.dlq.x', '9', '2026-01-02T03:04:05.000Z'],
      ['ioc.dlq.x', '10', '2026-01-02T03:04:05.000Z'],
    ]);
  });

  it('fails when the broker does not acknowledge, so the consumer does not move on', async () => {
    const sender = new FakeSender();
    sender.failWith = new Error('broker down');
    const sut = new DeadLetterPublisher(sender, { topic: 'ioc.dlq.x' });

    await expect(sut.publish([letter])).rejects.toThrow('broker down');
  });
});
