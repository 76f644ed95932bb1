import { describe, expect, it } from 'vitest';
import { builtinPruners } from '../config/registry.js';
import { duration, estimatePrune } from './estimate.js';

const size = { params: 151e6, prunable: 85e6, tokensPerExample: 50 + 77, maxIn: 3072 };
const pruner = (id: string) => builtinPruners().find((p) => p.id === id)!;

describe('estimatePrune', () => {
  it('charges calibration forwards and gradient passes only to pruners that need them', () => {
    const magnitude = estimatePrune(pruner('magnitude'), size, 128);
    const wanda = estimatePrune(pruner('wanda'), size, 128);
    const snip = estimatePrune(pruner('snip'), size, 128);
    expect(magnitude.seconds).toBeLessThan(wanda.seconds);
    expect(wanda.seconds).toBeLessThan(snip.seconds);
    expect(magnitude.memoryBytes).toBeGreaterThan(2 * size.params * 4);
    expect(snip.memoryBytes).toBeGreaterThan(wanda.memoryBytes);
    expect(wanda.basis).toContain('128 calibration forwards');
  });

  it('grows with the number of samples', () => {
    expect(estimatePrune(pruner('wanda'), size, 256).seconds).toBeGreaterThan(estimatePrune(pruner('wanda'), size, 128).seconds);
  });
});

describe('duration', () => {
  it('picks seconds, minutes or hours', () => {
    expect([duration(4.21), duration(42), duration(600), duration(7200)]).toEqual(['4.2 s', '42 s', '10.0 min', '2.0 h']);
  });
});
