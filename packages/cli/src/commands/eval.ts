import type { BackendRequest } from '@vlp/core';
import { loadModel, readModelConfig } from '@vlp/models';
import { dataSource } from '../data/data-source.js';
import { usageError } from '../errors.js';
import { type AnyModel, TASKS, type TaskId, hfArchitecture, modelKind } from '../model/model-kind.js';
import { resolveModel } from '../model/resolve-model.js';
import { renderTable } from '../output/table.js';
import { evalEvents } from '../progress/event-sinks.js';
import { startBackend } from '../run/backend.js';
import { type CommandContext, type CommonOptions, printJson, progressFor } from './context.js';

export interface EvalCommandOptions extends CommonOptions {
  readonly model?: string;
  readonly task?: string;
  readonly data: string;
  readonly limit: number;
  readonly batchSize: number;
  readonly backend: BackendRequest;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 1 ? 4 : 2));

/** `vlp eval`: metrics of a model on its tasks (all of its architecture, or `--task`), as a table or JSON. */
export async function runEval(options: EvalCommandOptions, ctx: CommandContext): Promise<number> {
  const model = await resolveModel(options.model, ctx.io.cwd);
  const kind = modelKind(hfArchitecture(readModelConfig(model.dir)), model.dir);
  const requested = options.task ? options.task.split(',').map((t) => t.trim()) : [...kind.tasks];
  for (const t of requested) {
    if (!(TASKS as readonly string[]).includes(t)) throw usageError(`Unknown task "${t}"; tasks: ${TASKS.join(', ')} (${kind.architecture} models: ${kind.tasks.join(', ')}).`);
    if (!kind.tasks.includes(t as TaskId)) throw usageError(`--task ${t} does not apply to a ${kind.architecture} model; pass one of its tasks: ${kind.tasks.join(', ')}.`);
  }
  const data = await dataSource(options.data, ctx.io.cwd);
  const backend = await startBackend(options.backend, ctx.io.env);
  const progress = progressFor(ctx, 'eval', options);
  const loaded = (await loadModel(model.dir)) as AnyModel;
  const results: Record<string, Record<string, number>> = {};
  try {
    for (const task of requested as TaskId[]) {
      results[task] = await kind.evaluate(loaded, task, data, options.limit, { batchSize: options.batchSize, signal: ctx.io.signal, onEvent: evalEvents(progress) });
    }
  } finally {
    progress.stop();
    await loaded.dispose();
  }
  const primary = Object.fromEntries((requested as TaskId[]).map((t) => [t, kind.primaryMetric(t)]));
  if (options.json) {
    printJson(ctx, { model: { spec: model.label, dir: model.dir, architecture: kind.architecture }, data: data.id, limit: options.limit, backend, primary, metrics: results });
    return 0;
  }
  const rows = Object.entries(results).flatMap(([task, metrics]) => Object.entries(metrics).map(([k, v]) => [task, primary[task] === k ? `${k} *` : k, fmt(v)]));
  ctx.io.stdout(renderTable(['task', 'metric', 'value'], rows, ['left', 'left', 'right']));
  ctx.io.stdout(`${model.label} (${kind.architecture}) on ${data.id}, ${options.limit} examples per task, backend ${backend}; * = primary metric (accuracies and recalls in %).\n`);
  return 0;
}
