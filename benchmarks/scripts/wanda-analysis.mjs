#!/usr/bin/env node
/**
 * Why Wanda trails layer-wise magnitude on tiny-clip (issue #6): Wanda's calibration options, one at
 * a time, as bench cells on the default suite's tiny-clip setting (retrieval on 500 test images,
 * 2 × 32 calibration pairs, seed 0, one-shot). Wanda's defaults are untouched; the variants are
 * `wanda({...})` with one option changed. Build first: `pnpm --filter @vlp/bench build`.
 *
 *   node benchmarks/scripts/wanda-analysis.mjs --out bench-results/wanda-analysis [--sparsities 0.5,0.75]
 *
 * Variants: `wanda` (defaults: tokens `all` — text padding counted, as the official hooks do —,
 * sequential block-by-block calibration, per-row comparison), `wanda-valid` (padding tokens not
 * counted in ‖X_j‖), `wanda-one-pass` (`sequential: false`: statistics of the dense model),
 * `wanda-tensor` (one threshold per tensor), next to `magnitude` (per-row |W|) and `random`; and two
 * analysis-only scores (one pass on the dense model, per-row masks, text units as Wanda): vision
 * units scored with ‖X_j‖ from per-token inputs reconstructed from unit outputs (`wa-vision-raw`,
 * which must land near `wanda-one-pass`) or with the *centred* norm ‖X_j − mean_j‖
 * (`wa-vision-centred`): Shapes-VL images are mostly one flat background, so most vision tokens
 * are alike and the raw norm of a feature is mostly its mean over tokens — a constant offset that
 * carries no information about the image.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { wanda } from '@vlp/baselines';
import { createPrunerRegistry, definePruner, kForSparsity, pruneLowestPerRow } from '@vlp/core';
import { emptyConfig } from './lib/empty-config.mjs';
import { visionTokenStatistics } from './lib/vision-token-statistics.mjs';
import { defaultSuite, defineSuite, installedPrunerRegistry, renamedPruner, runBench } from '../dist/index.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, sparsities: { type: 'string' } } });
if (!values.out) {
  console.error('usage: wanda-analysis.mjs --out <dir> [--sparsities 0.5,0.75]');
  process.exit(2);
}
const sparsities = values.sparsities ? values.sparsities.split(',').map(Number) : [0.5, 0.75];
const VARIANTS = {
  'wanda-valid': { tokens: 'valid' },
  'wanda-one-pass': { sequential: false },
  'wanda-tensor': { comparisonGroup: 'tensor' },
};
const EMPTY_CONFIG = emptyConfig('wanda-analysis');

/** Per-row |W_ij|·sqrt(a_j): vision a from reconstructed per-token inputs (`raw` Σx² or `centred`), text a = Σx² (all tokens). */
function visionStatisticVariant(id, kind) {
  return definePruner({
    id,
    displayName: `Wanda score, vision ‖X_j‖ ${kind}`,
    version: '0.0.0',
    configSchema: EMPTY_CONFIG,
    capabilities: { architectures: ['clip'], modalities: ['vision', 'text'], granularity: 'unstructured', requires: { calibration: true, gradients: false, training: false, evaluator: false } },
    async prune(view, request, ctx) {
      const units = view.units;
      const text = units.filter((u) => u.modality !== 'vision');
      const act = new Map(text.map((u) => [u.name, new Float64Array(u.shape[1])]));
      let batches = 0;
      for await (const batch of ctx.calibration.batches()) {
        if (batches++ >= 2) break;
        const result = await view.run(batch, { taps: text.map((u) => ({ kind: 'input-sum-squares', unit: u.name, tokens: 'all' })) });
        try {
          for (const t of result.taps) {
            const v = await t.value.data();
            const a = act.get(t.spec.unit);
            for (let j = 0; j < v.length; j++) a[j] += v[j];
          }
        } finally {
          result.dispose();
        }
      }
      const { stats } = await visionTokenStatistics(view, units, ctx.calibration, 2);
      for (const [name, st] of stats) act.set(name, kind === 'centred' ? st.centred : st.all);
      const masks = new Map();
      for (const u of units) {
        const w = await view.weight(u.name).data();
        const a = act.get(u.name);
        const scores = Float64Array.from(w, (x, i) => Math.abs(x) * Math.sqrt(Math.max(0, a[i % u.shape[1]])));
        masks.set(u.name, pruneLowestPerRow(scores, u.shape, kForSparsity(u.shape[1], request.sparsity)));
      }
      return { masks, targets: new Map(units.map((u) => [u.name, kForSparsity(u.shape[1], request.sparsity) / u.shape[1]])) };
    },
  });
}

const installed = await installedPrunerRegistry();
const registry = createPrunerRegistry([
  installed.get('wanda'),
  installed.get('magnitude'),
  installed.get('random'),
  ...Object.entries(VARIANTS).map(([id, config]) => renamedPruner(wanda(config), id, `Wanda ${JSON.stringify(config)}`)),
  visionStatisticVariant('wa-vision-raw', 'raw'),
  visionStatisticVariant('wa-vision-centred', 'centred'),
]);
const clip = defaultSuite.models.find((m) => m.id === 'tiny-clip');
const suite = defineSuite({
  ...defaultSuite,
  id: 'wanda-analysis',
  description: "Wanda's calibration options on tiny-clip (issue #6), one-shot.",
  models: [{ id: clip.id, model: clip.model, tasks: ['retrieval'] }],
  pruners: ['wanda', 'magnitude', 'random', ...Object.keys(VARIANTS), 'wa-vision-raw', 'wa-vision-centred'],
  sparsities,
  recovery: false,
});
// an existing run directory is resumed: its finished cells (same keys) are reused
const result = await runBench({ suite, runDir: values.out, resume: existsSync(path.join(values.out, 'run.json')), registry, argv: process.argv.slice(2) });
const table = new Map();
for (const r of result.records) {
  if (r.pruner.id === 'dense') {
    console.log(`dense r1Mean ${r.metrics.oneShot.retrieval.r1Mean.toFixed(2)}`);
    continue;
  }
  if (!table.has(r.pruner.id)) table.set(r.pruner.id, {});
  table.get(r.pruner.id)[r.target.sparsity] = r.status === 'ok' ? r.metrics.oneShot.retrieval.r1Mean.toFixed(2) : 'failed';
}
console.log(`\nretrieval r1Mean (one-shot, 500 test images)\nvariant                 ${sparsities.map((s) => String(s).padStart(7)).join('')}`);
for (const [id, row] of table) console.log(`${(id + (VARIANTS[id] ? ` ${JSON.stringify(VARIANTS[id])}` : '')).padEnd(44)} ${sparsities.map((s) => String(row[s] ?? '').padStart(7)).join('')}`);
