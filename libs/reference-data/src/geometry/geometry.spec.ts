import type { Position } from '../city-data';
import { areaContains, bboxOf, ringClosureProblem, ringIntersections } from './geometry';

const ring = (...points: [number, number][]): Position[] => [...points, points[0]];
const SQUARE = ring([0, 0], [4, 0], [4, 4], [0, 4]);

describe('geometry', () => {
  describe(ringIntersections.name, () => {
    const sut = ringIntersections;

    it.each<[string, Position[][]]>([
      ['a square', [SQUARE]],
      ['a concave ring', [ring([0, 0], [4, 0], [4, 4], [2, 1], [0, 4])]],
      ['a square with a hole inside', [SQUARE, ring([1, 1], [1, 2], [2, 2], [2, 1])]],
      [
        'a ring with a repeated position',
        [
          [
            [0, 0],
            [4, 0],
            [4, 0],
            [4, 4],
            [0, 4],
            [0, 0],
          ],
        ],
      ],
      ['a ring with a straight run of vertices', [ring([0, 0], [2, 0], [4, 0], [4, 4], [0, 4])]],
    ])('accepts %s', (_case, rings) => {
      expect(sut(rings)).toEqual([]);
    });

    it.each<[string, Position[][], RegExp]>([
      ['a bow tie', [ring([0, 0], [4, 4], [4, 0], [0, 4])], /ring 0 touches or crosses itself/],
      [
        'a ring touching itself at a vertex',
        [ring([0, 0], [4, 0], [2, 2], [4, 4], [0, 4], [2, 2])],
        /ring 0 touches or crosses itself/,
      ],
      ['a spike folding back on its edge', [ring([0, 0], [4, 0], [6, 0], [4, 0], [4, 4], [0, 4])], /ring 0/],
      [
        'a hole crossing the exterior',
        [SQUARE, ring([3, 1], [5, 1], [5, 2], [3, 2])],
        /rings 0 and 1 touch or cross/,
      ],
    ])('refuses %s', (_case, rings, message) => {
      expect(sut(rings)).toContainEqual(expect.stringMatching(message));
    });
  });

  describe(ringClosureProblem.name, () => {
    it.each<[string, Position[], RegExp | undefined]>([
      ['a closed ring', SQUARE, undefined],
      ['an open ring', SQUARE.slice(0, -1), /must end where it starts/],
      [
        'a ring of three positions',
        [
          [0, 0],
          [1, 1],
          [0, 0],
        ],
        /at least 4 positions, found 3/,
      ],
    ])('judges %s', (_case, positions, expected) => {
      const problem = ringClosureProblem(positions);
      if (expected) expect(problem).toMatch(expected);
      else expect(problem).toBeUndefined();
    });
  });

  describe(areaContains.name, () => {
    const area = { type: 'Polygon' as const, coordinates: [SQUARE], bbox: bboxOf(SQUARE) };

    it.each([
      [{ lat: 2, lon: 2 }, true],
      [{ lat: 0, lon: 2 }, true],
      [{ lat: 2, lon: 5 }, false],
    ])('at %o says %s; a boundary counts as inside', (point, expected) => {
      expect(areaContains(area, point)).toBe(expected);
    });
  });

  it('computes a bbox from positions, ignoring altitude', () => {
    expect(
      bboxOf([
        [106.6, 20.9, 12],
        [106.7, 20.8],
        [106.65, 20.85],
      ]),
    ).toEqual([106.6, 20.8, 106.7, 20.9]);
  });
});
