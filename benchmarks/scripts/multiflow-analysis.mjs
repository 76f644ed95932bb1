#!/usr/bin/env node
/**
 * Why MULTIFLOW trails global magnitude (OMP) on tiny-clip (issue #7): ablations of MULTIFLOW's two
 * ingredients — the multimodal prior (per-unit sparsities) and the information-flow score — run as
 * bench cells on the default suite's tiny-clip setting (500 test images, 2 × 32 calibration pairs,
 * seed 0), one-shot. Prints retrieval r1Mean per variant and sparsity, the vision statistic split
 * into class-token and patch-token parts, and MULTIFLOW's prior vs OMP's per-unit sparsities.
 * Build first: `pnpm --filter @vlp/bench build`.
 *
 *   node benchmarks/scripts/multiflow-analysis.mjs --out bench-results/mf-analysis [--sparsities 0.5,0.63,0.75,0.9]
 *
 * Variants (analysis only; MULTIFLOW's defaults are untouched):
 * - score: `flow` (eq. 6 with the official statistic a_j = Σ_valid x_j² / N_seq), `flow-cls` /
 *   `flow-patch` (vision units: a from the class-token rows / the patch-token rows only; text as
 *   official), `flow-noact` (a ≡ 1: the flow of |W| alone), `magnitude` (|W|);
 * - allocation: `prior` (eq. 7: global magnitude within each modality), `omp` (global magnitude over
 *   both towers), `uniform` (⌊s·n⌋ per unit).
 * flow+prior is MULTIFLOW; magnitude+omp is OMP; magnitude+prior is "OMP per modality".
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { definePruner } from '@vlp/core';
import { collectActivationStatistics, informationFlowMask, informationFlowScores, multimodalPrior, priorGroup } from '@vlp/multiflow';
import { defaultSuite, defineSuite, installedPrunerRegistry, renamedPruner, runBench } from '../dist/index.js';
import { createPrunerRegistry, loadMasks } from '@vlp/core';
import { emptyConfig } from './lib/empty-config.mjs';
import { visionTokenStatistics } from './lib/vision-token-statistics.mjs';

const { values } = parseArgs({ options: { out: { type: 'string' }, sparsities: { type: 'string' }, variants: { type: 'string' } } });
if (!values.out) {
  console.error('usage: multiflow-analysis.mjs --out <dir> [--sparsities 0.75,0.9] [--variants a,b]');
  process.exit(2);
}
const sparsities = values.sparsities ? values.sparsities.split(',').map(Number) : [0.5, 0.63, 0.75, 0.9];

let reported = false;

function pearson(a, b) {
  const n = a.length;
  const ma = a.reduce((p, q) => p + q, 0) / n;
  const mb = b.reduce((p, q) => p + q, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}

/** Fraction of the `q`-quantile weakest channels of `a` that are also among the weakest of `b`. */
function overlap(a, b, q) {
  const k = Math.floor(a.length * q);
  const low = (x) => new Set(x.map((v, i) => [v, i]).sort((p, r) => p[0] - r[0]).slice(0, k).map(([, i]) => i));
  const la = low(a);
  const lb = low(b);
  return [...la].filter((i) => lb.has(i)).length / k;
}

// ---------- variant pruners ----------

const EMPTY_CONFIG = emptyConfig('multiflow-analysis');

function variant(id, score, allocation) {
  return definePruner({
    id,
    displayName: `${score} + ${allocation}`,
    version: '0.0.0',
    configSchema: EMPTY_CONFIG,
    capabilities: { architectures: ['clip'], modalities: ['vision', 'text'], granularity: 'unstructured', requires: { calibration: score.startsWith('flow'), gradients: false, training: false, evaluator: false } },
    async prune(view, request, ctx) {
      const units = view.units;
      const weights = new Map();
      for (const u of units) weights.set(u.name, await view.weight(u.name).data());
      const group = (u) => (allocation === 'omp' ? 'all' : priorGroup(u.modality, 'text'));
      const prior = allocation === 'uniform' ? null : multimodalPrior(units.map((u) => ({ name: u.name, group: group(u), weight: weights.get(u.name) })), request.sparsity, 'exact');
      const kOf = (u) => (prior ? prior.units.get(u.name).k : Math.floor(request.sparsity * u.shape[0] * u.shape[1]));
      let act = null;
      if (score.startsWith('flow') && score !== 'flow-noact') {
        act = new Map([...(await collectActivationStatistics(view, units, ctx.calibration, ctx, { numBatches: 2 })).statistics].map(([k, v]) => [k, v.actSqMean]));
        if (score === 'flow-cls' || score === 'flow-patch') {
          const { stats, worst } = await visionTokenStatistics(view, units, ctx.calibration, 2);
          if (!reported) {
            reported = true;
            console.log(`vision statistic reconstructed from unit outputs: largest relative error of Σ(cls + patch) vs the view's input-sum-squares tap ${worst.toExponential(2)}`);
            for (const [name, st] of stats) {
              if (!/q_proj|out_proj|fc1|fc2/.test(name)) continue;
              const a = Array.from(st.cls, Math.sqrt);
              const b = Array.from(st.patch, Math.sqrt);
              const sum = (x) => x.reduce((p, q) => p + q, 0);
              const clsShare = sum(Array.from(st.cls)) / sum(Array.from(st.all));
              console.log(`  ${name.replace(/^vision_model\.encoder\.layers\./, 'vision.').replace(/\.weight$/, '').padEnd(26)} class-token share of Σa ${(100 * clsShare).toFixed(1)} %, corr(√a_cls, √a_patch) ${pearson(a, b).toFixed(2)}, rank overlap of the 25 % weakest channels ${overlap(a, b, 0.25).toFixed(2)}`);
            }
          }
          for (const [name, s] of stats) act.set(name, score === 'flow-cls' ? s.cls : s.patch);
        }
      }
      const masks = new Map();
      for (const u of units) {
        const w = weights.get(u.name);
        const s = score === 'magnitude' ? Float64Array.from(w, Math.abs) : informationFlowScores(w, act ? act.get(u.name) : new Float64Array(u.shape[1]).fill(1), u.shape);
        masks.set(u.name, informationFlowMask(s, kOf(u), 'exact'));
      }
      return { masks, targets: new Map(units.map((u) => [u.name, kOf(u) / (u.shape[0] * u.shape[1])])) };
    },
  });
}


