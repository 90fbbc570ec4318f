import { createEvent, EventTypes, type IocEvent, submissionSubject, Topics } from '@ioc/contracts';
import { CORRELATION_ID_HEADER, parseTraceparent, TRACEPARENT_HEADER } from '@ioc/observability';
import { waitFor } from '@ioc/testing';
import request from 'supertest';
import { type ReportsApp, startReportsApp } from '../apps/reports/test/reports-app';

jest.setTimeout(120_000);

// Inside HP.2025.LE-CHAN in the shipped data.
const LE_CHAN = { lat: 20.842, lon: 106.66 };
const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

/** One JSON log line of the service. */
type LogLine = Record<string, unknown> & { msg?: string; correlationId?: string; traceId?: string };

/**
 * One id follows a report across Kafka (docs/architecture.md, "Tracing across Kafka"): the HTTP edge takes
 * the caller's correlation id and W3C traceparent, the outbox stamps them on the events, the relay carries
 * them to Kafka, and a consumer handles a consumed event in its flow, so its logs and the events it writes
 * carry the same correlation id and trace, in a span of their own.
 */
describe('tracing a report across Kafka', () => {
  let sut: ReportsApp;

  beforeAll(async () => {
    sut = await startReportsApp();
  });

  afterAll(async () => {
    await sut?.close();
  });

  const logLines = (): LogLine[] =>
    sut.logs
      .text()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);

  async function eventsOfFlow(correlationId: string, type: string): Promise<IocEvent[]> {
    const { events } = await sut.events((all) =>
      all.some((e) => e.correlationid === correlationId && e.type === type),
    );
    return events.filter((e) => e.correlationid === correlationId);
  }

  function submitReport(headers: Record<string, string>) {
    return request(sut.http)
      .post('/reports')
      .set(headers)
      .send({
        categoryCode: 'sidewalk-encroachment',
        description: 'Quán nước lấn chiếm vỉa hè',
        location: LE_CHAN,
      })
      .expect(201);
  }

  it("carries the caller's correlation id and trace from POST /reports to the events on Kafka", async () => {
    const response = await submitReport({
      [CORRELATION_ID_HEADER]: 'e2e-trace-http-1',
      [TRACEPARENT_HEADER]: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
    });
    expect(response.headers[CORRELATION_ID_HEADER]).toBe('e2e-trace-http-1');

    const events = await eventsOfFlow('e2e-trace-http-1', EventTypes.reportAssigned);
    expect(events.map((e) => e.type)).toEqual([EventTypes.reportSubmitted, EventTypes.reportAssigned]);
    for (const event of events) {
      const span = parseTraceparent(event.traceparent);
      expect(span).toMatchObject({ traceId: CALLER_TRACE, sampled: true });
      // The request's own span, whose parent is the caller's.
      expect(span?.spanId).not.toBe(CALLER_SPAN);
    }
    const completed = logLines().find(
      (l) => l.correlationId === 'e2e-trace-http-1' && l.msg === 'request completed',
    );
    expect(completed).toMatchObject({
      traceId: CALLER_TRACE,
      spanId: parseTraceparent(events[0].traceparent)?.spanId,
    });
  });

  it.each([
    ['malformed', `00-${CALLER_TRACE.toUpperCase()}-${CALLER_SPAN}-01`],
    ['all-zero', `00-${'0'.repeat(32)}-${CALLER_SPAN}-01`],
  ])('starts a new trace when the traceparent is %s', async (name, traceparent) => {
    const correlationId = `e2e-trace-bad-${name}`;
    await submitReport({ [CORRELATION_ID_HEADER]: correlationId, [TRACEPARENT_HEADER]: traceparent });

    const [submitted] = await eventsOfFlow(correlationId, EventTypes.reportSubmitted);
    const span = parseTraceparent(submitted.traceparent);
    expect(span?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span?.traceId).not.toBe(CALLER_TRACE);
    expect(span?.traceId).not.toBe('0'.repeat(32));
  });

  it('gives events a fresh correlation id and trace when the caller sends neither, and answers with it', async () => {
    const response = await submitReport({});
    const correlationId = response.headers[CORRELATION_ID_HEADER] as string;

    const [submitted] = await eventsOfFlow(correlationId, EventTypes.reportSubmitted);
    expect(submitted.subject).toBe(response.body.id);
    expect(parseTraceparent(submitted.traceparent)).toBeDefined();
  });

  function submission(externalId: string, categoryCode: string, correlationid: string) {
    return createEvent(EventTypes.reportSubmission, {
      source: '/ioc/hotline',
      subject: submissionSubject('hotline', externalId),
      data: {
        channel: 'hotline' as const,
        externalId,
        categoryCode,
        description: 'Ngập sâu sau mưa',
        location: LE_CHAN,
      },
      correlationid,
      traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
    });
  }

  it("handles a consumed submission in its flow: the events it causes carry the submission's correlation id and trace", async () => {
    const event = submission('HL-TRACE-0001', 'drainage-flooding', 'e2e-trace-hotline-1');
    await sut.world.publish(Topics.reportsSubmissions, [event]);

    const events = await eventsOfFlow('e2e-trace-hotline-1', EventTypes.reportAssigned);
    expect(events.map((e) => e.type)).toEqual([EventTypes.reportSubmitted, EventTypes.reportAssigned]);
    for (const caused of events) {
      const span = parseTraceparent(caused.traceparent);
      expect(span?.traceId).toBe(CALLER_TRACE);
      // The consumer's span of the handling, whose parent is the submission's.
      expect(span?.spanId).not.toBe(CALLER_SPAN);
    }
  });

  it("logs a consumed submission's outcome with its correlation id", async () => {
    // A category the city does not have: the rules refuse it, and the consumer dead-letters it.
    const event = submission('HL-TRACE-0002', 'no-such-category', 'e2e-trace-hotline-2');
    await sut.world.publish(Topics.reportsSubmissions, [event]);

    const line = await waitFor(
      () =>
        logLines().find(
          (l) => l.msg === 'message dead-lettered' && l.correlationId === 'e2e-trace-hotline-2',
        ),
      { what: 'the consumer logging the submission with its correlation id' },
    );
    expect(line).toMatchObject({ level: 'warn', topic: sut.topic(Topics.reportsSubmissions) });
  });
});
