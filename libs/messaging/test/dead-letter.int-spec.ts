import { encodeKafkaMessage, Topics, type KnownIocEvent } from '@ioc/contracts';
import { qualifiedTable } from '@ioc/database';
import {
  BatchConsumerRunner,
  DeadLetterPublisher,
  DlqHeaders,
  messagingMetrics,
  PoisonMessageError,
  type ConsumeContext,
  type OutboundRecord,
} from '@ioc/messaging';
import { waitFor, readTopic, type TopicRecord } from '@ioc/testing';
import { aDetection } from './fixtures/events';
import { useMessagingWorld } from './fixtures/messaging-world';
import { applyDetection } from './fixtures/harness';

// The project's testTimeout is a per-project option jest-circus does not read; set it for this file.
jest.setTimeout(60_000);

class UnknownCameraError extends PoisonMessageError {
  constructor() {
    super('CAMERA.UNKNOWN', 'the camera is not in the registry');
  }
}

const MAX_MESSAGE_BYTES = 4_096;

describe('bad input goes to the dead-letter topic and the consumer moves on', () => {
  const world = useMessagingWorld({
    schema: 'dlq',
    partitions: { [Topics.cameraDetections]: 1, [Topics.dlq]: 1 },
  });
  const { kafka, schema } = world;
  const consumerName = `dlq-test-${world.suffix}`;
  const producer = world.producer();
  const flakyCalls: string[] = [];

  // Applies detections, except that a camera named cam-unknown is not registered and cam-flaky's first
  // two attempts hit a (simulated) transient fault: the connection reset by the peer.
  async function handler(event: KnownIocEvent, context: ConsumeContext): Promise<void> {
    const { cameraId } = event.data as { cameraId: string };
    if (cameraId === 'cam-unknown') throw new UnknownCameraError();
    if (cameraId === 'cam-flaky') {
      flakyCalls.push(event.id);
      if (flakyCalls.length <= 2) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    }
    await applyDetection(context.manager, schema, event);
  }

  function record(
    event: KnownIocEvent,
    value?: Buffer | null,
    topic = world.topic(Topics.cameraDetections),
  ): OutboundRecord {
    const encoded = encodeKafkaMessage(event);
    return {
      topic,
      ...encoded,
      value: value === undefined ? encoded.value : value,
    };
  }

  async function counters(): Promise<Record<string, number>> {
    const rows: { camera_id: string; n: number }[] = await world.dataSource.query(
      `SELECT camera_id, n FROM ${qualifiedTable(world.dataSource, 'counters')}`,
    );
    return Object.fromEntries(rows.map(({ camera_id, n }) => [camera_id, n]));
  }

  it('dead-letters each kind of bad input once, with its reason, source and original bytes', async () => {
    const schemaInvalid = record(
      aDetection('cam-bad'),
      Buffer.from(
        JSON.stringify({ cameraId: 'cam-bad', class: 'congestion', confidence: 5, observedAt: 'x' }),
      ),
    );
    const notJson = record(aDetection('cam-text'), Buffer.from('Nguyễn Văn A, 0912 345 678, {oops'));
    const oversized = record(
      aDetection('cam-big'),
      Buffer.from(JSON.stringify({ pad: 'x'.repeat(2 * MAX_MESSAGE_BYTES) })),
    );
    const unknownCamera = record(aDetection('cam-unknown'));
    const batch = [
      record(aDetection('cam-a')),
      schemaInvalid,
      notJson,
      oversized,
      unknownCamera,
      record(aDetection('cam-b')),
      record(aDetection('cam-flaky')),
    ];
    await producer.sendRecords(batch);

    const runner = world.runner({
      consumerName,
      topics: [world.topic(Topics.cameraDetections)],
      handler,
      maxMessageBytes: MAX_MESSAGE_BYTES,
      retry: { initialMs: 20, maxMs: 100, maxAttempts: 5 },
    });
    await runner.start();
    await waitFor(async () => (await counters())['cam-flaky'] === 1, {
      what: 'the events after the bad ones',
    });

    // The next round redelivers two rejected events (same ids) and adds an empty record and a valid event.
    const empty = record(aDetection('cam-empty'), null);
    await producer.sendRecords([schemaInvalid, unknownCamera, empty, record(aDetection('cam-c'))]);
    await waitFor(async () => (await counters())['cam-c'] === 1, {
      what: 'the valid event after the redeliveries',
    });

    expect(await counters()).toEqual({ 'cam-a': 1, 'cam-b': 1, 'cam-flaky': 1, 'cam-c': 1 });
    expect(flakyCalls).toHaveLength(3);

    const letters = await readTopic(world.topic(Topics.dlq));
    const byReason = (reason: string) => letters.filter((l) => l.headers[DlqHeaders.reason] === reason);
    expect(letters.map((l) => [l.headers[DlqHeaders.reason], l.headers[DlqHeaders.sourceOffset]])).toEqual([
      ['schema.invalid', '1'],
      ['payload.not_json', '2'],
      ['payload.too_large', '3'],
      ['CAMERA.UNKNOWN', '4'],
      ['payload.empty', '9'],
    ]);
    for (const [letter, original] of [
      [byReason('schema.invalid')[0], schemaInvalid],
      [byReason('payload.not_json')[0], notJson],
      [byReason('payload.too_large')[0], oversized],
      [byReason('CAMERA.UNKNOWN')[0], unknownCamera],
    ] as [TopicRecord, OutboundRecord][]) {
      expect(letter.key).toBe(original.key);
      expect(letter.value?.equals(original.value as Buffer)).toBe(true);
      expect(letter.headers).toMatchObject({
        ...original.headers,
        [DlqHeaders.consumer]: consumerName,
        [DlqHeaders.sourceTopic]: world.topic(Topics.cameraDetections),
        [DlqHeaders.sourcePartition]: '0',
      });
      expect(Number.isNaN(Date.parse(letter.headers[DlqHeaders.at]))).toBe(false);
    }
    expect(byReason('payload.empty')[0].value).toBeNull();
    // The detail explains without quoting the payload (docs/architecture.md, "Privacy").
    const details = letters.map((l) => l.headers[DlqHeaders.detail]).join(' | ');
    expect(details).not.toMatch(/Nguy|0912|345 678/);
    expect(byReason('schema.invalid')[0].headers[DlqHeaders.detail]).toMatch(/confidence/);

    // Decodable rejections are in the inbox as dead-lettered, so their redelivery was skipped.
    const inbox: { event_id: string; outcome: string }[] = await world.dataSource.query(
      `SELECT event_id, outcome FROM ${qualifiedTable(world.dataSource, 'inbox')} WHERE outcome = 'dead-lettered' ORDER BY event_id`,
    );
    expect(inbox.map((row) => row.event_id).sort()).toEqual(
      [schemaInvalid.headers.ce_id, unknownCamera.headers.ce_id].sort(),
    );

    const deadLettered = await messagingMetrics().deadLettered.get();
    const countOf = (reason: string) =>
      deadLettered.values.find((v) => v.labels.reason === reason && v.labels.consumer === consumerName)
        ?.value;
    expect(
      ['schema.invalid', 'payload.not_json', 'payload.too_large', 'CAMERA.UNKNOWN', 'payload.empty'].map(
        countOf,
      ),
    ).toEqual([1, 1, 1, 1, 1]);
    const duplicates = await messagingMetrics().duplicates.get();
    expect(duplicates.values.find((v) => v.labels.consumer === consumerName)?.value).toBe(2);
  });

  it('isolates a poison event of a batch handler, applying the rest of the chunk once', async () => {
    const topic = await world.ownTopic('batch');
    const group = `${consumerName}-batch`;
    const calls: number[] = [];
    await producer.sendRecords([
      record(aDetection('cam-x'), undefined, topic),
      record(aDetection('cam-unknown'), undefined, topic),
      record(aDetection('cam-y'), undefined, topic),
    ]);

    const batchRunner = new BatchConsumerRunner({
      kafka,
      dataSource: world.dataSource,
      groupId: group,
      consumerName: group,
      topics: [topic],
      // A set-based effect: one statement for the whole chunk.
      batchHandler: async (events, { manager }) => {
        calls.push(events.length);
        const cameras = events.map(({ event }) => (event.data as { cameraId: string }).cameraId);
        if (cameras.includes('cam-unknown')) throw new UnknownCameraError();
        await manager.query(
          `INSERT INTO ${qualifiedTable(manager, 'counters')} (camera_id, n)
           SELECT camera_id, count(*) FROM unnest($1::text[]) AS t(camera_id) GROUP BY camera_id
           ON CONFLICT (camera_id) DO UPDATE SET n = counters.n + EXCLUDED.n`,
          [cameras],
        );
      },
      dlq: new DeadLetterPublisher(producer, { topic: world.topic(Topics.dlq) }),
      session: { sessionTimeout: 6_000, heartbeatInterval: 300, rebalanceTimeout: 6_000 },
    });
    world.stopAtTearDown(batchRunner);
    await batchRunner.start();
    await waitFor(async () => (await counters())['cam-y'] === 1, { what: 'the batch consumer to catch up' });
    await waitFor(
      async () =>
        (await readTopic(world.topic(Topics.dlq))).some((l) => l.headers[DlqHeaders.consumer] === group),
      { what: "the batch consumer's dead letter" },
    );

    expect(await counters()).toMatchObject({ 'cam-x': 1, 'cam-y': 1 });
    expect(await counters()).not.toHaveProperty('cam-unknown');
    const letters = (await readTopic(world.topic(Topics.dlq))).filter(
      (l) => l.headers[DlqHeaders.consumer] === group,
    );
    expect(letters.filter((l) => l.headers[DlqHeaders.reason] === 'CAMERA.UNKNOWN')).toHaveLength(1);
    // First the chunk at once, then its halves, until the poison is called alone: [x, unknown] fails and
    // is split; [y] passes.
    expect(calls).toEqual([3, 2, 1, 1, 1]);
  });
});
