import path from 'node:path';
import { type AnyPruner, type BackendRequest, type PruneReport, UnsupportedArchitectureError, atomicWriteFile, prune, saveMasks, throwIfAborted, validateStandard } from '@vlp/core';
import { loadModel, readModelConfig, saveModel } from '@vlp/models';
import { withFastWasmMatMul } from '@vlp/zoo';
import { cliRegistry } from '../config/registry.js';
import { usageError } from '../errors.js';
import { calibrationSource, dataSource } from '../data/data-source.js';
import { type AnyModel, hfArchitecture, modelKind } from '../model/model-kind.js';
import { resolveModel } from '../model/resolve-model.js';
import { stageOutDir } from '../output/out-dir.js';
import { layerRows, renderLayerTable, reportJson } from '../output/prune-report.js';
import { pruneEvents } from '../progress/event-sinks.js';
import { startBackend } from '../run/backend.js';
import { duration, estimatePrune } from '../run/estimate.js';
import { modelSize } from '../run/model-size.js';
import { type CommandContext, type CommonOptions, printJson, progressFor } from './context.js';
import { readJsonFile } from './options.js';
import { bytes, count, percent } from '../output/table.js';
import { toCsv } from '../output/csv.js';

/** Options of `vlp prune`. */
export interface PruneCommandOptions extends CommonOptions {
  readonly model?: string;
  readonly pruner?: string;
  readonly sparsity?: number;
  readonly config?: string;
  readonly calibration: string;
  readonly samples: number;
  readonly batchSize: number;
  /** Held-out examples for pruners that need an evaluator (MoPE). */
  readonly evalSamples: number;
  readonly seed: number;
  readonly out?: string;
  readonly overwrite?: boolean;
  readonly compact: boolean;
  readonly dryRun?: boolean;
  readonly backend: BackendRequest;
}

function checkArchitecture(pruner: AnyPruner, architecture: string, dir: string): void {
  const archs = pruner.capabilities.architectures;
  if (archs !== '*' && !archs.includes(architecture)) {
    throw new UnsupportedArchitectureError({
      message: `Pruner "${pruner.id}" does not support ${architecture} models (${dir}); it supports ${archs.join(', ')}. Choose another pruner (vlp list) or model.`,
      actual: architecture,
      expected: archs,
    });
  }
}

/**
 * `vlp prune`: validates every input before any work (pruner id, config, sparsity, model files,
 * `--out`), prunes with `prune()` from `@vlp/core`, compacts structured results, and writes the
 * pruned checkpoint (`model/`, Hugging Face layout), `masks.safetensors`, `report.json` and
 * `layers.csv` into a staging directory that is renamed to `--out` only when everything is written.
 */
