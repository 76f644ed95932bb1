/**
 * `pnpm --filter @vlp/mope report:tiny [--sparsity 0.5] [--val-images 100] [--eval-images 1000]
 *   [--distill-steps N] [--lr X] [--batch-size N] [--neuron-groups 8] [--depth-share 0.25] [--json FILE]`
 *
 * MoPE-CLIP end to end on the embedded tiny-clip (`@vlp/zoo`), both towers, at 2× compression
 * (sparsity 0.5 of the prunable weights):
 * 1. dense retrieval R@1 on the Shapes-VL test split (`evaluateTinyClip`: the zoo README's and the
 *    benchmark's evaluator, 5 captions per image);
 * 2. MoPE one-shot: Z = mean R@1 on `--val-images` Shapes-VL validation images (first caption each),
 *    per-tower cache on ONNX Runtime; compact; test R@1; evaluation counts and time;
 * 3. magnitude one-shot: the same modules, budget and width-then-depth procedure ranked by weight L1
 *    (`mopeMagnitude`); compact; test R@1;
 * 4. recovery: `mopeDistill` of the dense teacher into the MoPE student for `--distill-steps` on
 *    Shapes-VL train pairs (similarity-logit KL both ways + hidden-state MSE of every kept layer),
 *    then test R@1 and the fraction of the dense R@1 recovered.
 * Prints a markdown table on stdout, progress on stderr.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type * as tf from '@tensorflow/tfjs';
import { type PruneEvent, type PruneReport, initBackend, prune } from '@vlp/core';
import { type ClipModel, clipView, compactClip, describeClip } from '@vlp/models';
import { TINY_CLIP_RECIPE, evaluateTinyClip, loadEmbeddedModel, shapesVLPairData, withFastWasmMatMul } from '@vlp/zoo';
import { gatedRetrievalTask, hiddenStatePairs, mope, mopeDistill, mopeMagnitude } from '../src/index.js';

const { values } = parseArgs({
  options: {
    sparsity: { type: 'string', default: '0.5' },
    'val-images': { type: 'string', default: '100' },
    'eval-images': { type: 'string', default: '1000' },
    'distill-steps': { type: 'string', default: '150' },
    lr: { type: 'string', default: '3e-4' },
    'warmup-steps': { type: 'string', default: '15' },
    'batch-size': { type: 'string', default: '32' },
    'train-images': { type: 'string', default: String(TINY_CLIP_RECIPE.trainImages) },
    'neuron-groups': { type: 'string', default: '8' },
    'depth-share': { type: 'string', default: '0.25' },
    seed: { type: 'string', default: '0' },
    json: { type: 'string' },
  },
});
const num = (key: keyof typeof values): number => {
  const v = Number(values[key]);
  if (!Number.isFinite(v)) throw new Error(`--${key} must be a number (got ${String(values[key])})`);
  return v;
};
const settings = {
  sparsity: num('sparsity'),
  valImages: num('val-images'),
  evalImages: num('eval-images'),
  distillSteps: num('distill-steps'),
  learningRate: num('lr'),
  warmupSteps: num('warmup-steps'),
  batchSize: num('batch-size'),
  trainImages: num('train-images'),
  neuronGroups: num('neuron-groups'),
  depthShare: num('depth-share'),
  seed: num('seed'),
};
const log = (line: string) => process.stderr.write(`${line}\n`);
const secs = (ms: number) => (ms / 1000).toFixed(1);

interface R1 {
  readonly i2t: number;
  readonly t2i: number;
  readonly mean: number;
}
async function r1(model: ClipModel): Promise<R1> {
  const r = await evaluateTinyClip(model, { split: 'test', count: settings.evalImages });
  return { i2t: r.retrieval.i2t.r1, t2i: r.retrieval.t2i.r1, mean: (r.retrieval.i2t.r1 + r.retrieval.t2i.r1) / 2 };
}
const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
};

/** The full CLIP forward with hidden states: synchronous tfjs (student) or ONNX Runtime (teacher). */
function spec(model: ClipModel, batch: { pixelValues: tf.Tensor; inputIds: tf.Tensor; attentionMask: tf.Tensor }) {
  const tokens = batch.inputIds.shape[1] as number;
  return {
    key: `clip:full:${tokens}`,
    describe: <V>(ctx: Parameters<typeof describeClip<V>>[0]) => describeClip(ctx, model.config, model.arch, tokens),
    options: { hiddenStates: true },
    feeds: { pixel_values: batch.pixelValues, input_ids: batch.inputIds, attention_mask: batch.attentionMask },
  };
}

