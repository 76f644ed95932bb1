import type { PrunableUnit } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { allocateMasks } from './allocate.js';

const unit = (name: string, rows: number, cols: number): PrunableUnit => ({ name, modality: 'vision', blockId: 'vision.0', block: 0, role: 'mlp.fc1', shape: [rows, cols] });
const units = [unit('a', 1, 4), unit('b', 2, 2)];
const scores = new Map([
  ['a', Float64Array.from([4, 1, 3, 2])],
  ['b', Float64Array.from([10, 20, 30, 40])],
]);

describe('allocateMasks', () => {
  it('prunes ⌊s·n⌋ per unit with layer allocation and reports the targets', () => {
    const { masks, targets } = allocateMasks(units, scores, 0.5, 'layer');
    expect(Array.from(masks!.get('a')!)).toEqual([1, 0, 1, 0]);
    expect(Array.from(masks!.get('b')!)).toEqual([0, 0, 1, 1]);
    expect([...targets!.values()]).toEqual([0.5, 0.5]);
  });

  it('prunes ⌊s·N⌋ under one threshold with global allocation, without targets', () => {
    const { masks, targets } = allocateMasks(units, scores, 0.5, 'global');
    expect(Array.from(masks!.get('a')!)).toEqual([0, 0, 0, 0]);
    expect(Array.from(masks!.get('b')!)).toEqual([1, 1, 1, 1]);
    expect(targets).toBeUndefined();
  });
});
