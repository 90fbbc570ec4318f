import { ConsumerHealth } from './consumer-health';

describe(ConsumerHealth.name, () => {
  let now = 0;
  const setup = () =>
    new ConsumerHealth(
      'reports-submissions',
      'reports-submissions.g1',
      { retryingLimitMs: 10_000, stalledLimitMs: 60_000 },
      () => now,
    );

  beforeEach(() => {
    now = 1_000_000;
  });

  it('is ready while it runs and makes progress', () => {
    const sut = setup();
    sut.running();
    sut.fetched('t', 0);
    now += 120_000;
    sut.committed('t', 0, true);

    expect(sut.problems()).toEqual([]);
    expect(sut.progress()).toEqual([{ topic: 't', partition: 0, secondsSinceProgress: 0 }]);
  });

  it('is not ready once a transient failure lasts longer than its limit, and ready again after a commit', () => {
    const sut = setup();
    sut.running();
    sut.fetched('t', 3);
    sut.retrying('t', 3, 1, 'QueryFailedError(08006)');
    now += 10_000;
    sut.retrying('t', 3, 6, 'QueryFailedError(57P01)');
    expect(sut.problems()).toEqual([]);

    now += 1;
    expect(sut.problems()).toEqual([
      'consumer reports-submissions retrying a transient failure on t[3] for 10.0 s (attempt 6, QueryFailedError(57P01))',
    ]);

    sut.committed('t', 3, true);
    expect(sut.problems()).toEqual([]);
  });

  it('is not ready when messages wait on a partition with no commit for longer than its limit', () => {
    const sut = setup();
    sut.running();
    sut.fetched('t', 1);
    now += 30_000;
    // More fetched while the first batch is still not committed: the wait started with the first.
    sut.fetched('t', 1);
    now += 30_001;

    expect(sut.problems()).toEqual([
      'consumer reports-submissions made no progress on t[1] for 60.0 s with messages waiting',
    ]);
    expect(sut.progress()).toEqual([{ topic: 't', partition: 1, secondsSinceProgress: 60.001 }]);

    // A commit with more behind it is progress: the clock starts again.
    sut.committed('t', 1, false);
    now += 5_000;
    expect(sut.problems()).toEqual([]);
    expect(sut.progress()).toEqual([{ topic: 't', partition: 1, secondsSinceProgress: 5 }]);
  });

  it('forgets the partitions a rebalance gave to another member, and keeps the state of those it kept', () => {
    const sut = setup();
    sut.running();
    sut.fetched('t', 0);
    sut.fetched('t', 1);
    now += 60_001;

    sut.assigned({ t: [1] });

    expect(sut.problems()).toEqual([
      'consumer reports-submissions made no progress on t[1] for 60.0 s with messages waiting',
    ]);
    expect(sut.progress().map((p) => p.partition)).toEqual([1]);
  });

  it('is not ready once crashed for good or stopped', () => {
    const crashed = setup();
    crashed.running();
    crashed.crashed('KafkaJSNonRetriableError');
    expect(crashed.problems()).toEqual(['consumer reports-submissions crashed (KafkaJSNonRetriableError)']);

    const stopped = setup();
    stopped.running();
    stopped.stopped();
    expect(stopped.problems()).toEqual(['consumer reports-submissions is stopped']);
  });
});
