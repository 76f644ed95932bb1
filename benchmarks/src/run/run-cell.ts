import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type AnyPruner, type CalibrationSource, type MaskSet, type PruneReport, VlpError, prune, saveMasks } from '@vlp/core';
import { loadModel, resolveEngine } from '@vlp/models';
import type { BenchModel } from '../adapters/model-adapter.js';
import type { CellSpec } from '../grid/cells.js';
import { effectiveFlops } from '../metrics/flops.js';
import { startMemorySampler } from '../metrics/memory-sampler.js';
import { type CellRecord, RESULTS_SCHEMA_VERSION, type TaskMetrics, type UnitLine } from '../results/schema.js';
import type { Suite } from '../suite/types.js';
import { withFastGradients } from '../suite/zoo.js';
import type { BenchEventSink, CellPhase } from './events.js';
import type { ModelContext } from './model-context.js';
import { recover } from './recovery.js';

/** What one cell needs besides its spec. */
export interface CellInputs {
  readonly suite: Suite;
  readonly model: ModelContext;
  readonly cell: CellSpec;
  readonly key: string;
  /** The pruner (undefined for the dense cell) and its config input. */
  readonly pruner?: AnyPruner;
  readonly config?: unknown;
  /** Parsed config, recorded in the result. */
  readonly resolvedConfig: unknown;
  readonly runDir: string;
  readonly backend: string;
  readonly signal: AbortSignal;
  readonly onEvent: BenchEventSink;
}

async function evaluateAll(inputs: CellInputs, model: BenchModel): Promise<TaskMetrics> {
  const out: Record<string, Record<string, number>> = {};
  for (const task of inputs.model.suiteModel.tasks) {
    out[task] = await inputs.model.adapter.evaluate(model, task, inputs.model.evalSets.get(task), {
      batchSize: inputs.model.grid.evaluation.batchSize,
      signal: inputs.signal,
    });
  }
  return out;
}

function calibration(inputs: CellInputs, model: BenchModel): CalibrationSource {
  const { batches, batchSize } = inputs.suite.calibration;
  const { adapter } = inputs.model;
  return {
    size: batches,
    async *batches() {
      // Calibration examples depend on the seed only: every method sees the same data.
      const examples = await inputs.model.examples(inputs.cell.seed * batches * batchSize, batches * batchSize);
      for (let b = 0; b < batches; b++) {
        const batch = adapter.batch(model, examples.slice(b * batchSize, (b + 1) * batchSize));
        try {
          yield batch;
        } finally {
          adapter.release(batch);
        }
      }
    },
  };
}

/**
 * Training batches for pruners that train while pruning (`suite.train`): `images` training
 * examples from the cell's calibration offset in batches of `batchSize`, rendered lazily per batch.
 */
function trainSource(inputs: CellInputs, model: BenchModel): CalibrationSource {
  const { images, batchSize } = inputs.suite.train;
  const { adapter } = inputs.model;
  const size = Math.ceil(images / batchSize);
  const start = inputs.cell.seed * images;
  return {
    size,
    async *batches() {
      for (let b = 0; b < size; b++) {
        const examples = await inputs.model.examples(start + b * batchSize, Math.min(batchSize, images - b * batchSize));
        const batch = adapter.batch(model, examples);
        try {
          yield batch;
        } finally {
          adapter.release(batch);
        }
      }
    },
  };
}

/**
 * Validation batches for pruners that evaluate while pruning (`suite.validation`): the LAST
 * `count` examples of the training split (disjoint from the test split every cell is evaluated on
 * and from the first examples calibration and recovery draw), the same for every seed.
 */
async function validationBatches(inputs: CellInputs, model: BenchModel): Promise<unknown[]> {
  const { count, batchSize } = inputs.suite.validation;
  const total = await inputs.model.data.trainSize();
  const examples = await inputs.model.examples(Math.max(0, total - count), Math.min(count, total));
  const out: unknown[] = [];
  for (let b = 0; b < examples.length; b += batchSize) out.push(inputs.model.adapter.batch(model, examples.slice(b, b + batchSize)));
  return out;
}

/**
 * Runs one cell: loads the checkpoint afresh (no state leaks between cells), prunes it (structured
 * results are compacted), evaluates every task one-shot, optionally fine-tunes with the masks held
 * fixed and evaluates again, and saves the masks. Returns the cell's record; a failure of the
 * pruner or an evaluator becomes a `failed` record (an abort is rethrown).
 */