export async function runPrune(options: PruneCommandOptions, ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  if (options.sparsity === undefined) throw usageError('--sparsity is required, e.g. --sparsity 0.5.');
  if (!options.pruner) throw usageError('--pruner is required; vlp list shows the installed pruners.');
  const registry = cliRegistry((await ctx.config()).config);
  const pruner = registry.get(options.pruner);
  const configInput = options.config ? readJsonFile(options.config, io.cwd, '--config') : {};
  const resolvedConfig = await validateStandard(pruner.configSchema, configInput, `config of pruner "${pruner.id}" (${options.config ?? 'defaults'})`);
  const model = await resolveModel(options.model, io.cwd);
  const kind = modelKind(hfArchitecture(readModelConfig(model.dir)), model.dir);
  checkArchitecture(pruner, kind.architecture, model.dir);
  const data = await dataSource(options.calibration, io.cwd);
  const structured = pruner.capabilities.granularity === 'structured';

  if (options.dryRun) {
    const size = await modelSize(model.dir);
    const estimate = estimatePrune(pruner, size, options.samples);
    const plan = {
      dryRun: true,
      model: { spec: model.label, dir: model.dir, architecture: kind.architecture, params: size.params, prunableParams: size.prunable },
      pruner: { id: pruner.id, version: pruner.version, granularity: pruner.capabilities.granularity, requires: pruner.capabilities.requires },
      request: { sparsity: options.sparsity, seed: options.seed },
      config: resolvedConfig,
      calibration: { source: data.id, samples: options.samples, batchSize: options.batchSize, used: pruner.capabilities.requires.calibration },
      out: options.out ? path.resolve(io.cwd, options.out) : null,
      compact: structured && options.compact,
      estimate: { memoryBytes: Math.round(estimate.memoryBytes), seconds: Number(estimate.seconds.toFixed(2)), basis: estimate.basis },
    };
    if (options.json) printJson(ctx, plan);
    else {
      io.stdout(`Dry run: nothing is loaded or written.\n`);
      io.stdout(`  model        ${model.label} (${kind.architecture}, ${count(size.params)} parameters, ${count(size.prunable)} prunable)\n`);
      io.stdout(`  pruner       ${pruner.id} ${pruner.version} (${pruner.capabilities.granularity})\n`);
      io.stdout(`  request      sparsity ${options.sparsity}, seed ${options.seed}\n`);
      io.stdout(`  config       ${JSON.stringify(resolvedConfig)}\n`);
      io.stdout(`  calibration  ${data.id}, ${options.samples} samples in batches of ${options.batchSize}${pruner.capabilities.requires.calibration ? '' : ' (not needed by this pruner)'}\n`);
      io.stdout(`  out          ${plan.out ?? '(none given)'}\n`);
      io.stdout(`  estimate     ~${bytes(estimate.memoryBytes)} peak memory, ~${duration(estimate.seconds)} (${estimate.basis}; rough)\n`);
    }
    return 0;
  }

  if (!options.out) throw usageError('--out <dir> is required (where the pruned checkpoint and report go), or pass --dry-run.');
  const staged = await stageOutDir(options.out, io.cwd, options.overwrite === true);
  const progress = progressFor(ctx, 'prune', options);
  const owned: AnyModel[] = [];
  let report: PruneReport;
  let backend: string;
  let savedFiles: readonly string[];
  try {
    backend = await startBackend(options.backend, io.env);
    progress.phase(`load ${model.label}`);
    const loaded = (await loadModel(model.dir)) as AnyModel;
    owned.push(loaded);
    const view = kind.view(loaded);
    const evaluation = pruner.capabilities.requires.evaluator ? await kind.evaluationSet(loaded, data, options.evalSamples) : undefined;
    const calibration = calibrationSource(kind, loaded, data, { samples: options.samples, batchSize: options.batchSize, seed: options.seed });
    report = await withFastWasmMatMul(() =>
      prune(pruner, view, { sparsity: options.sparsity as number, seed: options.seed }, {
        config: configInput,
        calibration,
        task: kind.pruneTask(loaded, evaluation, calibration),
        signal: io.signal,
        onEvent: pruneEvents(progress),
      }),
    );
    let result = loaded;
    if (structured && options.compact && report.structureMask) {
      progress.phase('compact');
      result = kind.compact(loaded, report.structureMask);
      owned.push(result);
    }
    progress.phase('save');
    const saved = await saveModel(result, path.join(staged.staging, 'model'), { sourceDir: model.dir });
    savedFiles = saved.files;
    const shapes = new Map(view.units.map((u) => [u.name, [...u.shape]]));
    await saveMasks(path.join(staged.staging, 'masks.safetensors'), report.masks, { shapes, metadata: { pruner: pruner.id, sparsity: String(options.sparsity), seed: String(options.seed) } });
    const json = reportJson({ report, pruner, model, architecture: kind.architecture, backend, calibration: data.id, compacted: result !== loaded, paramsBefore: loaded.params.size(), paramsAfter: result.params.size() });
    await atomicWriteFile(path.join(staged.staging, 'report.json'), `${JSON.stringify(json, null, 2)}\n`);
    const rows = layerRows(report);
    await atomicWriteFile(path.join(staged.staging, 'layers.csv'), toCsv(['layer', 'modality', 'block', 'role', 'params', 'targetSparsity', 'realizedSparsity'], rows.map((r) => [r.layer, r.modality, r.block, r.role, r.params, r.target ?? '', r.realized])));
    throwIfAborted(io.signal, 'before writing --out');
    await staged.commit();
    progress.stop();
    const summary = { out: staged.dir, files: { model: path.join(staged.dir, 'model'), masks: path.join(staged.dir, 'masks.safetensors'), report: path.join(staged.dir, 'report.json'), layers: path.join(staged.dir, 'layers.csv') }, ...json };
    if (options.json) printJson(ctx, summary);
    else {
      io.stdout(renderLayerTable(rows));
      io.stdout(`\n${pruner.id} ${pruner.version} on ${model.label} (${kind.architecture}), backend ${backend}: target ${percent(options.sparsity)}, realised ${percent(report.sparsity.total.sparsity, 2)} of ${count(report.sparsity.total.numel)} prunable weights`);
      io.stdout(`${Object.entries(report.sparsity.perModality).map(([m, s]) => `; ${m} ${percent(s.sparsity)}`).join('')}.\n`);
      io.stdout(
        result !== loaded
          ? `Compacted: ${count(loaded.params.size())} → ${count(result.params.size())} parameters (structures physically removed).\n`
          : structured
            ? 'Removed structures are zeroed in place (--no-compact): the checkpoint keeps its size and speed.\n'
            : 'Pruned weights are zeroed in place: the checkpoint keeps its size and speed (compaction needs a structured pruner).\n',
      );
      io.stdout(`Wrote ${staged.dir}: model/ (${savedFiles.join(', ')}), masks.safetensors, report.json, layers.csv (${(report.timings.total / 1000).toFixed(1)} s).\n`);
    }
    return 0;
  } catch (error) {
    progress.stop();
    await staged.discard();
    throw error;
  } finally {
    for (const m of owned) await m.dispose().catch(() => undefined);
  }
}
