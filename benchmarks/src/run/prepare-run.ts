import { type AnyPruner, type PrunerRegistry, validateStandard } from '@vlp/core';
import { loadModel, readModelConfig } from '@vlp/models';
import { adapterFor } from '../adapters/adapter-for.js';
import type { BenchModel } from '../adapters/model-adapter.js';
import type { BenchData } from '../data/bench-data.js';
import { hashTaskSet } from '../data/data-hash.js';
import { usageError } from '../errors/bench-errors.js';
import { hashValue } from '../grid/canonical-json.js';
import type { CellSpec } from '../grid/cells.js';
import { planCells } from '../grid/plan-cells.js';
import { modelGrid } from '../suite/model-grid.js';
import { embeddedModelMissing, resolveModelDir } from '../suite/model-spec.js';
import type { Suite, TaskId } from '../suite/types.js';
import { hashModelDir } from './file-hash.js';
import { type ModelContext, cachedExamples } from './model-context.js';

/** A resolved pruner: the object, its config input and its parsed config. */
export interface PlannedPruner {
  readonly pruner: AnyPruner;
  readonly configInput: unknown;
  readonly config: unknown;
}

/** A model of the plan: its shared context plus the sha256 of each checkpoint file. */
export type PlannedModel = ModelContext & { readonly files: Record<string, string> };

/** Everything a run (or a dry run) needs, resolved once. */
export interface RunPlan {
  readonly suite: Suite;
  readonly models: ReadonlyMap<string, PlannedModel>;
  readonly pruners: ReadonlyMap<string, PlannedPruner>;
  /** The whole grid in order, with keys. */
  readonly cells: readonly { readonly cell: CellSpec; readonly key: string }[];
  readonly skipped: readonly { modelId: string; prunerId: string; reason: string }[];
  /** Hash of the suite definition after overrides (recorded, informative). */
  readonly suiteHash: string;
}

async function selectPruners(suite: Suite, registry: PrunerRegistry): Promise<Map<string, PlannedPruner>> {
  const pruners = suite.pruners === 'installed' ? registry.list() : suite.pruners.map((id) => registry.get(id));
  const out = new Map<string, PlannedPruner>();
  for (const pruner of pruners) {
    const configInput = suite.prunerConfigs?.[pruner.id] ?? {};
    out.set(pruner.id, { pruner, configInput, config: await validateStandard(pruner.configSchema, configInput, `config of pruner "${pruner.id}" in suite "${suite.id}"`) });
  }
  return out;
}

function imageSizeOf(model: BenchModel): number {
  return model.config.vision.imageSize;
}

/**
 * Resolves a suite into a plan: pruners from the registry (unknown ids → `VLP_NO_SUCH_PRUNER`
 * listing the known ones) with parsed configs, every model's directory, architecture, file hashes
 * and held-out sets (the model's `evaluation.count` images per task, capped at `limit`), and the
 * grid (each model with its own grid overrides) with a content key per cell.
 */
export async function prepareRun(args: {
  readonly suite: Suite;
  readonly registry: PrunerRegistry;
  readonly data: BenchData;
  readonly limit?: number;
  readonly engine: string;
  readonly backend: string;
  readonly cwd?: string;
}): Promise<RunPlan> {
  const { suite, data } = args;
  const pruners = await selectPruners(suite, args.registry);
  const models = new Map<string, PlannedModel>();
  const absent: { modelId: string; prunerId: string; reason: string }[] = [];
  for (const m of suite.models) {
    const missing = m.optional && m.model.kind === 'embedded' ? await embeddedModelMissing(m.model.name) : undefined;
    if (missing) {
      absent.push({ modelId: m.id, prunerId: '*', reason: `optional: ${missing}` });
      continue;
    }
    const dir = await resolveModelDir(m.model, args.cwd);
    const raw = readModelConfig(dir);
    const hfArchitecture = Array.isArray(raw.architectures) ? String(raw.architectures[0]) : String(raw.model_type);
    const adapter = adapterFor(hfArchitecture, dir);
    const bad = m.tasks.filter((t) => !adapter.tasks.includes(t));
    if (bad.length > 0) {
      throw usageError(`Model "${m.id}" (${hfArchitecture}) cannot be evaluated on ${bad.join(', ')}; its tasks: ${adapter.tasks.join(', ')}.`);
    }
    const loaded = (await loadModel(dir)) as unknown as BenchModel;
    const imageSize = imageSizeOf(loaded);
    await loaded.dispose();
    const { sha256, files } = await hashModelDir(dir);
    // the model's own evaluation size when it overrides the suite's
    const grid = modelGrid(suite, m);
    const count = Math.min(grid.evaluation.count, args.limit ?? Number.POSITIVE_INFINITY);
    const evalSets = new Map<TaskId, unknown>();
    const evalHashes: Partial<Record<TaskId, string>> = {};
    for (const task of m.tasks) {
      const set =
        task === 'zero-shot'
          ? await data.zeroShot(count, imageSize)
          : task === 'retrieval'
            ? await data.retrieval(count, imageSize)
            : task === 'captioning'
              ? await data.captioning(count, imageSize)
              : await data.vqa(count, imageSize);
      evalSets.set(task, set);
      evalHashes[task] = hashTaskSet(set as never);
    }
    models.set(m.id, { suiteModel: m, grid, dir, hfArchitecture, adapter, sha256, files, imageSize, evalSets, evalHashes, data, examples: cachedExamples(data, imageSize) });
  }
  if (models.size === 0) throw usageError(`Suite "${suite.id}" has no model to run: ${absent.map((a) => a.reason).join('; ')}.`);
  const { cells: keyed, skipped } = planCells({
    suite,
    models: [...models.values()].map((c) => ({ suiteModel: c.suiteModel, architecture: c.adapter.architecture, sha256: c.sha256, evalHashes: c.evalHashes })),
    pruners,
    dataId: data.id,
    engine: args.engine,
    backend: args.backend,
  });
  return { suite, models, pruners, cells: keyed, skipped: [...absent, ...skipped], suiteHash: hashValue({ suite, limit: args.limit ?? null }) };
}