export async function runCell(inputs: CellInputs): Promise<CellRecord> {
  const started = performance.now();
  const memory = startMemorySampler();
  const { cell, model: ctx, suite } = inputs;
  const phase = (p: CellPhase) => {
    memory.sample();
    inputs.onEvent({ type: 'cell-phase', key: inputs.key, phase: p });
  };
  const timings = { pruneMs: 0, evaluateMs: 0, recoveryMs: 0, totalMs: 0 };
  const base = {
    schema: RESULTS_SCHEMA_VERSION,
    key: inputs.key,
    suite: suite.id,
    model: { id: ctx.suiteModel.id, architecture: ctx.adapter.architecture, sha256: ctx.sha256 },
    pruner: { id: cell.prunerId, version: inputs.pruner?.version ?? '', granularity: cell.granularity, config: inputs.resolvedConfig ?? null },
    target: { sparsity: cell.sparsity, compression: cell.compression ?? null, seed: cell.seed },
    primary: Object.fromEntries(ctx.suiteModel.tasks.map((t) => [t, ctx.adapter.primaryMetric(t)])),
    engine: { forward: resolveEngine(), gradients: 'tfjs' as const },
    backend: inputs.backend,
  };
  const owned: BenchModel[] = [];
  let pending: Pending;
  try {
    pending = await pruneAndEvaluate({ inputs, base, owned, timings, phase });
  } catch (error) {
    memory.stop();
    throw error;
  } finally {
    for (const m of owned) await m.dispose().catch(() => undefined);
  }
  // Measured after the models are disposed: tensors still alive here would be a leak.
  timings.totalMs = performance.now() - started;
  const mem = memory.stop();
  return { ...pending.result, timings: { ...timings }, memory: { ...mem, tfjsTensors: tf.memory().numTensors }, finishedAt: new Date().toISOString(), perUnit: pending.perUnit };
}

/** What {@link pruneAndEvaluate} shares with {@link runCell}. */
interface CellWork {
  readonly inputs: CellInputs;
  readonly base: Pick<CellRecord, 'schema' | 'key' | 'suite' | 'model' | 'pruner' | 'target' | 'primary' | 'engine' | 'backend'>;
  /** Models to dispose when the cell ends. */
  readonly owned: BenchModel[];
  readonly timings: { pruneMs: number; evaluateMs: number; recoveryMs: number; totalMs: number };
  readonly phase: (p: CellPhase) => void;
}