/** A compacted copy of `dense` with its tokenizer and image processor (compaction copies weights only). */
function compact(dense: ClipModel, report: PruneReport): ClipModel {
  const model = compactClip(dense, report.structureMask!);
  model.tokenizer ??= dense.tokenizer;
  model.imageProcessor ??= dense.imageProcessor;
  return model;
}

await initBackend();
const started = performance.now();
log(`MoPE report on tiny-clip: ${JSON.stringify(settings)}`);
const dense = await loadEmbeddedModel('tiny-clip');
const owned: ClipModel[] = [dense];
try {
  const [denseR1, denseMs] = await timed(() => r1(dense));
  log(`dense R@1 ${JSON.stringify(denseR1)} (${secs(denseMs)} s)`);

  const size = dense.config.vision.imageSize;
  const val = shapesVLPairData({ tokenizer: dense.tokenizer!, imageProcessor: dense.imageProcessor!, images: settings.valImages, size, split: 'val' });
  const valBatch = val.collate(Array.from({ length: settings.valImages }, (_, i) => 5 * i));
  const request = { sparsity: settings.sparsity, seed: settings.seed };
  const neuronGroups = { kind: 'count' as const, count: settings.neuronGroups };
  let done = 0;
  const [mopeReport, mopeMs] = await timed(() =>
    prune(mope({ neuronGroups, depthShare: settings.depthShare }), clipView(dense), request, {
      task: gatedRetrievalTask({ batches: [valBatch], towers: {} }),
      apply: false,
      onEvent: (e: PruneEvent) => {
        if (e.type === 'unit-score-end' && ++done % 20 === 0) log(`  MoPE module ${done} (${e.unit})`);
      },
    }),
  );
  val.release?.(valBatch);
  const m = mopeReport.metrics;
  log(`MoPE pruned in ${secs(mopeMs)} s: ${mopeReport.notes.join('; ')}`);
  const mopeCompact = compact(dense, mopeReport);
  owned.push(mopeCompact);
  const mopeR1 = await r1(mopeCompact);
  log(`MoPE one-shot R@1 ${JSON.stringify(mopeR1)}`);

  const [magReport, magMs] = await timed(() => prune(mopeMagnitude({ neuronGroups, depthShare: settings.depthShare }), clipView(dense), request, { apply: false }));
  const magCompact = compact(dense, magReport);
  owned.push(magCompact);
  const magR1 = await r1(magCompact);
  log(`magnitude one-shot R@1 ${JSON.stringify(magR1)} (pruned in ${secs(magMs)} s)`);

  let distilled: R1 | undefined;
  let distill: { steps: number; ms: number; firstLoss: number; lastLoss: number } | undefined;
  if (settings.distillSteps > 0) {
    const student = compact(dense, mopeReport);
    owned.push(student);
    const hidden = hiddenStatePairs({ vision: student.arch.vision.layerIndices, text: student.arch.text.layerIndices });
    const data = shapesVLPairData({ tokenizer: dense.tokenizer!, imageProcessor: dense.imageProcessor!, images: settings.trainImages, size, split: 'train' });
    const t0 = performance.now();
    const result = await withFastWasmMatMul(() =>
      mopeDistill({
        params: student.params,
        student: (batch, weights) => student.runner.runTfjs({ ...spec(student, batch), weights }),
        teacher: async (batch) => (await dense.runner.run({ ...spec(dense, batch), engine: 'onnx' })).outputs,
        data,
        hidden,
        steps: settings.distillSteps,
        batchSize: settings.batchSize,
        learningRate: settings.learningRate,
        warmupSteps: settings.warmupSteps,
        weightDecay: TINY_CLIP_RECIPE.weightDecay,
        seed: settings.seed,
        onEvent: (e) => {
          if (e.type === "step-end" && (e.step <= 3 || e.step % 25 === 0 || e.step === e.total)) log(`  distill step ${e.step}/${e.total} loss ${e.loss.toFixed(4)} (${secs(performance.now() - t0)} s)`);
        },
      }),
    );
    const window = Math.max(1, Math.min(10, result.losses.length));
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    distill = { steps: result.steps, ms: result.durationMs, firstLoss: mean(result.losses.slice(0, window)), lastLoss: mean(result.losses.slice(-window)) };
    distilled = await r1(student);
    log(`distilled R@1 ${JSON.stringify(distilled)} after ${result.steps} steps (${secs(result.durationMs)} s)`);
  }

  const sparsity = (r: PruneReport) => r.sparsity.total.sparsity;
  const row = (name: string, r: R1, extra: string) => `| ${name} | ${r.i2t.toFixed(1)} | ${r.t2i.toFixed(1)} | ${r.mean.toFixed(1)} | ${((100 * r.mean) / denseR1.mean).toFixed(1)} % | ${extra} |`;
  const lines = [
    `tiny-clip, both towers, sparsity ${settings.sparsity} (2× compression of the prunable weights), Shapes-VL test split (${settings.evalImages} images × 5 captions), ONNX Runtime`,
    '',
    '| model | i2t R@1 | t2i R@1 | mean R@1 | of dense | notes |',
    '|---|---:|---:|---:|---:|---|',
    row('dense', denseR1, ''),
    row('MoPE one-shot', mopeR1, `removed ${(100 * sparsity(mopeReport)).toFixed(1)} %: ${m.headsRemoved} heads, ${m.neuronGroupsRemoved} neuron groups, ${m.layersRemoved} layers`),
    row('magnitude one-shot (same structures)', magR1, `removed ${(100 * sparsity(magReport)).toFixed(1)} %: ${magReport.metrics.headsRemoved} heads, ${magReport.metrics.neuronGroupsRemoved} neuron groups, ${magReport.metrics.layersRemoved} layers`),
    ...(distilled && distill ? [row(`MoPE + distillation (${distill.steps} steps)`, distilled, `loss ${distill.firstLoss.toFixed(3)} → ${distill.lastLoss.toFixed(3)} (means of first/last 10 steps), ${secs(distill.ms)} s`)] : []),
    '',
    `MoPE metric: ${settings.valImages} validation pairs, ${m.modules} modules; ${m.evaluations} evaluations (${m.cacheHits} answered by the gate-configuration memo) in ${secs(mopeReport.timings.evaluation ?? 0)} s; ` +
      `per-tower cache: ${m.fullRuns} full runs, ${m.towerRuns} single-tower runs, ${m.towerCacheHits} tower embeddings reused; prune() total ${secs(mopeMs)} s (width ${secs(mopeReport.timings.width ?? 0)} s, depth ${secs(mopeReport.timings.depth ?? 0)} s). ` +
      `Validation Z: dense ${m.denseMetric?.toFixed(2)}, width-pruned ${m.widthPrunedMetric?.toFixed(2)}. Magnitude ranking: ${secs(magMs)} s.`,
    `Total ${secs(performance.now() - started)} s.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.json) {
    await writeFile(values.json, JSON.stringify({ settings, r1: { dense: denseR1, mope: mopeR1, magnitude: magR1, distilled }, mope: { metrics: m, timings: mopeReport.timings, sparsity: sparsity(mopeReport) }, magnitude: { metrics: magReport.metrics, sparsity: sparsity(magReport) }, distill }, null, 2));
  }
} finally {
  for (const model of owned) await model.dispose();
}
