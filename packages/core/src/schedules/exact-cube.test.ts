import { describe, expect, it } from 'vitest';
import { cube } from './exact-cube.js';

describe('cube (correctly rounded x³)', () => {
  it('is exact where x³ is representable', () => {
    expect(cube(0.5)).toBe(0.125);
    expect(cube(3)).toBe(27);
    expect(cube(-0.75)).toBe(-0.421875);
    expect(cube(0)).toBe(0);
    expect(cube(1)).toBe(1);
  });

  it('rounds once where x ** 3 and x * x * x are off by one ulp', () => {
    // Values where V8's pow / the double product differ from the correctly rounded cube
    // (checked against exact rational arithmetic in Python: float(Fraction(x) ** 3)).
    expect(cube(0.9625)).toBe(0.891666015625);
    expect(cube(0.65)).toBe(0.274625);
    expect(cube(0.44999999999999996)).toBe(0.09112499999999997);
  });
});
