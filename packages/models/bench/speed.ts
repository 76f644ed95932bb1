/**
 * `pnpm --filter @vlp/models bench:speed`: image-encoder images/s and text-encoder texts/s of a
 * randomly initialised CLIP with the default (ViT-B/32) config at batch 8, per engine, with and
 * without taps, and for a 50%-compacted model (half the heads and half the MLP neurons of every
 * layer removed). Prints a Markdown table; record it in docs/performance.md.
 *
 * Env: VLP_BENCH_THREADS (ORT intra-op threads, default 2), VLP_BENCH_REPS (default 5),
 * VLP_BENCH_SKIP_TFJS=1 to skip the slow tfjs-wasm rows.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { type Engine, initBackend, type TapSpec } from '@vlp/core';
import { type ClipModel, clipView, compactClip, createRandomClip } from '../src/index.js';

const threads = Number(process.env.VLP_BENCH_THREADS ?? 2);
const reps = Number(process.env.VLP_BENCH_REPS ?? 5);
const batch = 8;

async function timeIt(fn: () => Promise<void>): Promise<number> {
  await fn(); // warm-up (session creation, caches)
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

async function imagesPerSecond(model: ClipModel, engine: Engine, taps: boolean): Promise<number> {
  const view = clipView(model);
  const pixels = tf.randomNormal([batch, 3, 224, 224], 0, 1, 'float32', 1);
  const ids = tf.zeros([1, 77], 'int32');
  const visionTaps: TapSpec[] = taps ? view.units.filter((u) => u.modality === 'vision').map((u) => ({ kind: 'input-sum-squares', unit: u.name, tokens: 'all' })) : [];
  let ms: number;
  if (taps) {
    ms = await timeIt(async () => {
      const r = await view.run({ pixelValues: pixels, inputIds: ids }, { taps: visionTaps, engine });
      r.dispose();
    });
    // subtract the single-text text tower (measured separately) so the figure is the image encoder's
    const textOnly = await timeIt(async () => (await model.getTextFeatures(ids, undefined, { engine })).dispose());
    ms -= textOnly;
  } else {
    ms = await timeIt(async () => (await model.getImageFeatures(pixels, { engine })).dispose());
  }
  tf.dispose([pixels, ids]);
  return (batch * 1000) / ms;
}

async function textsPerSecond(model: ClipModel, engine: Engine): Promise<number> {
  const ids = tf.randomUniform([batch, 77], 0, 49000, 'int32', 2);
  const ms = await timeIt(async () => (await model.getTextFeatures(ids, undefined, { engine })).dispose());
  ids.dispose();
  return (batch * 1000) / ms;
}

function halfCompacted(model: ClipModel): ClipModel {
  const view = clipView(model);
  const removed = view.structures
    .filter((s) => s.modality === 'vision' && (s.kind === 'head' || s.kind === 'neuron') && s.gate.index % 2 === 1)
    .map((s) => s.id);
  return compactClip(model, { removed });
}

const backend = await initBackend();
const dense = createRandomClip({}, 0, { intraOpNumThreads: threads });
const compact = halfCompacted(dense);

const rows: string[][] = [];
const engines: Engine[] = process.env.VLP_BENCH_SKIP_TFJS === '1' ? ['onnx'] : ['onnx', 'tfjs'];
for (const engine of engines) {
  const plain = await imagesPerSecond(dense, engine, false);
  const tapped = await imagesPerSecond(dense, engine, true);
  const texts = await textsPerSecond(dense, engine);
  const small = await imagesPerSecond(compact, engine, false);
  rows.push([
    engine === 'onnx' ? `onnxruntime-node (${threads} threads)` : `tfjs-${backend.name}`,
    plain.toFixed(2),
    `${tapped.toFixed(2)} (${(((plain - tapped) / plain) * 100).toFixed(1)}% slower)`,
    texts.toFixed(2),
    `${small.toFixed(2)} (${(small / plain).toFixed(2)}×)`,
  ]);
}
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
process.stdout.write(
  `CLIP ViT-B/32 (random weights), batch ${batch}, median of ${reps} runs; ${os.cpus().length} × ${cpu}; Node ${process.version}\n\n` +
    '| engine | images/s | images/s with taps (24 input stats) | texts/s | images/s, 50%-compacted |\n| --- | --- | --- | --- | --- |\n' +
    rows.map((r) => `| ${r.join(' | ')} |`).join('\n') +
    '\n',
);
await dense.dispose();
await compact.dispose();
