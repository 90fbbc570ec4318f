import { TOPIC_CATALOG, Topics } from '@ioc/contracts';
import { DEFAULT_INBOX_MARGIN_MS, defaultInboxRetention } from './inbox.pruner';

const DAY_MS = 24 * 60 * 60 * 1000;

describe(defaultInboxRetention.name, () => {
  it.each([
    ['reports', 7 * DAY_MS],
    ['intake', 3 * DAY_MS],
    ['kpi', 30 * DAY_MS],
  ])(
    "keeps %s's ids for the longest retention of the topics it consumes, plus the margin",
    (service, longest) => {
      expect(defaultInboxRetention(service)).toEqual({
        ok: true,
        retentionMs: longest + DEFAULT_INBOX_MARGIN_MS,
      });
    },
  );

  it('follows the catalog, with the margin given', () => {
    const catalog = TOPIC_CATALOG.map((spec) =>
      spec.name === Topics.cameraHeartbeats ? { ...spec, retentionMs: 10 * DAY_MS } : spec,
    );
    expect(defaultInboxRetention('intake', { catalog, marginMs: 1_000 })).toEqual({
      ok: true,
      retentionMs: 10 * DAY_MS + 1_000,
    });
  });

  it('covers a record Kafka keeps until its segment rolls (segment.ms, 7 days by default)', () => {
    expect(DEFAULT_INBOX_MARGIN_MS).toBeGreaterThan(7 * DAY_MS);
  });

  it('derives none for a consumer of a topic that keeps records for ever', () => {
    expect(defaultInboxRetention('gateway')).toEqual({
      ok: false,
      reason: 'keeps-forever',
      service: 'gateway',
      topics: [Topics.kpiUpdates],
    });
  });

  it('derives none for a service the catalog does not list as a consumer', () => {
    expect(defaultInboxRetention('intake-7')).toEqual({
      ok: false,
      reason: 'consumes-nothing',
      service: 'intake-7',
    });
  });
});
