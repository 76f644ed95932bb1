import { describe, expect, it } from 'vitest';
import { accumulate, createAccumulator, finishStatistic } from './statistic.js';

describe('the MULTIFLOW statistic', () => {
  it('divides the summed squares by the SEQUENCES, not the token rows (hand-computed)', () => {
    const acc = createAccumulator(2);
    accumulate(acc, [4, 1], 5, 2); // batch 1: 2 sequences, 5 valid tokens
    accumulate(acc, [2, 8], 3, 1); // batch 2: 1 sequence, 3 valid tokens
    expect(finishStatistic(acc)).toEqual({ actSqMean: Float64Array.of(2, 3), tokens: 8, sequences: 3 });
  });

  it('equals the official running update a ← a·n/(n+B) + ‖X‖²/(n+B)', () => {
    const batches = [
      { sums: [3, 0.5], b: 4 },
      { sums: [1, 7], b: 2 },
      { sums: [10, 2], b: 3 },
    ];
    let a = [0, 0];
    let n = 0;
    const acc = createAccumulator(2);
    for (const { sums, b } of batches) {
      a = a.map((v, j) => (v * n) / (n + b) + sums[j] / (n + b));
      n += b;
      accumulate(acc, sums, 0, b);
    }
    const mean = finishStatistic(acc).actSqMean;
    a.forEach((v, j) => expect(mean[j]).toBeCloseTo(v, 14));
  });

  it('is zero before any sequence', () => {
    expect(Array.from(finishStatistic(createAccumulator(3)).actSqMean)).toEqual([0, 0, 0]);
  });
});
