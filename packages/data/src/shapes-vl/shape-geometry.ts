/**
 * Point-in-shape tests in an object's local frame: the object's bounding box is `[−1, 1]²`, x to the
 * right, y down. Only `+ − × /` and comparisons are used (IEEE 754 basic operations, correctly
 * rounded and therefore identical on every machine and Node version); polygon vertices are fixed
 * decimal constants (the star's were computed once from its angles and rounded to 4 decimals), never
 * computed at run time with `Math.sin`/`Math.cos`, whose results are not guaranteed across V8 versions.
 */
import type { Shape } from './vocabulary.js';

type Polygon = readonly (readonly [number, number])[];

/** Five-pointed star, outer radius 1, inner radius 0.42, first point up. */
const STAR: Polygon = [
  [0, -1],
  [0.2469, -0.3398],
  [0.9511, -0.309],
  [0.3994, 0.1298],
  [0.5878, 0.809],
  [0, 0.42],
  [-0.5878, 0.809],
  [-0.3994, 0.1298],
  [-0.9511, -0.309],
  [-0.2469, -0.3398],
];

/** Triangle pointing up, base 2 wide, 1.75 high (close to equilateral). */
const TRIANGLE: Polygon = [
  [0, -0.95],
  [1, 0.8],
  [-1, 0.8],
];

/**
 * The lower part of the heart: the two lobes are circles of radius 0.5 centred at (±0.5, −0.35),
 * and this quadrilateral joins their tangent points from the tip (0, 0.95) (tangent points rounded
 * to 4 decimals) with the point where the lobes touch.
 */
const HEART_BODY: Polygon = [
  [-0.8711, -0.0149],
  [0, 0.95],
  [0.8711, -0.0149],
  [0, -0.35],
];

/** Even–odd crossing test. */
function insidePolygon(polygon: Polygon, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Arm half-width of the cross (a plus sign). */
const CROSS_ARM = 0.3;
/** Half side of the square. */
const SQUARE_HALF = 0.8;
/** Squared inner radius of the ring (0.55²). */
const RING_INNER_SQUARED = 0.3025;

type InsideTest = (x: number, y: number) => boolean;

const TESTS: Readonly<Record<Shape, InsideTest>> = {
  circle: (x, y) => x * x + y * y <= 1,
  ring: (x, y) => {
    const r2 = x * x + y * y;
    return r2 <= 1 && r2 >= RING_INNER_SQUARED;
  },
  square: (x, y) => Math.abs(x) <= SQUARE_HALF && Math.abs(y) <= SQUARE_HALF,
  diamond: (x, y) => Math.abs(x) + Math.abs(y) <= 1,
  cross: (x, y) => {
    const ax = Math.abs(x);
    const ay = Math.abs(y);
    return (ax <= CROSS_ARM && ay <= 1) || (ay <= CROSS_ARM && ax <= 1);
  },
  triangle: (x, y) => insidePolygon(TRIANGLE, x, y),
  star: (x, y) => insidePolygon(STAR, x, y),
  heart: (x, y) => {
    const dy = y + 0.35;
    const dl = x + 0.5;
    const dr = x - 0.5;
    return dl * dl + dy * dy <= 0.25 || dr * dr + dy * dy <= 0.25 || insidePolygon(HEART_BODY, x, y);
  },
};

/** The point-in-shape test of `shape`: whether the local point (x, y) is inside (see the file comment for the frame). */
export function insideTest(shape: Shape): InsideTest {
  return TESTS[shape];
}

/** Whether the local point (x, y) is inside `shape` (see the file comment for the frame). */
export function insideShape(shape: Shape, x: number, y: number): boolean {
  return TESTS[shape](x, y);
}
