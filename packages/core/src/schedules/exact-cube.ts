/** Veltkamp split of a double into two 26-bit halves (a = hi + lo exactly). */
function split(a: number): [number, number] {
  const c = 134217729 * a; // 2^27 + 1
  const hi = c - (c - a);
  return [hi, a - hi];
}

/** Dekker's TwoProduct: `a·b = p + e` exactly, with `p = fl(a·b)`. */
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

/**
 * `x³` rounded once to the nearest double (error-free products, ≈ 2⁻¹⁰⁶ relative before the last
 * rounding) for 2⁻³⁰⁰ < |x| < 2³⁰⁰ (no overflow or underflow on the way; the schedule needs
 * [0, 1]). `x ** 3` (V8's `Math.pow`) and `x * x * x` are each off by one ulp for some inputs;
 * CPython's `x ** 3` (glibc `pow`, within 0.52 ulp) agrees with this except in rare near-halfway
 * cases (~0.1 % of random inputs, measured), and on every value of the official ID fixture.
 */
export function cube(x: number): number {
  const [p, e1] = twoProduct(x, x);
  const [c, e2] = twoProduct(p, x);
  return c + (e2 + e1 * x);
}
