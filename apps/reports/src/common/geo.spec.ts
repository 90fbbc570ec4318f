import { degreesAround, distanceMeters } from './geo';

describe('geo', () => {
  it('measures short distances in metres', () => {
    // 0.001° of latitude is about 111 m anywhere.
    expect(distanceMeters({ lat: 20.86, lon: 106.68 }, { lat: 20.861, lon: 106.68 })).toBeCloseTo(111.2, 0);
    expect(distanceMeters({ lat: 20.86, lon: 106.68 }, { lat: 20.86, lon: 106.68 })).toBe(0);
  });

  it('gives a bounding box that contains every point within the radius', () => {
    const at = { lat: 20.86, lon: 106.68 };
    const { dLat, dLon } = degreesAround(at, 100);
    expect(distanceMeters(at, { lat: at.lat + dLat, lon: at.lon })).toBeCloseTo(100, 3);
    expect(distanceMeters(at, { lat: at.lat, lon: at.lon + dLon })).toBeGreaterThanOrEqual(99.99);
  });
});