/** The work of one cell (see {@link runCell}); a failure becomes a `failed` record unless aborted. */
async function pruneAndEvaluate(work: CellWork): Promise<Pending> {
  const { inputs, base, owned, timings, phase } = work;
  const { cell, model: ctx } = inputs;
  try {
    phase('load');
    const model = (await loadModel(ctx.dir)) as unknown as BenchModel;
    owned.push(model);
    const paramsBefore = model.params.size();
    const flopsBefore = ctx.adapter.flops(model);

    if (!inputs.pruner) {
      phase('evaluate');
      const t0 = performance.now();
      const oneShot = await evaluateAll(inputs, model);
      timings.evaluateMs = performance.now() - t0;
      return pend({ ...base, status: 'ok', sparsity: null, params: { before: paramsBefore, after: paramsBefore, nonzeroAfter: paramsBefore }, flops: { before: flopsBefore, after: flopsBefore, effectiveAfter: flopsBefore }, metrics: { oneShot, recovered: null }, recovery: null, masks: null }, []);
    }

    phase('prune');
    const view = ctx.adapter.view(model);
    const t0 = performance.now();
    const pruner = inputs.pruner as AnyPruner;
    const { training, evaluator } = pruner.capabilities.requires;
    const validation = evaluator ? await validationBatches(inputs, model) : undefined;
    let report: PruneReport;
    try {
      report = await withFastGradients(() =>
        prune(pruner, view, { sparsity: cell.sparsity, seed: cell.seed }, {
          config: inputs.config,
          calibration: calibration(inputs, model),
          task: ctx.adapter.pruneTask(model, { ...(training ? { train: trainSource(inputs, model) } : {}), ...(validation ? { validation } : {}) }),
          signal: inputs.signal,
          onEvent: (e) => {
            if (e.type === 'unit-score-end') inputs.onEvent({ type: 'cell-step', key: inputs.key, phase: 'prune', step: e.index + 1, total: e.total });
            // training pruners (UPop's search) report steps instead of units
            else if (e.type === 'step-end') inputs.onEvent({ type: 'cell-step', key: inputs.key, phase: 'prune', step: e.step, total: e.total });
          },
        }),
      );
    } finally {
      for (const batch of validation ?? []) ctx.adapter.release(batch);
    }
    timings.pruneMs = performance.now() - t0;

    const structured = report.structureMask !== undefined && cell.granularity === 'structured';
    const evalModel = structured ? ctx.adapter.compact(model, report.structureMask as never) : model;
    if (evalModel !== model) {
      owned.push(evalModel);
      // compaction builds a new model object without the checkpoint's processors
      evalModel.tokenizer ??= model.tokenizer;
      evalModel.imageProcessor ??= model.imageProcessor;
    }
    const tokensOf = new Map(view.units.map((u) => [u.name, ctx.adapter.unitTokens(model, u)]));
    const perUnit: UnitLine[] = report.sparsity.perUnit.map((u) => ({
      unit: u.unit,
      modality: u.modality,
      blockId: u.blockId,
      role: u.role,
      numel: u.numel,
      sparsity: u.sparsity,
      ...(u.target === undefined ? {} : { target: u.target }),
    }));
    const pruned = report.sparsity.total.pruned;
    const paramsAfter = evalModel.params.size();
    const flopsAfter = ctx.adapter.flops(evalModel);
    const effective = structured ? flopsAfter : effectiveFlops(flopsBefore, report.sparsity.perUnit.map((u) => ({ tokens: tokensOf.get(u.unit) ?? 0, pruned: u.pruned })));

    phase('evaluate');
    const t1 = performance.now();
    const oneShot = await evaluateAll(inputs, evalModel);
    timings.evaluateMs = performance.now() - t1;

    let recovered: TaskMetrics | null = null;
    let recovery: { steps: number; firstLoss: number; lastLoss: number } | null = null;
    // the model's own recovery settings when it overrides the suite's
    const spec = ctx.grid.recovery;
    if (spec) {
      phase('recover');
      const t2 = performance.now();
      const examples = await ctx.examples(0, spec.images);
      const masks: MaskSet = structured ? new Map() : report.masks;
      recovery = await withFastGradients(() =>
        recover({
          adapter: ctx.adapter,
          model: evalModel,
          examples,
          spec,
          masks,
          seed: cell.seed,
          signal: inputs.signal,
          onStep: (step, total) => inputs.onEvent({ type: 'cell-step', key: inputs.key, phase: 'recover', step, total }),
        }),
      );
      timings.recoveryMs = performance.now() - t2;
      phase('evaluate');
      const t3 = performance.now();
      recovered = await evaluateAll(inputs, evalModel);
      timings.evaluateMs += performance.now() - t3;
    }

    phase('save');
    const masksFile = path.join('masks', `${inputs.key}.safetensors`);
    const shapes = new Map(view.units.map((u) => [u.name, [...u.shape]]));
    await saveMasks(path.join(inputs.runDir, masksFile), report.masks, {
      shapes,
      metadata: { pruner: cell.prunerId, sparsity: String(cell.sparsity), seed: String(cell.seed), model: ctx.suiteModel.id, key: inputs.key },
    });
    return pend(
      {
        ...base,
        status: 'ok',
        sparsity: {
          overall: report.sparsity.total.sparsity,
          perModality: Object.fromEntries(Object.entries(report.sparsity.perModality).map(([m, c]) => [m, c?.sparsity ?? 0])),
        },
        params: { before: paramsBefore, after: paramsAfter, nonzeroAfter: structured ? paramsAfter : paramsBefore - pruned },
        flops: { before: flopsBefore, after: flopsAfter, effectiveAfter: effective },
        metrics: { oneShot, recovered },
        recovery,
        masks: masksFile,
        prunerReport: { timings: finiteValues(report.timings), metrics: finiteValues(report.metrics) },
      },
      perUnit,
    );
  } catch (error) {
    if (inputs.signal.aborted) throw error;
    const code = VlpError.isInstance(error) ? error.code : 'ERROR';
    const message = error instanceof Error ? error.message : String(error);
    return pend({ ...base, status: 'failed', sparsity: null, params: null, flops: null, metrics: { oneShot: {}, recovered: null }, recovery: null, masks: null, error: { code, message } }, []);
  }
}

/** The finite numbers of a pruner's named timings or metrics (JSON has no NaN or Infinity). */
function finiteValues(values: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)));
}

type Pending = { readonly result: Omit<CellRecord, 'timings' | 'memory' | 'finishedAt' | 'perUnit'>; readonly perUnit: UnitLine[] };

function pend(result: Pending['result'], perUnit: UnitLine[]): Pending {
  return { result, perUnit };
}
