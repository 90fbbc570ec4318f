import { EventTypes } from '@ioc/contracts';
import { mapEntity, NGSI_LD_SOURCE, notificationEntities } from './ngsi-ld.mapper';

const p = (value: unknown) => ({ type: 'Property', value });

describe(mapEntity.name, () => {
  const sut = mapEntity;

  describe('TrafficFlowObserved', () => {
    const base = {
      id: 'urn:ngsi-ld:TrafficFlowObserved:t1',
      type: 'TrafficFlowObserved',
      refRoadSegment: 'urn:ngsi-ld:RoadSegment:seg-1',
      averageVehicleSpeed: 30,
    };

    it('takes the end of a dateObserved interval and leaves out a volume it cannot turn into a rate', () => {
      const result = sut({
        ...base,
        dateObserved: '2025-03-01T01:00:00Z/2025-03-01T02:00:00+00:00',
        intensity: 9,
      });
      expect(result).toMatchObject({
        ok: true,
        event: {
          type: EventTypes.trafficObservation,
          source: NGSI_LD_SOURCE,
          subject: 'seg-1',
          time: '2025-03-01T02:00:00.000Z',
          data: { segmentId: 'seg-1', observedAt: '2025-03-01T02:00:00.000Z', speedKmh: 30 },
        },
      });
      expect(result.ok && result.event.data).not.toHaveProperty('volumeVehPerHour');
    });

    it('turns intensity over the observation period into vehicles per hour and occupancy into percent', () => {
      const result = sut({
        ...base,
        dateObservedFrom: '2025-03-01T01:55:00Z',
        dateObservedTo: '2025-03-01T02:00:00Z',
        intensity: 50,
        occupancy: 0.125,
      });
      expect(result.ok && result.event.data).toMatchObject({ volumeVehPerHour: 600, occupancyPct: 12.5 });
    });

    it('needs the road segment', () => {
      const { refRoadSegment: _ref, ...entity } = base;
      expect(sut({ ...entity, dateObserved: '2025-03-01T02:00:00Z' })).toEqual({
        ok: false,
        reason: 'ngsi.attribute_missing',
        detail: 'refRoadSegment is required',
      });
    });
  });

  describe('Alert', () => {
    const alert = {
      id: 'urn:ngsi-ld:Alert:a1',
      type: 'Alert',
      category: 'traffic',
      dateIssued: '2025-03-01T02:00:00Z',
      alertSource: 'urn:ngsi-ld:Device:cam-9',
    };

    it.each([
      ['trafficJam', 'congestion'],
      ['carAccident', 'accident'],
      ['carWrongDirection', 'wrong-way'],
      ['carStopped', 'illegal-parking'],
      ['flood', 'flooding'],
      ['buildingFire', 'fire-smoke'],
      ['civilDisorder', 'crowd'],
      ['pothole', 'other'],
    ])('maps subCategory %s to class %s', (subCategory, detectionClass) => {
      const result = sut({ ...alert, subCategory });
      expect(result.ok && result.event.data).toMatchObject({ class: detectionClass, cameraId: 'cam-9' });
    });

    it('falls back from dateIssued to validFrom, and needs one of them', () => {
      const { dateIssued: _issued, ...undated } = alert;
      const result = sut({ ...undated, validFrom: '2025-03-01T03:00:00Z' });
      expect(result.ok && result.event.data).toMatchObject({ observedAt: '2025-03-01T03:00:00.000Z' });
      expect(sut(undated)).toEqual({
        ok: false,
        reason: 'ngsi.attribute_missing',
        detail: 'dateIssued is required',
      });
    });

    it("takes a vendor's confidence from data.confidence, else full confidence", () => {
      const scored = sut({ ...alert, data: p({ confidence: 0.61 }) });
      expect(scored.ok && scored.event.data).toMatchObject({ confidence: 0.61 });
      const plain = sut(alert);
      expect(plain.ok && plain.event.data).toMatchObject({ confidence: 1 });
    });

    it('refuses a confidence out of range through the contract', () => {
      expect(sut({ ...alert, data: { confidence: 7 } })).toMatchObject({
        ok: false,
        reason: 'schema.invalid',
      });
    });

    it.each([
      ['no alertSource', undefined],
      ['an alertSource that is no camera', 'https://vendor.example/app'],
    ])('refuses %s', (_name, alertSource) => {
      expect(sut({ ...alert, alertSource })).toMatchObject({ ok: false, reason: 'ngsi.camera_unnamed' });
    });
  });

  describe('Device', () => {
    it('derives the same event id for the same entity and time, and another for another time', () => {
      const device = {
        id: 'urn:ngsi-ld:Device:cam-1',
        type: 'Device',
        dateLastValueReported: '2025-03-01T02:00:00Z',
      };
      const first = sut(device);
      const again = sut({ ...device, dateLastValueReported: p('2025-03-01T09:00:00+07:00') });
      const later = sut({ ...device, dateLastValueReported: '2025-03-01T02:01:00Z' });
      expect(first.ok && again.ok && first.event.id === again.event.id).toBe(true);
      expect(first.ok && later.ok && first.event.id !== later.event.id).toBe(true);
    });

    it('refuses a multi-instance attribute it cannot choose from', () => {
      const result = sut({
        id: 'urn:ngsi-ld:Device:cam-1',
        type: 'Device',
        dateLastValueReported: [p('2025-03-01T02:00:00Z'), p('2025-03-01T02:01:00Z')],
      });
      expect(result).toMatchObject({ ok: false, reason: 'ngsi.attribute_invalid' });
    });
  });
});

describe(notificationEntities.name, () => {
  it.each([
    [{ data: [] }, []],
    [{ data: {} }, undefined],
    [[], undefined],
    [null, undefined],
  ])('%j → %j', (body, expected) => {
    expect(notificationEntities(body)).toEqual(expected);
  });
});