// ---------- main ----------

const VARIANTS = {
  'mfa-flow-omp': ['flow', 'omp'],
  'mfa-flow-uniform': ['flow', 'uniform'],
  'mfa-mag-prior': ['magnitude', 'prior'],
  'mfa-noact-prior': ['flow-noact', 'prior'],
  'mfa-cls-prior': ['flow-cls', 'prior'],
  'mfa-patch-prior': ['flow-patch', 'prior'],
};
const chosen = values.variants ? values.variants.split(',') : Object.keys(VARIANTS);
const installed = await installedPrunerRegistry();
const registry = createPrunerRegistry([installed.get('multiflow'), installed.get('omp'), installed.get('magnitude'), ...chosen.map((id) => variant(id, ...VARIANTS[id]))]);
const clip = defaultSuite.models.find((m) => m.id === 'tiny-clip');
const suite = defineSuite({
  ...defaultSuite,
  id: 'multiflow-analysis',
  description: 'MULTIFLOW ablations on tiny-clip (issue #7), one-shot.',
  models: [{ id: clip.id, model: clip.model, tasks: ['retrieval'] }],
  pruners: ['multiflow', 'omp', 'magnitude', ...chosen],
  sparsities,
  recovery: false,
});
// an existing run directory is resumed: its finished cells (same keys) are reused
const result = await runBench({ suite, runDir: values.out, resume: existsSync(path.join(values.out, 'run.json')), registry, argv: process.argv.slice(2) });
const table = new Map();
for (const r of result.records) {
  if (r.pruner.id === 'dense') { console.log(`dense r1Mean ${r.metrics.oneShot.retrieval.r1Mean.toFixed(2)}`); continue; }
  if (!table.has(r.pruner.id)) table.set(r.pruner.id, {});
  table.get(r.pruner.id)[r.target.sparsity] = r.status === 'ok' ? r.metrics.oneShot.retrieval.r1Mean.toFixed(1) : 'failed';
}
console.log(`\nretrieval r1Mean (one-shot, 500 test images)\nvariant              ${sparsities.map((s) => String(s).padStart(6)).join('')}`);
for (const [id, row] of table) console.log(`${(id + (VARIANTS[id] ? ` (${VARIANTS[id].join('+')})` : '')).padEnd(34)} ${sparsities.map((s) => String(row[s] ?? '').padStart(6)).join('')}`);

// per-unit sparsities: MULTIFLOW's prior vs OMP, from the cell records
const { readAllCells } = await import('../dist/index.js');
const cells = [...readAllCells(values.out).values()];
for (const s of sparsities) {
  const mf = cells.find((c) => c.pruner.id === 'multiflow' && c.target.sparsity === s);
  const omp = cells.find((c) => c.pruner.id === 'omp' && c.target.sparsity === s);
  if (!mf || !omp) continue;
  console.log(`\nper-unit sparsity at ${s}: multiflow prior / omp   (per modality: multiflow ${JSON.stringify(mf.sparsity.perModality)}, omp ${JSON.stringify(omp.sparsity.perModality)})`);
  const o = new Map(omp.perUnit.map((u) => [u.unit, u.sparsity]));
  for (const u of mf.perUnit) console.log(`  ${u.unit.replace(/^(vision|text)_model\.encoder\.layers\./, '$1.').replace(/\.weight$/, '').padEnd(28)} ${u.sparsity.toFixed(3)} / ${o.get(u.unit).toFixed(3)}`);
}

// whole input features / neurons removed: columns and rows of a unit's mask with every weight pruned
console.log('\nfully pruned input columns / output rows, summed over the units of each tower (vision | text)');
for (const s of sparsities) {
  for (const id of ['magnitude', 'omp', 'multiflow', 'mfa-flow-uniform', 'mfa-noact-prior']) {
    const c = cells.find((x) => x.pruner.id === id && x.target.sparsity === s && x.masks);
    if (!c) continue;
    const { masks, shapes } = await loadMasks(path.join(values.out, c.masks));
    const tally = { vision: [0, 0, 0, 0], text: [0, 0, 0, 0] };
    for (const [name, m] of masks) {
      const [out, inn] = shapes.get(name);
      const t = tally[name.startsWith('vision') ? 'vision' : 'text'];
      let cols = 0;
      for (let j = 0; j < inn; j++) { let any = 0; for (let i = 0; i < out; i++) any |= m[i * inn + j]; if (!any) cols++; }
      let rows = 0;
      for (let i = 0; i < out; i++) { let any = 0; for (let j = 0; j < inn; j++) any |= m[i * inn + j]; if (!any) rows++; }
      t[0] += cols; t[1] += inn; t[2] += rows; t[3] += out;
    }
    console.log(`  ${String(s).padEnd(5)} ${id.padEnd(18)} columns ${tally.vision[0]}/${tally.vision[1]} | ${tally.text[0]}/${tally.text[1]}   rows ${tally.vision[2]}/${tally.vision[3]} | ${tally.text[2]}/${tally.text[3]}`);
  }
}
