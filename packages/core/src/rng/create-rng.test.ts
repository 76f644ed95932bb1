import { describe, expect, it } from 'vitest';
import { VlpError } from '../errors/index.js';
import { createRng } from './create-rng.js';

// Golden values: computed once with an independent Python implementation of splitmix64-seeded
// xoshiro256** (high 32 bits / high 53 bits of each output, Box–Muller with math.log/cos/sin).

describe('createRng: golden outputs', () => {
  it('nextUint32 for seed 42 and the recorded seed', () => {
    const rng = createRng(42);
    expect(rng.seed).toBe(42n);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([360188718, 1627707782, 2920764210]);
  });

  it('nextFloat for seed 42 (53 high bits)', () => {
    const rng = createRng(42);
    expect([rng.nextFloat(), rng.nextFloat(), rng.nextFloat()]).toEqual([
      0.08386297105988216, 0.3789802506626686, 0.6800434110281394,
    ]);
  });

  it('fillUniform for seed 42 (24 high bits, exact in float32)', () => {
    expect(Array.from(createRng(42).fillUniform(new Float32Array(3)))).toEqual([
      0.08386296033859253, 0.37898021936416626, 0.6800433993339539,
    ]);
  });

  it('nextNormal for seed 42 (Box–Muller, cosine branch first)', () => {
    const rng = createRng(42);
    const expected = [-0.303263064678738, 0.28846173882942383, 1.3438117634372806, -0.6879751798977497];
    for (const e of expected) expect(rng.nextNormal()).toBeCloseTo(e, 12);
  });

  it('a negative seed is taken modulo 2^64', () => {
    const rng = createRng(-1);
    expect(rng.seed).toBe(18446744073709551615n);
    expect([rng.nextUint32(), rng.nextUint32()]).toEqual([2404720853, 3296108568]);
  });

  it('the same string seed gives the same stream, different strings different streams', () => {
    expect(createRng('run').nextUint32()).toBe(createRng('run').nextUint32());
    expect(createRng('run').nextUint32()).not.toBe(createRng('run2').nextUint32());
  });

  it('rejects a fractional seed with VLP_INVALID_ARGUMENT', () => {
    let caught: unknown;
    try {
      createRng(0.25);
    } catch (e) {
      caught = e;
    }
    expect(VlpError.isInstance(caught, 'VLP_INVALID_ARGUMENT')).toBe(true);
  });
});

describe('createRng: split', () => {
  it('split(a).split(b) is reproducible (golden values)', () => {
    const child = createRng(42).split('a').split('b');
    expect(child.seed).toBe(0xc248931538115157n);
    expect([child.nextUint32(), child.nextUint32(), child.nextUint32()]).toEqual([4088343562, 3154060608, 721186127]);
  });

  it('does not advance the parent and ignores the parent position', () => {
    const a = createRng(9);
    const b = createRng(9);
    a.nextUint32();
    const childAfterDraw = a.split('k');
    b.split('x');
    b.split('y');
    b.nextUint32();
    expect(b.nextUint32()).toBe(a.nextUint32());
    expect(childAfterDraw.nextFloat()).toBe(createRng(9).split('k').nextFloat());
  });

  it('integer keys equal their decimal string', () => {
    expect(createRng(1).split(3).seed).toBe(createRng(1).split('3').seed);
  });

  it('distinct keys give uncorrelated streams', () => {
    const n = 100_000;
    const x = createRng(5).split('a').fillNormal(new Float32Array(n));
    const y = createRng(5).split('b').fillNormal(new Float32Array(n));
    const z = createRng(5).fillNormal(new Float32Array(n));
    const corr = (u: Float32Array, v: Float32Array): number => {
      let s = 0;
      for (let i = 0; i < n; i++) s += u[i] * v[i];
      return s / n;
    };
    // |corr| of independent N(0,1) streams has std 1/sqrt(n) ≈ 0.0032.
    expect(Math.abs(corr(x, y))).toBeLessThan(0.015);
    expect(Math.abs(corr(x, z))).toBeLessThan(0.015);
    expect(Math.abs(corr(y, z))).toBeLessThan(0.015);
    let equal = 0;
    for (let i = 0; i < n; i++) if (x[i] === y[i]) equal++;
    expect(equal).toBeLessThan(5);
  });
});

