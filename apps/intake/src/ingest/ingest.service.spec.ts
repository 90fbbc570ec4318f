import type { Principal } from '@ioc/auth';
import { EventTypes, type IocEvent, Topics } from '@ioc/contracts';
import type { DecodedHttpEvent } from './cloudevents/cloudevents-http.codec';
import { IngestConfig, ingestEnv } from './ingest.config';
import {
  BrokerUnavailableError,
  InvalidIngestEventsError,
  TooManyEventsError,
  TopicNotAllowedError,
} from './ingest.errors';
import { IngestPublisher, type RoutedEvent } from './ingest.publisher';
import { IngestService, mayPublish } from './ingest.service';

class FakePublisher extends IngestPublisher {
  readonly published: RoutedEvent[][] = [];
  failure: Error | undefined;

  override async publish(events: readonly RoutedEvent[]): Promise<void> {
    if (this.failure) throw this.failure;
    this.published.push([...events]);
  }
}

const integrator = (scopes: string[]): Principal => ({
  subject: 'acme',
  roles: ['integrator'],
  kind: 'api-key',
  integratorId: 'acme',
  scopes,
  apiKeyId: 'k1',
});

function heartbeat(id: string, data: Record<string, unknown> = {}): DecodedHttpEvent {
  const event: IocEvent = {
    specversion: '1.0',
    id,
    source: '/vendors/acme',
    type: EventTypes.cameraHeartbeat,
    subject: 'cam-1',
    time: '2025-03-01T02:00:00.000Z',
    datacontenttype: 'application/json',
    data: { cameraId: 'cam-1', observedAt: '2025-03-01T02:00:00Z', ...data },
  };
  return { ok: true, event };
}

describe(IngestService.name, () => {
  let publisher: FakePublisher;
  let sut: IngestService;
  const all = integrator(['ioc.*']);

  beforeEach(() => {
    publisher = new FakePublisher();
    const config: IngestConfig = ingestEnv.parse({ INTAKE_INGEST_MAX_BATCH_EVENTS: '3' });
    sut = new IngestService(config, publisher);
  });

  it('publishes valid events on the topic of their type and lists them', async () => {
    const receipt = await sut.ingest(all, [heartbeat('a'), heartbeat('b')]);
    expect(receipt.accepted).toEqual([
      { id: 'a', topic: Topics.cameraHeartbeats },
      { id: 'b', topic: Topics.cameraHeartbeats },
    ]);
    expect(publisher.published).toHaveLength(1);
  });

  it('passes a repeated id on: the consumers deduplicate', async () => {
    await sut.ingest(all, [heartbeat('same'), heartbeat('same')]);
    expect(publisher.published[0].map((r) => r.event.id)).toEqual(['same', 'same']);
  });

  it('refuses the whole request when one event is bad, naming each bad event by position', async () => {
    const error = await sut
      .ingest(all, [
        heartbeat('a'),
        { ok: false, reason: 'envelope.invalid', detail: '/ must have required property id' },
        heartbeat('c', { fps: -1 }),
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidIngestEventsError);
    expect((error as InvalidIngestEventsError).rejected).toEqual([
      { index: 1, reason: 'envelope.invalid', detail: '/ must have required property id' },
      { index: 2, reason: 'schema.invalid', detail: expect.stringContaining('/fps') },
    ]);
    expect(publisher.published).toEqual([]);
  });

  it('refuses event types that only services publish', async () => {
    const decoded = heartbeat('a');
    if (decoded.ok) decoded.event.type = EventTypes.cameraStatusChanged;
    await expect(sut.ingest(all, [decoded])).rejects.toMatchObject({
      rejected: [expect.objectContaining({ reason: 'type.not_ingestible' })],
    });
  });

  it('refuses an empty request', async () => {
    await expect(sut.ingest(all, [])).rejects.toBeInstanceOf(InvalidIngestEventsError);
  });

  it('refuses more events than INTAKE_INGEST_MAX_BATCH_EVENTS', async () => {
    const four = ['a', 'b', 'c', 'd'].map((id) => heartbeat(id));
    await expect(sut.ingest(all, four)).rejects.toBeInstanceOf(TooManyEventsError);
  });

  it("refuses topics outside the key's scopes, publishing nothing", async () => {
    await expect(
      sut.ingest(integrator([Topics.trafficObservations]), [heartbeat('a')]),
    ).rejects.toBeInstanceOf(TopicNotAllowedError);
    expect(publisher.published).toEqual([]);
  });

  it('answers BrokerUnavailableError when Kafka does not acknowledge', async () => {
    publisher.failure = new Error('broker down');
    await expect(sut.ingest(all, [heartbeat('a')])).rejects.toBeInstanceOf(BrokerUnavailableError);
  });
});

describe(mayPublish.name, () => {
  it.each([
    [['ioc.camera.heartbeats'], Topics.cameraHeartbeats, true],
    [['ioc.camera.*'], Topics.cameraHeartbeats, true],
    [['ioc.*'], Topics.kpiObservations, true],
    [['ioc.camera.*'], Topics.trafficObservations, false],
    [['ioc.camera.heartbeats.extra'], Topics.cameraHeartbeats, false],
    [[], Topics.cameraHeartbeats, false],
  ])('scopes %j → %s: %s', (scopes, topic, expected) => {
    expect(mayPublish(integrator(scopes), topic)).toBe(expected);
  });
});
