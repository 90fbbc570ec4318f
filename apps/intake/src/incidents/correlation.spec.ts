import type { Incident } from './incident';
import { incidentKey } from './incident';
import { correlateDetections, type CorrelationSettings, type Detection } from './correlation';

const MINUTE = 60_000;
const NOW = new Date('2026-05-01T08:00:00Z');
const minutesBefore = (minutes: number) => new Date(NOW.getTime() - minutes * MINUTE);
const settings: CorrelationSettings = {
  windowMs: 5 * MINUTE,
  confidenceFloor: 0.5,
  lateGraceMs: 30 * MINUTE,
};
const place = { lat: 20.8, lon: 106.7, adminUnitCode: 'U-1' };

function detection(minutesBeforeNow: number, overrides: Partial<Detection> = {}): Detection {
  return {
    cameraId: 'CAM-1',
    class: 'accident',
    confidence: 0.9,
    observedAt: minutesBefore(minutesBeforeNow),
    place,
    ...overrides,
  };
}

function ids(): () => string {
  let n = 0;
  return () => `I-${++n}`;
}

describe(correlateDetections.name, () => {
  it('merges N detections of one camera and class within the window into one incident with count N', () => {
    const live = new Map<string, Incident>();
    const sut = correlateDetections(
      live,
      [detection(10, { confidence: 0.6 }), detection(8, { confidence: 0.95 }), detection(6), detection(2)],
      settings,
      NOW,
      ids(),
    );

    expect(sut.touched).toHaveLength(1);
    expect(sut.touched[0]).toMatchObject({ isNew: true, merged: 4 });
    expect(sut.touched[0].incident).toMatchObject({
      id: 'I-1',
      count: 4,
      firstSeenAt: minutesBefore(10),
      lastSeenAt: minutesBefore(2),
      peakConfidence: 0.95,
      status: 'open',
    });
  });

  it('gives the same span and count whatever order the detections arrive in (event time)', () => {
    const ordered = [detection(9), detection(7), detection(5), detection(3)];
    const shuffled = [ordered[2], ordered[0], ordered[3], ordered[1]];

    const a = correlateDetections(new Map(), ordered, settings, NOW, ids()).touched[0].incident;
    const b = correlateDetections(new Map(), shuffled, settings, NOW, ids()).touched[0].incident;

    expect({ count: b.count, first: b.firstSeenAt, last: b.lastSeenAt }).toEqual({
      count: a.count,
      first: a.firstSeenAt,
      last: a.lastSeenAt,
    });
  });

  it('merges into the live incident it was given and updates it in place', () => {
    const first = correlateDetections(new Map(), [detection(20)], settings, NOW, ids());
    const live = new Map([[incidentKey('camera', 'CAM-1', 'accident'), first.touched[0].incident]]);

    const sut = correlateDetections(live, [detection(17), detection(22)], settings, NOW, ids());

    expect(sut.touched).toEqual([expect.objectContaining({ isNew: false, merged: 2 })]);
    expect(sut.touched[0].incident).toMatchObject({ count: 3, firstSeenAt: minutesBefore(22) });
  });

  it('counts detections below the confidence floor without opening anything', () => {
    const sut = correlateDetections(new Map(), [detection(1, { confidence: 0.49 })], settings, NOW, ids());

    expect(sut.touched).toEqual([]);
    expect(sut.tallies).toEqual([{ cameraId: 'CAM-1', class: 'accident', total: 1, belowFloor: 1, late: 0 }]);
  });

  it('counts events older than the late grace as late and changes nothing', () => {
    const sut = correlateDetections(new Map(), [detection(31)], settings, NOW, ids());

    expect(sut.touched).toEqual([]);
    expect(sut.tallies[0]).toMatchObject({ total: 1, late: 1 });
  });

  it('counts a detection from before the live incident’s window as late', () => {
    const live = new Map<string, Incident>();
    correlateDetections(live, [detection(5)], settings, NOW, ids());

    const sut = correlateDetections(live, [detection(11)], settings, NOW, ids());

    expect(sut.touched).toEqual([]);
    expect(sut.tallies[0]).toMatchObject({ late: 1 });
  });

  it('clears the live incident as expired and opens another when a detection comes after the window', () => {
    const live = new Map<string, Incident>();
    correlateDetections(live, [detection(20)], settings, NOW, ids());

    const sut = correlateDetections(live, [detection(10)], settings, NOW, () => 'I-2');

    expect(
      sut.touched.map((t) => [t.incident.id, t.isNew, t.incident.status, t.incident.clearedReason]),
    ).toEqual([
      ['I-1', false, 'cleared', 'expired'],
      ['I-2', true, 'open', null],
    ]);
  });

  it('keeps cameras and classes apart', () => {
    const sut = correlateDetections(
      new Map(),
      [detection(3), detection(3, { class: 'fire-smoke' }), detection(3, { cameraId: 'CAM-2' })],
      settings,
      NOW,
      ids(),
    );

    expect(sut.touched.filter((t) => t.isNew)).toHaveLength(3);
  });
});
