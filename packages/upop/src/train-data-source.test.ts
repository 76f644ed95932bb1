import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { trainDataSource } from './train-data-source.js';

/** Trainer data over indices 0..size−1 that records what it builds and frees. */
function recording(size: number) {
  const made: number[][] = [];
  const freed: number[][] = [];
  return { made, freed, data: { size, collate: (indices: readonly number[]) => (made.push([...indices]), [...indices]), release: (b: number[]) => void freed.push(b) } };
}

describe('trainDataSource', () => {
  it('yields `batches` batches of `batchSize` examples, every example once per pass, and frees each batch', async () => {
    const r = recording(5);
    const seen: number[][] = [];
    for await (const batch of trainDataSource(r.data, { batchSize: 2, batches: 5, seed: 3 }).batches()) {
      expect(r.freed).toHaveLength(seen.length); // the previous batch is freed before the next is built
      seen.push(batch);
    }
    expect(seen).toHaveLength(5);
    expect(seen.every((b) => b.length === 2)).toBe(true);
    const flat = seen.flat();
    expect([...flat.slice(0, 5)].sort()).toEqual([0, 1, 2, 3, 4]); // first pass: a permutation
    expect([...flat.slice(5, 10)].sort()).toEqual([0, 1, 2, 3, 4]); // second pass: another one
    expect(r.freed).toEqual(seen);
  });

  it('is deterministic per seed, and the seed matters', async () => {
    const draw = async (seed: number) => {
      const out: number[][] = [];
      for await (const b of trainDataSource(recording(50).data, { batchSize: 8, batches: 3, seed }).batches()) out.push(b);
      return out;
    };
    expect(await draw(1)).toEqual(await draw(1));
    expect(await draw(1)).not.toEqual(await draw(2));
  });

  it('rejects a bad batch size, batch count or empty data (VLP_INVALID_ARGUMENT)', () => {
    const bad = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return VlpError.isInstance(e, 'VLP_INVALID_ARGUMENT');
      }
      return false;
    };
    expect(bad(() => trainDataSource(recording(4).data, { batchSize: 0, batches: 1 }))).toBe(true);
    expect(bad(() => trainDataSource(recording(4).data, { batchSize: 1, batches: 1.5 }))).toBe(true);
    expect(bad(() => trainDataSource(recording(0).data, { batchSize: 1, batches: 1 }))).toBe(true);
  });
});
