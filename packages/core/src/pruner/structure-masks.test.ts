import { describe, expect, it } from 'vitest';
import { VlpError } from '../errors/index.js';
import { structureMaskToUnitMasks } from './structure-masks.js';
import { STRUCTURES, UNITS } from './test-fixtures.js';

const view = { units: UNITS, structures: STRUCTURES };

describe('structureMaskToUnitMasks', () => {
  it('zeroes the rows and columns a head owns', () => {
    const masks = structureMaskToUnitMasks(view, { removed: ['vision.0.attn.head.1'] });
    expect([...masks.keys()]).toEqual(['v.0.q.weight', 'v.0.out.weight']);
    // q [4, 4]: rows 2 and 3 pruned.
    expect([...masks.get('v.0.q.weight')!]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    // out [4, 4]: columns 2 and 3 pruned.
    expect([...masks.get('v.0.out.weight')!]).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]);
  });

  it('combines several structures and leaves untouched units out', () => {
    const masks = structureMaskToUnitMasks(view, { removed: ['vision.0.attn.head.0', 'text.0.mlp.neuron.1'] });
    expect([...masks.get('v.0.out.weight')!]).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1]);
    expect([...masks.get('t.0.fc1.weight')!]).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    expect(structureMaskToUnitMasks(view, { removed: [] }).size).toBe(0);
  });

  it('rejects unknown structures, unknown units and out-of-range indices', () => {
    const expectInvalid = (fn: () => unknown, pattern: RegExp) => {
      try {
        fn();
        throw new Error('no error');
      } catch (e) {
        expect(VlpError.isInstance(e, 'VLP_INVALID_ARGUMENT')).toBe(true);
        expect((e as Error).message).toMatch(pattern);
      }
    };
    expectInvalid(() => structureMaskToUnitMasks(view, { removed: ['vision.9.attn.head.0'] }), /Unknown structure "vision.9.attn.head.0".*vision.0.attn.head.0/);
    const strayUnit = [{ ...STRUCTURES[0], slices: [{ unit: 'nope', axis: 'out' as const, indices: [0] }] }];
    expectInvalid(() => structureMaskToUnitMasks({ units: UNITS, structures: strayUnit }, { removed: [STRUCTURES[0].id] }), /unknown unit "nope"/);
    const outOfRange = [{ ...STRUCTURES[0], slices: [{ unit: 'v.0.q.weight', axis: 'in' as const, indices: [4] }] }];
    expectInvalid(() => structureMaskToUnitMasks({ units: UNITS, structures: outOfRange }, { removed: [STRUCTURES[0].id] }), /column 4 of unit "v.0.q.weight", which has 4/);
  });
});
