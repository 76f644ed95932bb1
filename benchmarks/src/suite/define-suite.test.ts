import { describe, expect, it } from 'vitest';
import { BenchUsageError } from '../errors/bench-errors.js';
import { tinySuite } from '../__tests__/helpers.js';
import { EMBEDDED_MODELS } from '@vlp/zoo';
import { BLIP_ITM_SUITE_GRID, BLIP_SUITE_GRID, CLIP_SUITE_PRUNER_SPARSITIES, defaultSuite } from '../suites/default.js';
import { expandGrid } from '../grid/cells.js';
import { installedPrunerRegistry } from '../pruners/installed-pruners.js';
import { applyOverrides } from './apply-overrides.js';
import { modelGrid, modelPrunerIds } from './model-grid.js';
import type { SuiteModel } from './types.js';
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

  it('validates per-model grid overrides like the suite values, naming the model', () => {
    const model = tinySuite().models[0] as SuiteModel;
    const withModel = (extra: Partial<SuiteModel>, suite: Parameters<typeof tinySuite>[0] = {}) => () => tinySuite({ ...suite, models: [{ ...model, ...extra }] });
    const cases: [() => unknown, RegExp][] = [
      [withModel({ sparsities: [0.5, 1] }), /models\[0\] \("clip-tiny"\): every sparsity must be a number in \[0, 1\) \(got 1\)/],
      [withModel({ sparsities: 0.5 as never }), /models\[0\] \("clip-tiny"\): sparsities must be a list/],
      [withModel({ compressions: [0.5] }), /models\[0\] \("clip-tiny"\): every compression must be a number > 1/],
      [withModel({ compressions: [Number.POSITIVE_INFINITY] }), /every compression must be a number > 1/],
      [withModel({ evaluation: { count: 0, batchSize: 8 } }), /models\[0\] \("clip-tiny"\)\.evaluation\.count must be a positive integer/],
      [withModel({ evaluation: { count: 8 } as never }), /models\[0\] \("clip-tiny"\)\.evaluation\.batchSize must be a positive integer/],
      [withModel({ recovery: { steps: 2, batchSize: 4, learningRate: 1e-4, warmupSteps: -1, images: 8 } }), /models\[0\] \("clip-tiny"\)\.recovery\.warmupSteps must be an integer ≥ 0/],
      [withModel({ recovery: { steps: 0, batchSize: 4, learningRate: 1e-4, warmupSteps: 0, images: 8 } }), /\.recovery\.steps must be a positive integer/],
      [withModel({ recovery: true as never }), /\.recovery must be false or \{ steps/],
      [withModel({ pruners: [] }), /models\[0\] \("clip-tiny"\)\.pruners must be a non-empty list of pruner ids or \{ exclude: \[ids\] \}/],
      [withModel({ pruners: 'installed' as never }), /\.pruners must be a non-empty list/],
      [withModel({ pruners: { exclude: [] } }), /\.pruners must be a non-empty list/],
      [withModel({ pruners: { include: ['random'] } as never }), /\.pruners must be a non-empty list/],
      [withModel({ pruners: ['random', 'wanda'] }), /\.pruners names "wanda", not among the suite's pruners \(random, magnitude\)/],
      [withModel({ pruners: { exclude: ['wand'] } }), /\.pruners names "wand", not among the suite's pruners/],
      [withModel({ pruners: { exclude: ['random', 'magnitude'] } }), /\.pruners excludes every pruner of the suite/],
    ];
    for (const [fn, message] of cases) {
      const error = thrown(fn);
      expect(BenchUsageError.isInstance(error), String(message)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
    // with pruners: 'installed' any ids are accepted here (checked against the registry by the run)
    expect(() => withModel({ pruners: ['wanda'] }, { pruners: 'installed' })()).not.toThrow();
  });

  it('freezes per-model overrides with duplicates removed, and resolves each model grid over the suite', () => {
    const base = tinySuite().models[0] as SuiteModel;
    const suite = tinySuite({
      sparsities: [0.5, 0.75],
      models: [base, { ...base, id: 'other', pruners: { exclude: ['random', 'random'] }, sparsities: [0.9, 0.9], compressions: [4, 4], evaluation: { count: 4, batchSize: 4 }, recovery: false }],
    });
    const [plain, other] = suite.models as [SuiteModel, SuiteModel];
    // no override: no grid fields at all (the recorded definition is unchanged)
    expect(Object.keys(plain).sort()).toEqual(['id', 'model', 'tasks']);
    expect(other).toMatchObject({ pruners: { exclude: ['random'] }, sparsities: [0.9], compressions: [4] });
    expect(Object.isFrozen(other)).toBe(true);
    expect(modelGrid(suite, plain)).toEqual({ pruners: undefined, sparsities: [0.5, 0.75], compressions: [2], evaluation: suite.evaluation, recovery: suite.recovery });
    expect(modelGrid(suite, plain).evaluation).toBe(suite.evaluation);
    expect(modelGrid(suite, other)).toEqual({ pruners: { exclude: ['random'] }, sparsities: [0.9], compressions: [4], evaluation: { count: 4, batchSize: 4 }, recovery: false });
    expect(modelPrunerIds(other.pruners, ['random', 'magnitude'])).toEqual(['magnitude']);
    expect(modelPrunerIds(['magnitude', 'random'], ['random', 'magnitude', 'wanda'])).toEqual(['random', 'magnitude']);
    expect(modelPrunerIds(undefined, ['random'])).toEqual(['random']);
  });

  it('validates and freezes per-pruner sparsities; --sparsities replaces them', () => {
    const base = tinySuite().models[0] as SuiteModel;
    const withPs = (prunerSparsities: unknown) => () => tinySuite({ models: [{ ...base, prunerSparsities: prunerSparsities as never }] });
    for (const [fn, message] of [
      [withPs([0.5]), /models\[0\] \("clip-tiny"\)\.prunerSparsities must be \{ <pruner id>: \[sparsities\] \}/],
      [withPs({ random: [] }), /prunerSparsities\.random must be a non-empty list/],
      [withPs({ random: [1.5] }), /prunerSparsities\.random: every sparsity must be a number in \[0, 1\)/],
    ] as const) {
      const error = thrown(fn);
      expect(BenchUsageError.isInstance(error), String(message)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
    // ids of pruners that a run does not have are ignored (a --pruners flag may leave them out)
    const suite = withPs({ random: [0.9, 0.9, 0.5], 'not-installed': [0.1] })();
    expect(suite.models[0]?.prunerSparsities).toEqual({ random: [0.9, 0.5], 'not-installed': [0.1] });
    expect(Object.isFrozen(suite.models[0]?.prunerSparsities)).toBe(true);
    expect(modelGrid(suite, suite.models[0]!).prunerSparsities).toEqual({ random: [0.9, 0.5], 'not-installed': [0.1] });
    expect(applyOverrides(suite, { pruners: ['random'] }).models[0]?.prunerSparsities).toEqual({ random: [0.9, 0.5], 'not-installed': [0.1] });
    expect(applyOverrides(suite, { sparsities: [0.5] }).models[0]).not.toHaveProperty('prunerSparsities');
  });

  it('applies command-line flags to every model: a grid flag replaces the models\' own values', () => {
    const base = tinySuite().models[0] as SuiteModel;
    const recovery = { steps: 4, batchSize: 4, learningRate: 1e-4, warmupSteps: 2, images: 8 };
    const suite = tinySuite({ models: [base, { ...base, id: 'other', pruners: ['random'], sparsities: [0.9], compressions: [4], recovery }] });
    expect(applyOverrides(suite, {})).toEqual(suite);
    const flagged = applyOverrides(suite, { pruners: ['magnitude'], sparsities: [0.25], recoverySteps: 2 });
    expect(flagged.models[0]).toEqual(base);
    expect(flagged.models[1]).toEqual({ ...base, id: 'other', compressions: [4], recovery: { ...recovery, steps: 2, warmupSteps: 1 } });
    expect(flagged.sparsities).toEqual([0.25]);
    expect(applyOverrides(suite, { recoverySteps: 0 }).models[1]?.recovery).toBe(false);
    expect(applyOverrides(suite, { compressions: [2] }).models[1]).not.toHaveProperty('compressions');
  });

  it('sizes the default suite: tiny-clip runs the full grid, the BLIP heads the reduced one', async () => {
    const [clip, ...blip] = defaultSuite.models as [SuiteModel, ...SuiteModel[]];
    expect(Object.keys(clip).sort()).toEqual(['id', 'model', 'prunerSparsities', 'tasks']);
    expect(clip.prunerSparsities).toEqual(CLIP_SUITE_PRUNER_SPARSITIES);
    expect(blip.map((m) => m.id)).toEqual(['tiny-blip-itm', 'tiny-blip-caption', 'tiny-blip-vqa']);
    const [itm, ...generative] = blip as [SuiteModel, ...SuiteModel[]];
    expect(modelGrid(defaultSuite, itm)).toEqual({ ...BLIP_ITM_SUITE_GRID, recovery: defaultSuite.recovery });
    for (const m of generative) {
      expect(modelGrid(defaultSuite, m)).toEqual({ ...BLIP_SUITE_GRID, recovery: defaultSuite.recovery });
    }
    // The cost notes of BLIP_SUITE_GRID / BLIP_ITM_SUITE_GRID (and docs/benchmarking.md "Cost")
    // assume exactly these pruners on the BLIP heads: a new installed pruner that would join them
    // must be sized first.
    const installed = (await installedPrunerRegistry()).list();
    const ids = installed.map((p) => p.id);
    expect(modelPrunerIds(BLIP_SUITE_GRID.pruners, ids)).toEqual(['random', 'magnitude', 'snip', 'wanda', 'sparsegpt', 'multiflow', 'upop', 'id-metric']);
    expect(modelPrunerIds(BLIP_ITM_SUITE_GRID.pruners, ids)).toEqual(['random', 'magnitude', 'snip', 'wanda', 'sparsegpt', 'multiflow', 'ecoflap', 'upop', 'id-metric', 'omp', 'ecoflap-first-order']);
    expect(ids).toHaveLength(16);
    const { cells } = expandGrid({
      models: defaultSuite.models.map((m) => ({ id: m.id, architecture: m.id === 'tiny-clip' ? 'clip' : 'blip-itm', ...(m.pruners ? { pruners: modelPrunerIds(m.pruners, ids) } : {}), ...(m.sparsities ? { sparsities: m.sparsities } : {}), ...(m.prunerSparsities ? { prunerSparsities: m.prunerSparsities } : {}), ...(m.compressions ? { compressions: m.compressions } : {}) })),
      pruners: installed,
      sparsities: defaultSuite.sparsities,
      compressions: defaultSuite.compressions,
      seeds: defaultSuite.seeds,
    });
    const count = (id: string) => cells.filter((c) => c.modelId === id).length;
    // tiny-clip: dense + 13 unstructured (omp and id-metric-iterative included) × 4 sparsities + 2 structured × 2
    // compressions + ecoflap-first-order at 0.75
    expect(count('tiny-clip')).toBe(58);
    // tiny-blip-itm: dense + random, magnitude, snip, sparsegpt, id-metric × 2 sparsities + wanda × 3
    // + multiflow, omp × 4 + ecoflap × 2 + ecoflap-first-order at 0.75 + upop at 2×
    expect(count('tiny-blip-itm')).toBe(26);
    expect(cells.filter((c) => c.modelId === 'tiny-blip-itm' && ['multiflow', 'omp'].includes(c.prunerId)).map((c) => c.sparsity)).toEqual([0.5, 0.63, 0.75, 0.9, 0.5, 0.63, 0.75, 0.9]);
    // the captioning and VQA heads: dense + 7 unstructured × 2 sparsities + upop at 2×
    for (const m of generative) expect(count(m.id)).toBe(16);
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
