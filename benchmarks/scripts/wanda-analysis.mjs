#!/usr/bin/env node
/**
 * Why Wanda trails layer-wise magnitude on tiny-clip (issue #6): Wanda's calibration options, one at
 * a time, as bench cells on the default suite's tiny-clip setting (retrieval on 500 test images,
 * 2 × 32 calibration pairs, seed 0, one-shot). Wanda's defaults are untouched; the variants are
 * `wanda({...})` with one option changed. Build first: `pnpm --filter @vlp/bench build`.
 *
 *   node benchmarks/scripts/wanda-analysis.mjs --out bench-results/wanda-analysis [--sparsities 0.5,0.75] [--calibration-batches 2] [--model-dir <tiny-clip checkpoint>]
 *
 * Variants: `wanda` (defaults: tokens `all` — text padding counted, as the official hooks do —,
 * sequential block-by-block calibration, per-row comparison), `wanda-valid` (padding tokens not
 * counted in ‖X_j‖), `wanda-one-pass` (`sequential: false`: statistics of the dense model),
 * `wanda-tensor` (one threshold per tensor), `wanda-augmented` (the calibration images seen twice, each
 * time through the CLIP training transforms the official CLIP calibration uses — a random resized
 * crop of 8–100 % of the area, aspect 3/4–4/3, and a horizontal flip with probability 1/2; seeded),
 * next to `magnitude` (layer-wise |W|), `random` and `sparsegpt` (for reference); and two
 * analysis-only scores (one pass on the dense model, per-row masks, text units as Wanda): vision
 * units scored with ‖X_j‖ from per-token inputs reconstructed from unit outputs (`wa-vision-raw`,
 * which must land near `wanda-one-pass`) or with the *centred* norm ‖X_j − mean_j‖
 * (`wa-vision-centred`): Shapes-VL images are mostly one flat background, so most vision tokens
 * are alike and the raw norm of a feature is mostly its mean over tokens — a constant offset that
 * carries no information about the image. `--calibration-batches` sets the number of calibration
 * batches of 32 for every cell (default 2 = the default suite's 64 pairs; 4 = Wanda's 128 samples).
 * `--model-dir` prunes another tiny-clip checkpoint (HF layout) instead of the embedded one — with
 * `node --import ./benchmarks/scripts/lib/textured-shapes-vl.mjs` one trained on textured
 * backgrounds, evaluated on them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { wanda } from '@vlp/baselines';
import { createPrunerRegistry, createRng, definePruner, kForSparsity, pruneLowestPerRow } from '@vlp/core';
import { embeddedModelDir } from '@vlp/zoo';
import { emptyConfig } from './lib/empty-config.mjs';
import { visionTokenStatistics } from './lib/vision-token-statistics.mjs';
import { defaultSuite, defineSuite, installedPrunerRegistry, renamedPruner, runBench } from '../dist/index.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, sparsities: { type: 'string' }, 'calibration-batches': { type: 'string' }, 'model-dir': { type: 'string' } } });
const calibrationBatches = Number(values['calibration-batches'] ?? 2);
if (!values.out || !Number.isInteger(calibrationBatches) || calibrationBatches < 1) {
  console.error('usage: wanda-analysis.mjs --out <dir> [--sparsities 0.5,0.75] [--calibration-batches 2] [--model-dir <tiny-clip checkpoint>]');
  process.exit(2);
}
const sparsities = values.sparsities ? values.sparsities.split(',').map(Number) : [0.5, 0.75];
const VARIANTS = {
  'wanda-valid': { tokens: 'valid' },
  'wanda-one-pass': { sequential: false },
  'wanda-tensor': { comparisonGroup: 'tensor' },
};
const EMPTY_CONFIG = emptyConfig('wanda-analysis');
const modelDir = values['model-dir'] ? path.resolve(values['model-dir']) : embeddedModelDir('tiny-clip');

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
        if (batches++ >= calibrationBatches) break;
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
      const { stats } = await visionTokenStatistics(view, units, ctx.calibration, calibrationBatches, modelDir);
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

/**
 * CLIP's training transforms on a batch of preprocessed images [n, 3, h, w] (torchvision
 * RandomResizedCrop(scale 0.08–1, ratio 3/4–4/3, bilinear) + RandomHorizontalFlip): a box of the
 * sampled area and aspect, resized back to h × w; the full image when 10 draws do not fit.
 */
