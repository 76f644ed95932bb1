import path from 'node:path';
import { type BackendRequest, atomicWriteFile, createRng, throwIfAborted } from '@vlp/core';
import { idPlotSvg, idReport, measureUnitIds } from '@vlp/id-metric';
import { loadModel, readModelConfig } from '@vlp/models';
import { calibrationSource, dataSource } from '../data/data-source.js';
import { type AnyModel, hfArchitecture, modelKind } from '../model/model-kind.js';
import { resolveModel } from '../model/resolve-model.js';
import { stageOutDir } from '../output/out-dir.js';
import { renderTable } from '../output/table.js';
import { pruneEvents } from '../progress/event-sinks.js';
import { startBackend } from '../run/backend.js';
import { type CommandContext, type CommonOptions, printJson, progressFor } from './context.js';

export interface IdCommandOptions extends CommonOptions {
  readonly model?: string;
  readonly calibration: string;
  readonly samples: number;
  readonly batchSize: number;
  readonly maxBlocks: number;
  readonly unitsPerPass: number;
  readonly seed: number;
  readonly out?: string;
  readonly overwrite?: boolean;
  readonly backend: BackendRequest;
}

/**
 * `vlp id`: the intrinsic dimension (TwoNN) of every prunable layer's output on calibration
 * samples, as in Wang, Zhang & Ma (ICML 2024): a table (or JSON), and with `--out` the report
 * (`id-report.json`) and the paper's per-layer figure (`id-plot.svg`).
 */
export async function runId(options: IdCommandOptions, ctx: CommandContext): Promise<number> {
  const model = await resolveModel(options.model, ctx.io.cwd);
  const kind = modelKind(hfArchitecture(readModelConfig(model.dir)), model.dir);
  const data = await dataSource(options.calibration, ctx.io.cwd);
  const staged = options.out ? await stageOutDir(options.out, ctx.io.cwd, options.overwrite === true) : undefined;
  const progress = progressFor(ctx, 'id', options);
  let loaded: AnyModel | undefined;
  try {
    await startBackend(options.backend, ctx.io.env);
    loaded = (await loadModel(model.dir)) as AnyModel;
    const view = kind.view(loaded);
    const calibration = calibrationSource(kind, loaded, data, { samples: options.samples, batchSize: options.batchSize, seed: options.seed });
    progress.phase('measure intrinsic dimensions', view.units.length);
    const ids = await measureUnitIds(view, view.units, calibration, { samples: options.samples, maxBlocks: options.maxBlocks, unitsPerPass: options.unitsPerPass }, {
      signal: ctx.io.signal,
      emit: pruneEvents(progress),
      rng: createRng(options.seed),
    });
    const report = idReport(ids, { model: model.label, maxBlocks: options.maxBlocks });
    if (staged) {
      await atomicWriteFile(path.join(staged.staging, 'id-report.json'), `${JSON.stringify(report, null, 2)}\n`);
      await atomicWriteFile(path.join(staged.staging, 'id-plot.svg'), idPlotSvg(report));
      throwIfAborted(ctx.io.signal, 'before writing --out');
      await staged.commit();
    }
    progress.stop();
    if (options.json) printJson(ctx, { ...report, out: staged?.dir ?? null });
    else {
      ctx.io.stdout(renderTable(['layer', 'modality', 'ID', 'std'], report.units.map((u) => [u.unit, u.modality, u.id.toFixed(2), u.std.toFixed(2)]), ['left', 'left', 'right', 'right']));
      ctx.io.stdout(`Mean ID by modality: ${Object.entries(report.meanByModality).map(([m, v]) => `${m} ${v.toFixed(2)}`).join(', ')} (${report.samples} samples, ${options.maxBlocks} blocks).\n`);
      if (staged) ctx.io.stdout(`Wrote ${staged.dir}: id-report.json, id-plot.svg\n`);
    }
    return 0;
  } catch (error) {
    progress.stop();
    await staged?.discard();
    throw error;
  } finally {
    await loaded?.dispose();
  }
}