describe('createRng: distributions (seeded, 1e5 samples)', () => {
  const n = 100_000;

  it('nextFloat is in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = createRng(2024);
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.nextFloat();
      s += u;
      s2 += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    const mean = s / n;
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // std of the mean = sqrt(1/12 / n) ≈ 0.0009: 5 sigma.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0046);
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  it('fillUniform has mean 1/2 and variance 1/12', () => {
    const u = createRng(7).fillUniform(new Float32Array(n));
    let s = 0;
    let s2 = 0;
    let outside = 0;
    for (const v of u) {
      if (!(v >= 0 && v < 1)) outside++;
      s += v;
      s2 += v * v;
    }
    expect(outside).toBe(0);
    expect(Math.abs(s / n - 0.5)).toBeLessThan(0.0046);
    expect(Math.abs(s2 / n - (s / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
  });

  it('fillNormal has mean 0, std 1 and the normal tail mass', () => {
    const z = createRng(11).fillNormal(new Float32Array(n));
    let s = 0;
    let s2 = 0;
    let beyond2 = 0;
    for (const v of z) {
      s += v;
      s2 += v * v;
      if (Math.abs(v) > 2) beyond2++;
    }
    const mean = s / n;
    expect(Math.abs(mean)).toBeLessThan(0.016); // 5 sigma of the mean
    expect(Math.abs(Math.sqrt(s2 / n - mean * mean) - 1)).toBeLessThan(0.012);
    // P(|Z| > 2) = 0.0455; binomial std ≈ 0.00066.
    expect(Math.abs(beyond2 / n - 0.0455)).toBeLessThan(0.0033);
  });

  it('fillNormal equals repeated nextNormal (also across an odd length and a pending spare)', () => {
    const a = createRng(3);
    const b = createRng(3);
    const filled = new Float32Array(7);
    a.nextNormal(); // leaves a spare
    a.fillNormal(filled);
    const tailA = a.nextNormal();
    b.nextNormal();
    const one = Array.from({ length: 7 }, () => Math.fround(b.nextNormal()));
    expect(Array.from(filled)).toEqual(one);
    expect(tailA).toBe(b.nextNormal());
  });

  it('nextInt(6) is in range and passes a chi-square test', () => {
    const rng = createRng(99);
    const counts = new Array<number>(6).fill(0);
    const m = 60_000;
    let outside = 0;
    for (let i = 0; i < m; i++) {
      const k = rng.nextInt(6);
      if (!(Number.isInteger(k) && k >= 0 && k < 6)) outside++;
      else counts[k]++;
    }
    expect(outside).toBe(0);
    const chi2 = counts.reduce((acc, c) => acc + (c - m / 6) ** 2 / (m / 6), 0);
    expect(chi2).toBeLessThan(20.5); // df = 5, p = 0.001
  });

  it('nextInt is unbiased where a plain modulo would not be (n = 3·2^30)', () => {
    // x mod n over 32-bit x would put half of the mass below 2^30; uniform puts one third.
    const rng = createRng(1);
    const n3 = 3 * 2 ** 30;
    let low = 0;
    const m = 30_000;
    let outside = 0;
    for (let i = 0; i < m; i++) {
      const k = rng.nextInt(n3);
      if (!(Number.isInteger(k) && k >= 0 && k < n3)) outside++;
      if (k < 2 ** 30) low++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(low / m - 1 / 3)).toBeLessThan(0.014); // 5 sigma
  });

  it('nextInt supports n above 2^32 and n = 1', () => {
    const rng = createRng(4);
    for (let i = 0; i < 1000; i++) {
      const k = rng.nextInt(2 ** 40 + 3);
      expect(Number.isInteger(k) && k >= 0 && k < 2 ** 40 + 3).toBe(true);
    }
    expect(rng.nextInt(1)).toBe(0);
  });

  it.each([0, -3, 2.5, Number.NaN, 2 ** 53])('nextInt(%s) throws VLP_INVALID_ARGUMENT', (bad) => {
    expect(() => createRng(1).nextInt(bad)).toThrowError(/positive safe integer/);
  });
});

describe('createRng: permutation', () => {
  it('is a permutation of 0..n-1 and reproducible', () => {
    const p = createRng(8).permutation(1000);
    expect(p).toBeInstanceOf(Uint32Array);
    expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(createRng(8).permutation(1000))).toEqual(Array.from(p));
    expect(Array.from(p.subarray(0, 20))).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('handles n = 0 and n = 1 and rejects bad n', () => {
    expect(createRng(1).permutation(0).length).toBe(0);
    expect(Array.from(createRng(1).permutation(1))).toEqual([0]);
    expect(() => createRng(1).permutation(-1)).toThrowError(/permutation/);
    expect(() => createRng(1).permutation(1.5)).toThrowError(/permutation/);
  });

  it('puts each element in each position equally often (n = 4, 24 000 draws)', () => {
    const rng = createRng(12);
    const counts = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
    for (let d = 0; d < 24_000; d++) {
      const p = rng.permutation(4);
      for (let i = 0; i < 4; i++) counts[i][p[i]]++;
    }
    for (const row of counts) for (const c of row) expect(Math.abs(c - 6000)).toBeLessThan(350); // ~5 sigma
  });
});
