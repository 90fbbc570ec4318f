import { logLevel, type LogEntry } from 'kafkajs';
import { kafkaLogCreator, type MessagingLogger } from './logger';

type Level = keyof MessagingLogger;

/** Sends one kafkajs log entry through the bridge and returns the level it was logged at. */
function levelOf(
  level: logLevel,
  namespace: string,
  log: Record<string, unknown> & { message: string },
): Level {
  const seen: Level[] = [];
  const record = (name: Level) => (): void => {
    seen.push(name);
  };
  const sut = kafkaLogCreator({
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  })(logLevel.DEBUG);
  sut({
    namespace,
    level,
    label: logLevel[level],
    log: { timestamp: '2026-01-01T00:00:00.000Z', ...log },
  } as LogEntry);
  expect(seen).toHaveLength(1);
  return seen[0]!;
}

describe(kafkaLogCreator.name, () => {
  // Lines a consumer group and an idempotent producer log at every start against a fresh broker, copied
  // from a real `npm start` (kafkajs 2.2.4 logs them at ERROR).
  it.each([
    ['Response GroupCoordinator(key: 10, version: 2)', 'The group coordinator is not available'],
    [
      'Response InitProducerId(key: 22, version: 1)',
      "The coordinator is loading and hence can't process requests for this group",
    ],
    [
      'Response Metadata(key: 3, version: 6)',
      'There is no leader for this topic-partition as we are in the middle of a leadership election',
    ],
    ['Response JoinGroup(key: 11, version: 5)', 'The group is rebalancing, so a rejoin is needed'],
    ['Response Heartbeat(key: 12, version: 3)', 'The coordinator is not aware of this member'],
  ])('a broker answer kafkajs retries (%s: %s) is debug', (message, error) => {
    expect(levelOf(logLevel.ERROR, 'Connection', { message, error, broker: '127.0.0.1:9092' })).toBe('debug');
  });

  it.each([
    "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group",
    'Restarting the consumer in 300ms',
    'The coordinator is not aware of this member, re-joining the group',
    'Failed to send messages: This server is not the leader for that topic-partition',
  ])('a consumer or producer recovering on its own ("%s") is a warning', (message) => {
    expect(levelOf(logLevel.ERROR, 'Consumer', { message, groupId: 'intake' })).toBe('warn');
  });

  it.each([
    ['Connection', { message: 'Connection error: connect ECONNREFUSED 127.0.0.1:9092' }],
    ['Connection', { message: 'Connection timeout' }],
    [
      'Connection',
      {
        message: 'Response Produce(key: 0, version: 7)',
        error: 'The request included a message larger than the max message size the server will accept',
      },
    ],
    [
      'Consumer',
      { message: 'Crash: KafkaJSNumberOfRetriesExceeded: The group coordinator is not available' },
    ],
    ['Consumer', { message: 'Crash: KafkaJSNonRetriableError: Topic ioc.dlq not found' }],
    ['Runner', { message: 'Error when calling eachBatch', error: 'relation "inbox" does not exist' }],
  ])('a real failure (%s %j) stays an error', (namespace, log) => {
    expect(levelOf(logLevel.ERROR, namespace, log)).toBe('error');
  });

  it('keeps the level kafkajs chose for anything else', () => {
    expect(levelOf(logLevel.WARN, 'Admin', { message: 'Could not delete topics' })).toBe('warn');
    expect(levelOf(logLevel.INFO, 'ConsumerGroup', { message: 'Consumer has joined the group' })).toBe(
      'info',
    );
    expect(levelOf(logLevel.DEBUG, 'Connection', { message: 'Request Fetch(key: 1, version: 11)' })).toBe(
      'debug',
    );
  });

  it('logs the idempotent-producer retry notice at debug: at-least-once is handled by the inbox', () => {
    expect(
      levelOf(logLevel.WARN, 'Producer', {
        message: 'Limiting retries for the idempotent producer may invalidate EoS guarantees',
      }),
    ).toBe('debug');
  });

  it('passes kafkajs fields on without its timestamp, tagged with the component and namespace', () => {
    const fields: Record<string, unknown>[] = [];
    const messages: string[] = [];
    const logger: MessagingLogger = {
      debug: () => undefined,
      info: (f, m) => {
        fields.push(f);
        messages.push(m);
      },
      warn: () => undefined,
      error: () => undefined,
    };

    kafkaLogCreator(logger)(logLevel.INFO)({
      namespace: 'ConsumerGroup',
      level: logLevel.INFO,
      label: 'INFO',
      log: { timestamp: 'x', message: 'Consumer has joined the group', groupId: 'kpi' },
    });

    expect(messages).toEqual(['Consumer has joined the group']);
    expect(fields).toEqual([{ groupId: 'kpi', component: 'kafkajs', namespace: 'ConsumerGroup' }]);
  });
});
