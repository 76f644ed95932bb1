import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { AbortedError, type PrunerRegistry, initBackend, throwIfAborted } from '@vlp/core';
import { resolveEngine } from '@vlp/models';
import type { BenchData } from '../data/bench-data.js';
import { dataDirData } from '../data/data-dir.js';
import { shapesVLData } from '../data/shapes-vl-data.js';
import { usageError } from '../errors/bench-errors.js';
import { type Shard, selectShard } from '../grid/shard.js';
import { installedPrunerRegistry } from '../pruners/installed-pruners.js';
import { METHOD_PACKAGES } from '../pruners/method-packages.js';
import { writeReports } from '../report/write-reports.js';
import type { CellRecord } from '../results/schema.js';
import { modelPrunerIds } from '../suite/model-grid.js';
import { MODEL_GRID_FIELDS, type Suite } from '../suite/types.js';
import { readAllCells, readCell, writeCell, writeResults } from './cell-store.js';
import { runEnvironment } from './environment.js';
import type { BenchEventSink } from './events.js';
import { acquireRunLock } from './lock.js';
import { type RunManifest, readManifest, writeManifest } from './manifest.js';
import { type PlannedModel, type RunPlan, prepareRun } from './prepare-run.js';
import { runCell } from './run-cell.js';

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  readonly suite: Suite;
  /** Output directory of the run (created). */
  readonly runDir: string;
  /** Continue a run in `runDir`: finished cells are skipped, the rest (and failed ones) run. */
  readonly resume?: boolean;
  /** Run only shard i/n of the grid (`bench merge` combines shard directories). */
  readonly shard?: Shard;
  /** Cap evaluation at this many images per task. */
  readonly limit?: number;
  /** Real datasets from a local directory instead of the embedded Shapes-VL (see data/data-dir.ts). */
  readonly dataDir?: string;
  /** Pruners to choose from (default: baselines + installed method packages). */
  readonly registry?: PrunerRegistry;
  readonly signal?: AbortSignal;
  readonly onEvent?: BenchEventSink;
  /** Recorded in run.json. */
  readonly argv?: readonly string[];
  /** Resolves relative `dir` model specs (default `process.cwd()`). */
  readonly cwd?: string;
}

/** What {@link runBench} returns. */
export interface RunBenchResult {
  readonly runDir: string;
  readonly status: 'complete' | 'failed';
  /** The records of this run's cells, in grid order. */
  readonly records: readonly CellRecord[];
  readonly failed: number;
  readonly manifest: RunManifest;
}

function checkFreshDir(runDir: string, resume: boolean): void {
  if (resume) {
    if (!existsSync(path.join(runDir, 'run.json'))) throw usageError(`--resume: ${runDir} holds no run (no run.json). Start a run there without --resume.`);
    return;
  }
  if (existsSync(path.join(runDir, 'run.json')) || existsSync(path.join(runDir, 'cells'))) {
    throw usageError(`${runDir} already holds a run. Pass --resume to continue it, or choose another --out.`);
  }
}

function manifestOf(plan: RunPlan, base: { runId: string; startedAt: string; argv: readonly string[]; limit?: number; shard?: Shard; data: BenchData; backend: string; env: ReturnType<typeof runEnvironment> }): RunManifest {
  return {
    format: 'vlp-bench-run',
    version: 1,
    runId: base.runId,
    status: 'running',
    startedAt: base.startedAt,
    argv: [...base.argv],
    suite: { id: plan.suite.id, description: plan.suite.description, hash: plan.suiteHash, definition: plan.suite },
    limit: base.limit ?? null,
    shard: base.shard ?? null,
    environment: base.env,
    backend: { tfjs: base.backend, engine: resolveEngine(), gradients: 'tfjs' },
    seeds: plan.suite.seeds,
    data: { id: base.data.id },
    models: [...plan.models.values()].map((m) => ({
      id: m.suiteModel.id,
      spec: m.suiteModel.model,
      dir: m.dir,
      architecture: m.adapter.architecture,
      hfArchitecture: m.hfArchitecture,
      sha256: m.sha256,
      files: m.files,
      tasks: m.suiteModel.tasks,
      evalSets: m.evalHashes,
      grid: {
        pruners: modelPrunerIds(m.grid.pruners, [...plan.pruners.keys()]),
        sparsities: m.grid.sparsities,
        ...(m.grid.prunerSparsities === undefined ? {} : { prunerSparsities: m.grid.prunerSparsities }),
        compressions: m.grid.compressions,
        evaluation: m.grid.evaluation,
        recovery: m.grid.recovery,
        overrides: MODEL_GRID_FIELDS.filter((f) => m.suiteModel[f] !== undefined),
      },
    })),
    pruners: [...plan.pruners.values()].map(({ pruner, config }) => ({
      id: pruner.id,
      displayName: pruner.displayName,
      version: pruner.version,
      granularity: pruner.capabilities.granularity,
      paper: pruner.paper ?? null,
      config,
    })),
    skipped: plan.skipped,
    cells: { grid: plan.cells.map((c) => c.key), total: 0, finished: 0, failed: 0 },
  };
}

