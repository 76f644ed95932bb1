import { describe, expect, it } from 'vitest';
import { NoSuchPrunerError, VlpError } from '../errors/index.js';
import { createPrunerRegistry } from './registry.js';
import { firstEntriesPruner } from './test-fixtures.js';

const a = firstEntriesPruner({ id: 'alpha' });
const b = firstEntriesPruner({ id: 'beta' });

describe('createPrunerRegistry', () => {
  it('looks pruners up by id, in registration order', () => {
    const registry = createPrunerRegistry([b, a]);
    expect(registry.get('alpha')).toBe(a);
    expect(registry.has('beta')).toBe(true);
    expect(registry.has('gamma')).toBe(false);
    expect(registry.ids()).toEqual(['beta', 'alpha']);
    expect(registry.list()).toEqual([b, a]);
  });

  it('throws VLP_NO_SUCH_PRUNER listing the known ids and how to register one', () => {
    const registry = createPrunerRegistry([a, b]);
    let error: unknown;
    try {
      registry.get('wanda');
    } catch (e) {
      error = e;
    }
    expect(NoSuchPrunerError.isInstance(error)).toBe(true);
    expect((error as NoSuchPrunerError).code).toBe('VLP_NO_SUCH_PRUNER');
    expect((error as NoSuchPrunerError).knownIds).toEqual(['alpha', 'beta']);
    expect((error as Error).message).toMatch(/"wanda".*alpha, beta.*createPrunerRegistry/s);
  });

  it('says when nothing is registered', () => {
    expect(() => createPrunerRegistry([]).get('x')).toThrow(/\(none registered\)/);
  });

  it('rejects duplicate ids', () => {
    expect(() => createPrunerRegistry([a, firstEntriesPruner({ id: 'alpha' })])).toThrow(/two pruners have the id "alpha" \(entries 0 and 1\)/);
  });

  it('rejects factories and foreign specification versions', () => {
    const asFactory = () => createPrunerRegistry([firstEntriesPruner as never]);
    expect(asFactory).toThrow(/not a pruner; pass the result of its factory/);
    const v2 = { ...a, specificationVersion: 'v2' };
    try {
      createPrunerRegistry([v2 as never]);
      throw new Error('accepted');
    } catch (e) {
      expect(VlpError.isInstance(e, 'VLP_INVALID_ARGUMENT')).toBe(true);
      expect((e as Error).message).toMatch(/specification v2/);
    }
  });
});
