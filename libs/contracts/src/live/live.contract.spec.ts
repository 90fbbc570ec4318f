import fc from 'fast-check';

import { EventTypes, type EventType } from '../events/event-types';
import {
  LIVE_STREAMS,
  liveStreamEventTypes,
  validateLiveSubscription,
  type LiveStream,
  type LiveStreamEventTypes,
} from './live.contract';

// Every type the compile-time map names, written out, so the catalog and the map are compared at run time.
const expected: { [S in LiveStream]: readonly LiveStreamEventTypes[S][] } = {
  reports: [
    EventTypes.reportSubmitted,
    EventTypes.reportAssigned,
    EventTypes.reportAcknowledged,
    EventTypes.reportStarted,
    EventTypes.reportResolved,
    EventTypes.reportClosed,
    EventTypes.reportReopened,
    EventTypes.reportDeclined,
    EventTypes.reportRejected,
    EventTypes.reportDuplicateLinked,
    EventTypes.reportOverdue,
    EventTypes.reportRated,
  ],
  incidents: [
    EventTypes.incidentOpened,
    EventTypes.incidentUpdated,
    EventTypes.incidentAcknowledged,
    EventTypes.incidentAssigned,
    EventTypes.incidentCleared,
  ],
  cameras: [EventTypes.cameraStatusChanged],
  traffic: [EventTypes.trafficCongestionChanged],
  kpi: [EventTypes.kpiUpdated],
};

describe('live streams', () => {
  it.each(LIVE_STREAMS)('%s carries exactly the event types of its topic', (stream) => {
    expect([...liveStreamEventTypes(stream)].sort()).toEqual([...(expected[stream] as EventType[])].sort());
  });
});

describe(validateLiveSubscription.name, () => {
  it('accepts an empty subscription (everything, from a snapshot) and a full one', () => {
    expect(validateLiveSubscription({})).toMatchObject({ ok: true });
    expect(
      validateLiveSubscription({
        streams: ['reports', 'kpi'],
        adminUnitCodes: ['31-11311'],
        minSeverity: 'high',
        resumeFrom: 'v1.abc-DEF_0~9',
      }),
    ).toMatchObject({ ok: true });
  });

  it.each([
    ['an unknown stream', { streams: ['secrets'] }],
    ['a repeated stream', { streams: ['kpi', 'kpi'] }],
    ['an unknown property', { streams: ['kpi'], admin: true }],
    ['a prototype key', JSON.parse('{"__proto__": {"x": 1}}')],
    ['a cursor with markup', { resumeFrom: '<script>' }],
    ['an oversized cursor', { resumeFrom: 'a'.repeat(5000) }],
    ['U+0000 in a unit code', { adminUnitCodes: ['a\u0000'] }],
    ['too many units', { adminUnitCodes: Array.from({ length: 65 }, (_, i) => `u${i}`) }],
    ['not an object', ['kpi']],
    ['null', null],
  ])('refuses %s, naming the path and never the value', (_name, value) => {
    const result = validateLiveSubscription(value);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe('schema.invalid');
      expect(result.detail).not.toContain('<script>');
    }
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(typeof validateLiveSubscription(value).ok).toBe('boolean');
      }),
    );
  });
});
