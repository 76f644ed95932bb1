/**
 * `pnpm --filter @vlp/models bench:speed` (after the CLIP bench): a randomly initialised BLIP-base
 * (`createRandomBlip`, class-default config = 384 px, patch 16, 12 + 12 layers of width 768, with
 * 12 text heads as the real checkpoints) per engine:
 *
 * - image encoder: images/s of `model.vision` (577 tokens per image);
 * - ITM: image–text pairs/s of `BlipForImageTextRetrieval.forward` (vision + text encoder with
 *   cross-attention + itm_head), texts of 35 tokens (BLIP's retrieval length);
 * - captioning: generated tokens/s of greedy `BlipForConditionalGeneration.generate`, 20 new tokens,
 *   end to end (image encoder included) and for the decoder alone (the image-encoder time of the
 *   batch, measured above, subtracted).
 *
 * Batches: ONNX Runtime 4 / 4 / 2 (images / pairs / captions); tfjs 1 / 1 / 1, because tfjs keeps
 * every intermediate of an eager forward until it ends and a BLIP-base ITM forward at batch 2
 * exceeds the 4 GB heap of tfjs-wasm. A failing measurement is reported in its cell.
 *
 * Prints a Markdown table; record it in docs/performance.md with the load average it prints.
 * Env: VLP_BENCH_THREADS (ORT intra-op threads, default 2), VLP_BENCH_BLIP_REPS (timed runs after a
 * batch-1 warm-up, default 3; the median is reported), VLP_BENCH_SKIP_TFJS=1 to skip tfjs.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { type Engine, initBackend } from '@vlp/core';
import { createRandomBlip } from '../src/blip/blip-random.js';
import type { BlipForConditionalGeneration, BlipForImageTextRetrieval } from '../src/index.js';

const threads = Number(process.env.VLP_BENCH_THREADS ?? 2);
const reps = Number(process.env.VLP_BENCH_BLIP_REPS ?? 3);
const BASE = { text_config: { num_attention_heads: 12 } };
const TEXT_TOKENS = 35;
const NEW_TOKENS = 20;
/** Batches per engine: images, ITM pairs, captions. */
const BATCHES: Record<Engine, { images: number; pairs: number; captions: number }> = {
  onnx: { images: 4, pairs: 4, captions: 2 },
  tfjs: { images: 1, pairs: 1, captions: 1 },
};

/** Median wall time (ms) of `reps` runs of `fn(batch)` after one warm-up run at batch 1 (sessions, caches). */
async function medianMs(fn: (batch: number) => Promise<void>, batch: number): Promise<number> {
  await fn(1);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn(batch);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

const pixels = (batch: number) => tf.randomNormal([batch, 3, 384, 384], 0, 1, 'float32', 1);

/** `[batch, TEXT_TOKENS]` ids: `[CLS]`, random word pieces, `[SEP]`. */
function texts(batch: number): tf.Tensor {
  return tf.tidy(() => {
    const body = tf.randomUniform([batch, TEXT_TOKENS - 2], 1000, 30000, 'int32', 2);
    return tf.concat([tf.fill([batch, 1], 101, 'int32'), body, tf.fill([batch, 1], 102, 'int32')], 1);
  });
}

async function imageEncoderMs(model: BlipForImageTextRetrieval, engine: Engine): Promise<number> {
  return medianMs(async (b) => {
    const px = pixels(b);
    const out = await model.vision(px, { engine });
    tf.dispose([px, out.lastHiddenState, out.poolerOutput]);
  }, BATCHES[engine].images);
}

async function itmMs(model: BlipForImageTextRetrieval, engine: Engine): Promise<number> {
  return medianMs(async (b) => {
    const [px, ids] = [pixels(b), texts(b)];
    const out = await model.forward({ pixelValues: px, inputIds: ids, engine });
    tf.dispose([px, ids, out.itmScore, out.imageEmbeds, out.questionEmbeds, out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput]);
  }, BATCHES[engine].pairs);
}

/** Median generate() time and the number of steps it took (random weights could stop early). */
async function captionMs(model: BlipForConditionalGeneration, engine: Engine): Promise<{ ms: number; steps: number }> {
  let steps = 0;
  const ms = await medianMs(async (b) => {
    const px = pixels(b);
    const out = await model.generate(px, { maxNewTokens: NEW_TOKENS, engine });
    steps = (out.sequences.shape[1] as number) - 1;
    tf.dispose([px, out.sequences]);
  }, BATCHES[engine].captions);
  return { ms, steps };
}

/** `fn()`'s figure, or the reason it failed (so one failing engine does not hide the others). */
async function attempt(fn: () => Promise<string>): Promise<string> {
  try {
    return await fn();
  } catch (error) {
    return `failed: ${(error as Error).message.split('\n')[0]}`;
  }
}

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const backend = await initBackend();
const engines: Engine[] = process.env.VLP_BENCH_SKIP_TFJS === '1' ? ['onnx'] : ['onnx', 'tfjs'];
const loadBefore = load();
const started = new Date();
const rows = new Map<Engine, string[]>(engines.map((e) => [e, []]));
const imageMs = new Map<Engine, number>();
const cell = (engine: Engine, value: string) => rows.get(engine)?.push(value);

const retrieval = createRandomBlip('BlipForImageTextRetrieval', BASE, 0, { intraOpNumThreads: threads }) as BlipForImageTextRetrieval;
for (const engine of engines) {
  const batch = BATCHES[engine];
  cell(engine, `${batch.images} / ${batch.pairs} / ${batch.captions}`);
  cell(engine, await attempt(async () => {
    const ms = await imageEncoderMs(retrieval, engine);
    imageMs.set(engine, ms / batch.images);
    return ((batch.images * 1000) / ms).toFixed(2);
  }));
  cell(engine, await attempt(async () => ((batch.pairs * 1000) / (await itmMs(retrieval, engine))).toFixed(2)));
}
await retrieval.dispose();

const captioner = createRandomBlip('BlipForConditionalGeneration', BASE, 0, { intraOpNumThreads: threads }) as BlipForConditionalGeneration;
for (const engine of engines) {
  const batch = BATCHES[engine].captions;
  let decoderOnly = 'n/a';
  cell(engine, await attempt(async () => {
    const { ms, steps } = await captionMs(captioner, engine);
    const tokens = batch * steps;
    const perImage = imageMs.get(engine);
    if (perImage !== undefined) decoderOnly = ((tokens * 1000) / (ms - batch * perImage)).toFixed(2);
    return `${((tokens * 1000) / ms).toFixed(2)}${steps === NEW_TOKENS ? '' : ` (${steps} steps)`}`;
  }));
  cell(engine, decoderOnly);
}
await captioner.dispose();

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const name = (e: Engine) => (e === 'onnx' ? `onnxruntime-node (${threads} threads)` : `tfjs-${backend.name}`);
process.stdout.write(
  `\nBLIP-base (random weights, 384 px, 12 text heads), median of ${reps} runs; ${os.cpus().length} × ${cpu}; Node ${process.version}; ` +
    `${started.toISOString()}; load average (1/5/15 min) ${loadBefore} before, ${load()} after\n\n` +
    `| engine | batches | image encoder images/s | ITM pairs/s (${TEXT_TOKENS} tokens) | generated tokens/s (${NEW_TOKENS} new, end to end) | tokens/s, decoder only |\n` +
    '| --- | --- | --- | --- | --- | --- |\n' +
    engines.map((e) => `| ${name(e)} | ${(rows.get(e) ?? []).join(' | ')} |`).join('\n') +
    '\n',
);
