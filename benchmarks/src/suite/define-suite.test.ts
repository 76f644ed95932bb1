import { describe, expect, it } from 'vitest';
import { BenchUsageError } from '../errors/bench-errors.js';
import { tinySuite } from '../__tests__/helpers.js';
import { EMBEDDED_MODELS } from '@vlp/zoo';
import { defaultSuite } from '../suites/default.js';
import { getSuite } from '../suites/index.js';
import { smokeSuite } from '../suites/smoke.js';
import { defineSuite } from './define-suite.js';

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('defineSuite', () => {
  it('freezes the suite, removes duplicate values and fills defaults', () => {
    const suite = tinySuite({ sparsities: [0.5, 0.5, 0.75], seeds: [0, 0, 1] });
    expect(suite.sparsities).toEqual([0.5, 0.75]);
    expect(suite.seeds).toEqual([0, 1]);
    expect(suite.datasetSeed).toBe(0);
    expect(Object.isFrozen(suite)).toBe(true);
    expect(tinySuite({ recovery: undefined }).recovery).toBe(false);
    expect(suite.train).toEqual({ images: 256, batchSize: 32 });
    expect(suite.validation).toEqual({ count: 128, batchSize: 128 });
  });

  it('rejects out-of-range values with a BenchUsageError naming the field', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => tinySuite({ sparsities: [1] }), /sparsity must be a number in \[0, 1\)/],
      [() => tinySuite({ compressions: [1] }), /compression must be a number > 1/],
      [() => tinySuite({ seeds: [-1] }), /seed must be a non-negative integer/],
      [() => tinySuite({ seeds: [] }), /at least one seed/],
      [() => tinySuite({ id: 'Not Kebab' }), /kebab-case/],
      [() => tinySuite({ models: [] }), /at least one model/],
      [() => tinySuite({ models: [{ id: 'm', model: { kind: 'dir', path: '' }, tasks: ['retrieval'] }] }), /model must be/],
      [() => tinySuite({ models: [{ id: 'm', model: { kind: 'dir', path: 'x' }, tasks: ['ocr' as never] }] }), /unknown task "ocr"/],
      [() => tinySuite({ calibration: { batches: 0, batchSize: 8 } }), /calibration.batches must be a positive integer/],
      [() => tinySuite({ recovery: { steps: 1, batchSize: 4, learningRate: 0, warmupSteps: 0, images: 8 } }), /learningRate must be > 0/],
      [() => tinySuite({ train: { images: 0, batchSize: 4 } }), /train.images must be a positive integer/],
      [() => tinySuite({ validation: { count: 8, batchSize: 0.5 } }), /validation.batchSize must be a positive integer/],
      [() => tinySuite({ models: [{ id: 'm', model: { kind: 'dir', path: 'x' }, tasks: ['retrieval'], optional: true }] }), /optional applies to embedded models only/],
    ];
    for (const [fn, message] of cases) {
      const error = thrown(fn);
      expect(BenchUsageError.isInstance(error), String(message)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('defines the built-in suites: default covers sparsities 0.5/0.63/0.75/0.9 and 2×/4×, smoke is small', () => {
    expect(defaultSuite.sparsities).toEqual([0.5, 0.63, 0.75, 0.9]);
    expect(defaultSuite.compressions).toEqual([2, 4]);
    expect(defaultSuite.seeds).toEqual([0]);
    expect(defaultSuite.pruners).toBe('installed');
    expect(defaultSuite.models.map((m) => [m.model, m.tasks, m.optional ?? false])).toEqual([
      [{ kind: 'embedded', name: 'tiny-clip' }, ['zero-shot', 'retrieval'], false],
      [{ kind: 'embedded', name: 'tiny-blip-itm' }, ['retrieval'], true],
      [{ kind: 'embedded', name: 'tiny-blip-caption' }, ['captioning'], true],
      [{ kind: 'embedded', name: 'tiny-blip-vqa' }, ['vqa'], true],
    ]);
    // every checkpoint the zoo ships is in the default suite
    const named = new Set(defaultSuite.models.map((m) => (m.model.kind === 'embedded' ? m.model.name : '')));
    for (const name of EMBEDDED_MODELS) expect(named.has(name), name).toBe(true);
    expect(smokeSuite.evaluation.count).toBeLessThanOrEqual(100);
    expect(getSuite('smoke')).toBe(smokeSuite);
    expect(() => getSuite('nope')).toThrowError(/Unknown suite "nope". Suites: default, smoke/);
    expect(() => defineSuite({ ...smokeSuite, pruners: [] })).toThrowError(/non-empty list of pruner ids/);
  });
});