/**
 * Runs a benchmark suite into `runDir`: takes the directory's lock (a second live run is refused),
 * resolves the plan, writes `run.json`, runs every cell of the (shard of the) grid that has no
 * finished record yet — each written atomically to `cells/<key>.json` as it finishes, with
 * `results.jsonl` regenerated — and finally writes `summary.md`, the SVG plots and `report.html`.
 * An abort (signal) stops between phases: the current cell is dropped (redone by `--resume`),
 * run.json says `interrupted`, and `VLP_ABORTED` is thrown.
 */
export async function runBench(options: RunBenchOptions): Promise<RunBenchResult> {
  const runDir = path.resolve(options.runDir);
  const emit: BenchEventSink = options.onEvent ?? (() => undefined);
  const signal = options.signal ?? new AbortController().signal;
  const created = !existsSync(runDir);
  await mkdir(runDir, { recursive: true });
  const lock = await acquireRunLock(runDir, (message) => emit({ type: 'warning', message }));
  const started = performance.now();
  let manifest: RunManifest | undefined;
  try {
    checkFreshDir(runDir, options.resume ?? false);
    const previous = options.resume ? readManifest(runDir) : undefined;
    if (previous && previous.suite.id !== options.suite.id) {
      throw usageError(`--resume: ${runDir} holds a run of suite "${previous.suite.id}", not "${options.suite.id}". Pass --suite ${previous.suite.id} or another --out.`);
    }
    await mkdir(path.join(runDir, 'cells'), { recursive: true });
    await mkdir(path.join(runDir, 'masks'), { recursive: true });
    const backend = (await initBackend()).name;
    const engine = resolveEngine();
    const data = options.dataDir ? dataDirData(path.resolve(options.cwd ?? process.cwd(), options.dataDir)) : shapesVLData(options.suite.datasetSeed);
    const registry = options.registry ?? (await installedPrunerRegistry());
    const plan = await prepareRun({ suite: options.suite, registry, data, limit: options.limit, engine, backend, cwd: options.cwd });
    const mine = selectShard(plan.cells, options.shard);
    const env = runEnvironment(METHOD_PACKAGES.map((p) => p.packageName));
    manifest = {
      ...manifestOf(plan, { runId: path.basename(runDir), startedAt: previous?.startedAt ?? new Date().toISOString(), argv: options.argv ?? [], limit: options.limit, shard: options.shard, data, backend, env }),
    };
    const done = new Map<string, CellRecord>();
    for (const { key } of mine) {
      const r = readCell(runDir, key);
      if (r?.status === 'ok') done.set(key, r);
    }
    manifest = { ...manifest, cells: { ...manifest.cells, total: mine.length, finished: done.size } };
    await writeManifest(runDir, manifest);
    emit({ type: 'run-start', runDir, suite: plan.suite.id, total: mine.length, done: done.size });

    const records = new Map<string, CellRecord>(done);
    const ordered = () => mine.map((c) => records.get(c.key)).filter((r): r is CellRecord => r !== undefined);
    await writeResults(runDir, ordered());
    let index = 0;
    for (const { cell, key } of mine) {
      index++;
      if (done.has(key)) continue;
      throwIfAborted(signal, 'the benchmark run');
      emit({ type: 'cell-start', index, total: mine.length, cell, key });
      const planned = plan.pruners.get(cell.prunerId);
      const record = await runCell({
        suite: plan.suite,
        model: plan.models.get(cell.modelId) as PlannedModel,
        cell,
        key,
        pruner: planned?.pruner,
        config: planned?.configInput,
        resolvedConfig: planned?.config ?? null,
        runDir,
        backend,
        signal,
        onEvent: emit,
      });
      throwIfAborted(signal, 'the benchmark run');
      await writeCell(runDir, record);
      records.set(key, record);
      await writeResults(runDir, ordered());
      emit({ type: 'cell-end', index, total: mine.length, result: record });
    }
    const all = ordered();
    const failed = all.filter((r) => r.status === 'failed').length;
    const status = failed > 0 ? 'failed' : 'complete';
    manifest = { ...manifest, status, endedAt: new Date().toISOString(), cells: { ...manifest.cells, finished: all.length - failed, failed } };
    await writeReports(runDir, manifest, all);
    await writeManifest(runDir, manifest);
    emit({ type: 'run-end', runDir, status, failed, durationMs: performance.now() - started });
    return { runDir, status, records: all, failed, manifest };
  } catch (error) {
    if (manifest && (signal.aborted || AbortedError.isInstance(error))) {
      const finished = [...readAllCells(runDir).keys()].filter((k) => manifest?.cells.grid.includes(k)).length;
      manifest = { ...manifest, status: 'interrupted', endedAt: new Date().toISOString(), cells: { ...manifest.cells, finished } };
      await writeManifest(runDir, manifest).catch(() => undefined);
      emit({ type: 'run-end', runDir, status: 'interrupted', failed: 0, durationMs: performance.now() - started });
    }
    throw error;
  } finally {
    await lock.release();
    // A run that failed before writing run.json leaves no empty directory behind.
    if (created && !manifest) await removeIfEmpty(runDir);
  }
}

async function removeIfEmpty(dir: string): Promise<void> {
  const entries = await readdir(dir, { recursive: true }).catch(() => ['?']);
  const onlyDirs = entries.every((e) => e === 'cells' || e === 'masks');
  if (onlyDirs) await rm(dir, { recursive: true, force: true });
}