function clipTrainTransforms(pixelValues, rand) {
  return tf.tidy(() => {
    const [n, , h, w] = pixelValues.shape;
    const boxes = [];
    for (let i = 0; i < n; i++) {
      let box = [0, 0, 1, 1];
      for (let attempt = 0; attempt < 10; attempt++) {
        const area = 0.08 + rand() * 0.92;
        const aspect = Math.exp(Math.log(3 / 4) + rand() * (Math.log(4 / 3) - Math.log(3 / 4)));
        const bw = Math.sqrt(area * aspect);
        const bh = Math.sqrt(area / aspect);
        if (bw > 1 || bh > 1) continue;
        const x = rand() * (1 - bw);
        const y = rand() * (1 - bh);
        box = [y, x, y + bh, x + bw];
        break;
      }
      // a flipped box (x2 < x1) makes cropAndResize sample right to left
      boxes.push(rand() < 0.5 ? [box[0], box[3], box[2], box[1]] : box);
    }
    const nhwc = pixelValues.transpose([0, 2, 3, 1]);
    const crops = tf.image.cropAndResize(nhwc, tf.tensor2d(boxes, [n, 4]), tf.tensor1d(boxes.map((_, i) => i), 'int32'), [h, w]);
    return crops.transpose([0, 3, 1, 2]);
  });
}

/** Wanda on its calibration batches seen `repeats` times, each time through {@link clipTrainTransforms}. */
function augmentedWanda(id, repeats) {
  const { specificationVersion: _version, ...definition } = wanda();
  return definePruner({
    ...definition,
    id,
    displayName: `Wanda, calibration through CLIP's training transforms (×${repeats})`,
    async prune(view, request, ctx) {
      const source = ctx.calibration;
      const calibration = {
        size: source.size * repeats,
        async *batches() {
          // the same crops for every pass over the calibration data and every cell
          const rng = createRng(request.seed).split('wanda-augmented');
          const rand = () => rng.nextFloat();
          for (let r = 0; r < repeats; r++) {
            for await (const batch of source.batches()) {
              const pixelValues = clipTrainTransforms(batch.pixelValues, rand);
              try {
                yield { ...batch, pixelValues };
              } finally {
                pixelValues.dispose();
              }
            }
          }
        },
      };
      return definition.prune(view, request, { ...ctx, calibration });
    },
  });
}

const installed = await installedPrunerRegistry();
const registry = createPrunerRegistry([
  installed.get('wanda'),
  installed.get('magnitude'),
  installed.get('random'),
  installed.get('sparsegpt'),
  ...Object.entries(VARIANTS).map(([id, config]) => renamedPruner(wanda(config), id, `Wanda ${JSON.stringify(config)}`)),
  augmentedWanda('wanda-augmented', 2),
  visionStatisticVariant('wa-vision-raw', 'raw'),
  visionStatisticVariant('wa-vision-centred', 'centred'),
]);
const clip = defaultSuite.models.find((m) => m.id === 'tiny-clip');
const suite = defineSuite({
  ...defaultSuite,
  id: 'wanda-analysis',
  description: "Wanda's calibration options on tiny-clip (issue #6), one-shot.",
  models: [{ id: clip.id, model: values['model-dir'] ? { kind: 'dir', path: modelDir } : clip.model, tasks: ['retrieval'] }],
  pruners: ['wanda', 'magnitude', 'random', 'sparsegpt', ...Object.keys(VARIANTS), 'wanda-augmented', 'wa-vision-raw', 'wa-vision-centred'],
  sparsities,
  calibration: { ...defaultSuite.calibration, batches: calibrationBatches },
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
console.log(`\nretrieval r1Mean (one-shot, 500 test images, ${calibrationBatches} × ${defaultSuite.calibration.batchSize} calibration pairs)\n${"variant".padEnd(44)} ${sparsities.map((s) => String(s).padStart(7)).join('')}`);
for (const [id, row] of table) console.log(`${(id + (VARIANTS[id] ? ` ${JSON.stringify(VARIANTS[id])}` : '')).padEnd(44)} ${sparsities.map((s) => String(row[s] ?? '').padStart(7)).join('')}`);
