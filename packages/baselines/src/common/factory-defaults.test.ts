import { InvalidConfigError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { baselinePruners } from '../baseline-pruners.js';
import { sparseGpt } from '../sparsegpt/sparsegpt-pruner.js';
import { wanda } from '../wanda/wanda-pruner.js';

const validate = (pruner: { configSchema: { '~standard': { validate(v: unknown): unknown } } }, value: unknown) =>
  pruner.configSchema['~standard'].validate(value) as { value?: unknown; issues?: { path?: PropertyKey[] }[] };

describe('factory defaults', () => {
  it('declare n:m only when the defaults choose it', () => {
    expect(wanda().capabilities.granularity).toBe('unstructured');
    expect(wanda({ granularity: { kind: 'n:m', n: 2, m: 4 } }).capabilities.granularity).toBe('n:m');
    expect(sparseGpt({ granularity: { kind: 'n:m', n: 4, m: 8 } }).capabilities.granularity).toBe('n:m');
  });

  it('sit under the run config, and an n:m pruner rejects an unstructured run config', () => {
    const nm = wanda({ granularity: { kind: 'n:m', n: 2, m: 4 } });
    expect(validate(nm, { tokens: 'valid' }).value).toEqual({
      granularity: { kind: 'n:m', n: 2, m: 4 },
      comparisonGroup: 'row',
      tokens: 'valid',
      sequential: true,
    });
    expect(validate(nm, { granularity: { kind: 'n:m', n: 1, m: 4 } }).value).toMatchObject({ granularity: { n: 1, m: 4 } });
    expect(validate(nm, { granularity: { kind: 'unstructured' } }).issues?.map((i) => i.path)).toEqual([['granularity']]);
  });

  it('are checked when the factory is called', () => {
    let error: unknown;
    try {
      sparseGpt({ granularity: { kind: 'n:m', n: 2, m: 4 }, blockSize: 10 });
    } catch (e) {
      error = e;
    }
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/Invalid defaults passed to sparseGpt\(\): blockSize: blockSize \(10\) must be a multiple of granularity.m \(4\)/);
  });

  it('baselinePruners() lists one default instance of each, with distinct ids', () => {
    expect(baselinePruners().map((p) => p.id)).toEqual(['random', 'magnitude', 'layerwise-l2norm', 'lamp', 'snip', 'itersnip', 'wanda', 'sparsegpt']);
  });
});
