import type { BackendRequest, PrunableView } from '@vlp/core';
import { loadModel, readModelConfig } from '@vlp/models';
import { cliRegistry } from '../config/registry.js';
import { type AnyModel, hfArchitecture, modelKind } from '../model/model-kind.js';
import { resolveModel } from '../model/resolve-model.js';
import { bytes, count, percent, renderTable } from '../output/table.js';
import { startBackend } from '../run/backend.js';
import { duration, estimatePrune } from '../run/estimate.js';
import { modelSize } from '../run/model-size.js';
import { type CommandContext, type CommonOptions, printJson } from './context.js';

export interface InspectCommandOptions extends CommonOptions {
  readonly samples: number;
  readonly backend: BackendRequest;
}

interface BlockLine {
  block: string;
  modality: string;
  units: number;
  params: number;
  zeros: number;
  heads: number;
  neurons: number;
}

function zeros(view: PrunableView<unknown>, unit: string): number {
  const data = view.weight(unit).dataSync();
  let z = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === 0) z++;
  return z;
}

/**
 * `vlp inspect <model>`: architecture, prunable units and structures per modality and block,
 * parameter counts, realised sparsity (zeros among prunable weights, e.g. of a pruned checkpoint),
 * and a rough memory / time estimate per registered pruner.
 */
export async function runInspect(spec: string, options: InspectCommandOptions, ctx: CommandContext): Promise<number> {
  const registry = cliRegistry((await ctx.config()).config);
  const model = await resolveModel(spec, ctx.io.cwd);
  const kind = modelKind(hfArchitecture(readModelConfig(model.dir)), model.dir);
  const backend = await startBackend(options.backend, ctx.io.env);
  const loaded = (await loadModel(model.dir)) as AnyModel;
  try {
    const view = kind.view(loaded);
    const blocks = new Map<string, BlockLine>();
    for (const u of view.units) {
      const b = blocks.get(u.blockId) ?? { block: u.blockId, modality: u.modality, units: 0, params: 0, zeros: 0, heads: 0, neurons: 0 };
      b.units++;
      b.params += u.shape[0] * u.shape[1];
      b.zeros += zeros(view, u.name);
      blocks.set(u.blockId, b);
    }
    for (const s of view.structures) {
      const b = blocks.get(s.blockId);
      if (b && s.kind === 'head') b.heads++;
      if (b && s.kind === 'neuron') b.neurons++;
    }
    const modalities = new Map<string, { units: number; params: number; zeros: number; structures: Record<string, number> }>();
    for (const b of blocks.values()) {
      const m = modalities.get(b.modality) ?? { units: 0, params: 0, zeros: 0, structures: {} };
      m.units += b.units;
      m.params += b.params;
      m.zeros += b.zeros;
      modalities.set(b.modality, m);
    }
    for (const s of view.structures) {
      const m = modalities.get(s.modality);
      if (m) m.structures[s.kind] = (m.structures[s.kind] ?? 0) + 1;
    }
    const size = await modelSize(model.dir);
    const prunable = [...blocks.values()].reduce((a, b) => a + b.params, 0);
    const pruned = [...blocks.values()].reduce((a, b) => a + b.zeros, 0);
    const estimates = registry.list().map((p) => {
      const e = estimatePrune(p, { ...size, prunable }, options.samples);
      const supported = p.capabilities.architectures === '*' || p.capabilities.architectures.includes(kind.architecture);
      return { pruner: p.id, supported, memoryBytes: Math.round(e.memoryBytes), seconds: Number(e.seconds.toFixed(2)) };
    });
    const result = {
      model: { spec: model.label, dir: model.dir, architecture: kind.architecture, tasks: kind.tasks },
      backend,
      params: { total: loaded.params.size(), prunable },
      sparsity: { pruned, realised: prunable === 0 ? 0 : pruned / prunable },
      modalities: Object.fromEntries([...modalities].map(([k, v]) => [k, { ...v, sparsity: v.params === 0 ? 0 : v.zeros / v.params }])),
      blocks: [...blocks.values()].map((b) => ({ ...b, sparsity: b.params === 0 ? 0 : b.zeros / b.params })),
      units: view.units.map((u) => ({ name: u.name, modality: u.modality, block: u.blockId, role: u.role, shape: u.shape })),
      estimates: { samples: options.samples, basis: 'rough; see vlp prune --dry-run', perPruner: estimates },
    };
    if (options.json) {
      printJson(ctx, result);
      return 0;
    }
    const out = ctx.io.stdout;
    out(`${model.label}: ${kind.architecture} (${hfArchitecture(readModelConfig(model.dir))}), ${count(result.params.total)} parameters, ${count(prunable)} prunable in ${view.units.length} units; tasks: ${kind.tasks.join(', ')}\n`);
    out(`Realised sparsity of the prunable weights: ${percent(result.sparsity.realised, 2)}${pruned === 0 ? ' (dense)' : ''}\n\n`);
    out(renderTable(['modality', 'units', 'params', 'structures', 'sparsity'], [...modalities].map(([k, v]) => [k, v.units, count(v.params), Object.entries(v.structures).map(([s, n]) => `${n} ${s}s`).join(', '), percent(v.zeros / Math.max(1, v.params))])));
    out('\n');
    out(renderTable(['block', 'modality', 'units', 'params', 'heads', 'neurons', 'sparsity'], result.blocks.map((b) => [b.block, b.modality, b.units, count(b.params), b.heads, b.neurons, percent(b.sparsity)])));
    out(`\nEstimated peak memory and time per pruner (${options.samples} calibration samples; rough):\n`);
    out(renderTable(['pruner', 'memory', 'time', 'supports'], estimates.map((e) => [e.pruner, bytes(e.memoryBytes), duration(e.seconds), e.supported ? 'yes' : 'no'])));
    return 0;
  } finally {
    await loaded.dispose();
  }
}
