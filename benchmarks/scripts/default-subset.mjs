#!/usr/bin/env node
/**
 * Runs a subset of the default suite — some of its models and pruners, with exactly the default
 * suite's settings (per-model grids and per-pruner sparsities included) — and prints the one-shot
 * primary metric of every cell and the pruner-reported stage figures. The cells of a run with
 * recovery are the default suite's own cells (same keys); `--one-shot` turns recovery off (faster,
 * other keys). Build first: `pnpm --filter @vlp/bench build`.
 *
 *   node benchmarks/scripts/default-subset.mjs --models tiny-clip,tiny-blip-itm --pruners omp,multiflow --one-shot --out bench-results/subset
 *
 * `--only-sparsities 0.75,0.9` keeps only the unstructured cells at these targets. An existing run
 * directory is resumed (its finished cells reused).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultSuite, defineSuite, installedPrunerRegistry, modelGrid, runBench } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string' },
    pruners: { type: 'string' },
    out: { type: 'string' },
    'one-shot': { type: 'boolean', default: false },
    'only-sparsities': { type: 'string' },
  },
});
if (!values.pruners || !values.out) {
  console.error('usage: default-subset.mjs --pruners a,b [--models m1,m2] [--one-shot] [--only-sparsities s1,s2] --out <dir>');
  process.exit(2);
}
const pruners = values.pruners.split(',');
const modelIds = values.models ? values.models.split(',') : defaultSuite.models.map((m) => m.id);
const registry = await installedPrunerRegistry();
const installed = registry.ids();
const models = [];
for (const m of defaultSuite.models.filter((x) => modelIds.includes(x.id))) {
  const own = modelGrid(defaultSuite, m).pruners;
  const allowed = own === undefined ? installed : Array.isArray(own) ? own : installed.filter((id) => !own.exclude.includes(id));
  let chosen = pruners.filter((id) => allowed.includes(id));
  const grid = modelGrid(defaultSuite, m);
  let narrowed = {};
  if (values['only-sparsities']) {
    // keep only the cells at these targets (unstructured pruners; structured ones keep their compressions)
    const only = values['only-sparsities'].split(',').map(Number);
    const keep = (list) => list.filter((s) => only.includes(s));
    const own = Object.fromEntries(chosen.map((id) => [id, keep(grid.prunerSparsities?.[id] ?? grid.sparsities)]));
    chosen = chosen.filter((id) => own[id].length > 0 || registry.get(id).capabilities.granularity === 'structured');
    narrowed = { prunerSparsities: Object.fromEntries(Object.entries(own).filter(([, l]) => l.length > 0)) };
  }
  if (chosen.length === 0) continue;
  models.push({ ...m, pruners: chosen, ...narrowed, ...(values['one-shot'] ? { recovery: false } : {}) });
}
const suite = defineSuite({ ...defaultSuite, id: 'default', models, pruners, ...(values['one-shot'] ? { recovery: false } : {}) });
const result = await runBench({ suite, runDir: values.out, resume: existsSync(path.join(values.out, 'run.json')), registry, argv: process.argv.slice(2) });

const rows = [];
for (const r of result.records) {
  const task = r.model.id === 'tiny-clip' ? 'retrieval' : Object.keys(r.primary)[0];
  const metric = r.primary[task];
  const value = r.metrics.oneShot[task]?.[metric];
  const stage = r.prunerReport?.metrics.stage1PeakTensorBytes === undefined ? '' : ` stage1 ${(r.prunerReport.timings.stage1 / 1000).toFixed(1)} s, peak tfjs ${(r.prunerReport.metrics.stage1PeakTensorBytes / 2 ** 20).toFixed(1)} MiB, peak RSS ${(r.prunerReport.metrics.stage1PeakRssBytes / 2 ** 20).toFixed(0)} MiB; stage2 ${(r.prunerReport.timings.stage2 / 1000).toFixed(1)} s`;
  rows.push(`${r.model.id.padEnd(14)} ${r.pruner.id.padEnd(20)} ${String(r.target.sparsity).padEnd(5)} ${task} ${metric} one-shot ${value?.toFixed(2)}${r.metrics.recovered ? ` recovered ${r.metrics.recovered[task]?.[metric]?.toFixed(2)}` : ''}  prune ${(r.timings.pruneMs / 1000).toFixed(1)} s, cell ${(r.timings.totalMs / 1000).toFixed(1)} s${stage}${r.status === 'ok' ? '' : ` FAILED ${r.error?.message}`}`);
}
console.log(rows.join('\n'));
console.log(`status ${result.status}, run dir ${result.runDir}`);
