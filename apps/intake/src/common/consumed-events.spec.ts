import { createEvent, EventTypes, type KnownIocEvent } from '@ioc/contracts';
import type { ConsumedEvent } from '@ioc/messaging';
import { dataOf, UnexpectedEventTypeError } from './consumed-events';

const at = '2026-05-01T08:00:00.000Z';
const detection = createEvent(EventTypes.cameraDetection, {
  source: '/t',
  subject: 'CAM-1',
  data: { cameraId: 'CAM-1', class: 'crowd', confidence: 0.7, observedAt: at },
});
const heartbeat = createEvent(EventTypes.cameraHeartbeat, {
  source: '/t',
  subject: 'CAM-1',
  data: { cameraId: 'CAM-1', observedAt: at },
});

function consumed(event: KnownIocEvent): ConsumedEvent {
  return { event, topic: 'ioc.camera.detections', partition: 0, offset: '0', headers: {} };
}

describe(dataOf.name, () => {
  it('gives the id and data of events of the expected type', () => {
    const sut = dataOf(EventTypes.cameraDetection, [consumed(detection)]);

    expect(sut).toEqual([{ eventId: detection.id, data: detection.data }]);
  });

  it('rejects an event of another type as poison with a stable code', () => {
    const attempt = () => dataOf(EventTypes.cameraDetection, [consumed(heartbeat)]);

    expect(attempt).toThrow(UnexpectedEventTypeError);
    expect(attempt).toThrow('does not belong on ioc.camera.detections');
    expect(attempt).toThrow(expect.objectContaining({ code: 'INTAKE.UNEXPECTED_EVENT_TYPE' }));
  });
});
