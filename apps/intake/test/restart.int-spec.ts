import { DETECTION_CLASSES, EventTypes, Topics } from '@ioc/contracts';
import { loadCityData } from '@ioc/reference-data';
import { waitFor } from '@ioc/testing';
import { CITY_DATA_DIR, detection, IntakeWorld, rows } from './fixtures/intake-harness';

// A burst of detections with the service restarted in the middle: no detection is lost or counted
// twice, each incident is opened once, and `updated` is rate-limited rather than one per detection.

describe('intake: a restart in the middle of a burst', () => {
  const world = new IntakeWorld({
    INTAKE_INCIDENT_UPDATE_INTERVAL: '300ms',
    INTAKE_INCIDENT_CORRELATION_WINDOW: '5m',
    INTAKE_INCIDENT_QUIET_PERIOD: '1h',
    INTAKE_CHUNK_SIZE: '100',
  });

  beforeAll(async () => {
    await world.setUp();
  });

  afterAll(async () => {
    await world.tearDown();
  });

  it('changes no count', async () => {
    const cameras = (await loadCityData(CITY_DATA_DIR)).cameras.slice(0, 5).map((c) => c.id);
    const classes = DETECTION_CLASSES.slice(0, 2);
    const perKey = 300;
    const burst = cameras.flatMap((cameraId) =>
      classes.flatMap((cls) =>
        Array.from({ length: perKey }, (_, i) =>
          detection({
            cameraId,
            class: cls,
            observedAt: new Date(Date.now() - 60_000 + i * 100).toISOString(),
          }),
        ),
      ),
    );
    // Interleave the keys so that both halves touch every incident.
    burst.sort((a, b) => (a.time < b.time ? -1 : 1));
    const half = burst.length / 2;
    const total = () =>
      rows<{ merged: string | null; tallied: string | null }>(
        first,
        (s) =>
          `SELECT (SELECT sum(count) FROM ${s}.incidents) AS merged,
                  (SELECT sum(total) FROM ${s}.detection_tallies) AS tallied`,
      ).then(([r]) => ({ merged: Number(r.merged ?? 0), tallied: Number(r.tallied ?? 0) }));

    const first = await world.start();
    await world.seed(first);
    await world.publish(Topics.cameraDetections, burst.slice(0, half));
    // The first group join on a fresh broker creates __consumer_offsets, slow on a loaded 2-core machine.
    await waitFor(async () => (await total()).merged > 0, {
      what: 'the first detections applied',
      timeoutMs: 90_000,
    });
    await world.stop(first);

    await world.publish(Topics.cameraDetections, burst.slice(half));
    const second = await world.start();
    const done = await waitFor(
      async () => {
        const [r] = await rows<{ merged: string; tallied: string; incidents: string }>(
          second,
          (s) =>
            `SELECT (SELECT sum(count) FROM ${s}.incidents) AS merged,
                    (SELECT sum(total) FROM ${s}.detection_tallies) AS tallied,
                    (SELECT count(*) FROM ${s}.incidents) AS incidents`,
        );
        return Number(r.tallied) === burst.length && r;
      },
      { what: 'the whole burst applied', timeoutMs: 60_000 },
    );

    expect(done).toEqual({ merged: String(burst.length), tallied: String(burst.length), incidents: '10' });
    const incidents = await rows<{ id: string; count: number }>(
      second,
      (s) => `SELECT id, count FROM ${s}.incidents`,
    );
    for (const incident of incidents) {
      expect(incident.count).toBe(perKey);
      const opened = await waitFor(
        () =>
          world.events('incidentOpened', incident.id).length > 0 &&
          world.events('incidentOpened', incident.id),
      );
      expect(opened).toHaveLength(1);
      // The sweeper sends the withheld update: the last `updated` carries the final count.
      const last = await waitFor(() => {
        const updates = world.events('incidentUpdated', incident.id);
        const latest = updates[updates.length - 1];
        return latest?.type === EventTypes.incidentUpdated && latest.data.count === perKey && updates;
      });
      expect(last.length).toBeLessThan(perKey / 10);
    }
  });
});
