import { createEvent, encodeKafkaMessage, EventTypes, Topics, type KnownIocEvent } from '@ioc/contracts';
import { qualifiedTable } from '@ioc/database';
import { DlqHeaders, type ConsumeContext, type OutboundRecord } from '@ioc/messaging';
import { waitFor, readTopic } from '@ioc/testing';
import { useMessagingWorld } from './fixtures/messaging-world';

// The project's testTimeout is a per-project option jest-circus does not read; set it for this file.
jest.setTimeout(60_000);

function aSubmission(externalId: string) {
  return createEvent(EventTypes.reportSubmission, {
    source: '/ioc/messaging-tests',
    subject: `hotline:${externalId}`,
    data: {
      channel: 'hotline',
      externalId,
      categoryCode: 'lighting.streetlight',
      description: 'Street light out in front of house 12',
      location: { lat: 10.5, lon: 105.25 },
      addressText: '12 Example Street',
    },
  });
}

// Postgres `text` refuses U+0000 and stores an unpaired surrogate as U+FFFD; `jsonb` refuses both. Such a
// submission must be refused by its schema and dead-lettered, not fail (or be altered) in the consumer's
// transaction.
describe('a submission holding text Postgres cannot store goes to the dead-letter topic', () => {
  const world = useMessagingWorld({
    schema: 'unstorable',
    partitions: { [Topics.reportsSubmissions]: 1, [Topics.dlq]: 1 },
  });
  const consumerName = `unstorable-test-${world.suffix}`;
  const producer = world.producer();

  beforeAll(async () => {
    await world.dataSource.query(
      `CREATE TABLE ${qualifiedTable(world.dataSource, 'submissions')} (external_id text PRIMARY KEY, description text NOT NULL, data jsonb NOT NULL)`,
    );
  });

  // Stores the submission's text in a text column and the whole data in a jsonb one, as a service would.
  async function handler(event: KnownIocEvent, { manager }: ConsumeContext): Promise<void> {
    const data = event.data as { externalId: string; description: string };
    await manager.query(
      `INSERT INTO ${qualifiedTable(manager, 'submissions')} (external_id, description, data) VALUES ($1, $2, $3)`,
      [data.externalId, data.description, JSON.stringify(event.data)],
    );
  }

  // A valid submission's record whose data (or subject) is then given a character Postgres cannot store.
  function tampered(
    externalId: string,
    change: { data?: Record<string, unknown>; subject?: string },
  ): OutboundRecord {
    const event = aSubmission(externalId);
    const encoded = encodeKafkaMessage(event);
    return {
      topic: world.topic(Topics.reportsSubmissions),
      key: change.subject ?? encoded.key,
      headers: change.subject ? { ...encoded.headers, ce_subject: change.subject } : encoded.headers,
      // JSON.stringify writes U+0000 and an unpaired surrogate as \u escapes: valid UTF-8 JSON either way.
      value: Buffer.from(JSON.stringify({ ...event.data, ...change.data })),
    };
  }

  it('dead-letters it with the validation reason naming the field, and moves on', async () => {
    const valid = (id: string): OutboundRecord => ({
      topic: world.topic(Topics.reportsSubmissions),
      ...encodeKafkaMessage(aSubmission(id)),
    });
    const nul = tampered('HL-NUL', { data: { description: 'Street light\u0000 out' } });
    const surrogate = tampered('HL-SURROGATE', { data: { addressText: '12 Example\ud800 Street' } });
    const nulSubject = tampered('HL-SUBJECT', { subject: 'hotline:HL\u0000SUBJECT' });
    await producer.sendRecords([valid('HL-1'), nul, surrogate, nulSubject, valid('HL-2')]);

    const runner = world.runner({
      consumerName,
      topics: [world.topic(Topics.reportsSubmissions)],
      handler,
      retry: { initialMs: 20, maxMs: 100, maxAttempts: 3 },
    });
    await runner.start();

    const stored = async () =>
      (
        (await world.dataSource.query(
          `SELECT external_id FROM ${qualifiedTable(world.dataSource, 'submissions')} ORDER BY external_id`,
        )) as { external_id: string }[]
      ).map((row) => row.external_id);
    await waitFor(async () => (await stored()).includes('HL-2'), {
      what: 'the submission after the bad ones',
    });
    expect(await stored()).toEqual(['HL-1', 'HL-2']);

    await waitFor(async () => (await readTopic(world.topic(Topics.dlq))).length === 3, {
      what: 'three dead letters',
    });
    const letters = await readTopic(world.topic(Topics.dlq));
    expect(
      letters.map((l) => [
        l.headers[DlqHeaders.sourceOffset],
        l.headers[DlqHeaders.reason],
        l.headers[DlqHeaders.detail],
      ]),
    ).toEqual([
      ['1', 'schema.invalid', expect.stringContaining('/description must not contain U+0000 or')],
      ['2', 'schema.invalid', expect.stringContaining('/addressText must not contain U+0000 or')],
      ['3', 'envelope.invalid', expect.stringContaining('/subject must not contain U+0000 or')],
    ]);
    for (const [letter, original] of [
      [letters[0], nul],
      [letters[1], surrogate],
    ] as const) {
      expect(letter.value?.equals(original.value as Buffer)).toBe(true);
    }
  });
});
