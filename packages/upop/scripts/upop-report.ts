/**
 * `pnpm --filter @vlp/upop report:tiny [--only tiny-clip|tiny-blip-itm] [--p 0.5] [--search-steps N]
 *   [--retrain-steps N] [--retrain-lr X] [--batch-size N] [--eval-images N] [--rerank]
 *   [--speed-engine onnx|tfjs] [--speed-runs N] [--json FILE]`
 *
 * UPop end to end on the embedded tiny checkpoints of `@vlp/zoo` (tiny-clip, tiny-blip-itm):
 * search at p on Shapes-VL train pairs → compact → prunable-parameter, FLOP and measured
 * image-encoder speed-up → retrain the compact model with its task loss (`retrainCompact`) →
 * retrieval R@1 on the Shapes-VL test split (dense, one-shot compact, retrained) and the fraction of
 * the dense R@1 kept. Evaluators: `evaluateTinyClip` (zoo README, benchmark) and, for BLIP, ITC
 * ranking (the benchmark's blip-itm r1Mean); `--rerank` adds the zoo README's ITM re-ranked numbers.
 * Prints a markdown table on stdout, progress on stderr.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { type CalibrationSource, type PruneEvent, type PruneReport, type PrunableView, type TaskAdapter, initBackend, prune } from '@vlp/core';
import { shapesVLSample } from '@vlp/data';
import { type BlipForImageTextRetrieval, type BlipItmLossBatch, type ClipBatch, type ClipModel, type ImageProcessor, blipView, clipView, compactBlip, compactClip, resolveEngine } from '@vlp/models';
import { type TrainData, blipRetrievalTask, clipTask, evaluateBlipRetrieval, shapesVLRetrievalSet } from '@vlp/tasks';
import {
  TINY_BLIP_RECIPES,
  TINY_CLIP_RECIPE,
  evaluateTinyBlipRetrieval,
  evaluateTinyClip,
  loadEmbeddedModel,
  shapesVLBlipPairData,
  shapesVLPairData,
  withFastWasmMatMul,
} from '@vlp/zoo';
import { type ImageEncoderModel, type Speedup, imageEncoderFlops, measureImageEncoderSpeedup, modelFlops, prunableParams, retrainCompact, trainDataSource, upop } from '../src/index.js';

type Name = 'tiny-clip' | 'tiny-blip-itm';
const NAMES: readonly Name[] = ['tiny-clip', 'tiny-blip-itm'];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    p: { type: 'string', default: '0.5' },
    'search-steps': { type: 'string' },
    interval: { type: 'string' },
    'search-lr': { type: 'string' },
    'retrain-steps': { type: 'string' },
    'retrain-lr': { type: 'string' },
    'warmup-steps': { type: 'string' },
    'batch-size': { type: 'string' },
    'train-images': { type: 'string', default: '20000' },
    'eval-images': { type: 'string', default: '1000' },
    'speed-images': { type: 'string', default: '64' },
    'speed-runs': { type: 'string', default: '9' },
    /** Engine of the speed-up measurement (default ONNX Runtime, tfjs when that fails). */
    'speed-engine': { type: 'string' },
    seed: { type: 'string', default: '0' },
    /** tiny-blip-itm: also the zoo README's ITM re-ranked R@1 (slow: an ITM forward per query × 16). */
    rerank: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

const num = (key: keyof typeof values, fallback?: number): number => {
  const raw = values[key];
  const v = raw === undefined ? fallback : Number(raw);
  if (v === undefined || !Number.isFinite(v)) throw new Error(`--${key} must be a number (got ${String(raw)})`);
  return v;
};

/**
 * Per-model settings, sized for a shared 2-core CPU (a search step costs about 2–3 retraining steps;
 * tiny-blip-itm's ITM + ITC loss costs more than InfoNCE, hence fewer steps):
 * batch 32 (tiny-blip-itm's recipe; half tiny-clip's 64), weight decay of the checkpoint's recipe;
 * search T with interval ≈ T / (100·p), one ranking per 1 % of compression (author guidance);
 * retraining at 3e-4, a third of the recipes' 1e-3 (the compact model starts from trained weights).
 */
const DEFAULTS: Record<Name, { batchSize: number; weightDecay: number; searchSteps: number; searchLr: number; retrainSteps: number; retrainLr: number; warmupSteps: number }> = {
  'tiny-clip': { batchSize: 32, weightDecay: TINY_CLIP_RECIPE.weightDecay, searchSteps: 80, searchLr: 2e-4, retrainSteps: 200, retrainLr: 3e-4, warmupSteps: 10 },
  'tiny-blip-itm': { batchSize: TINY_BLIP_RECIPES['tiny-blip-itm'].batchSize, weightDecay: TINY_BLIP_RECIPES['tiny-blip-itm'].weightDecay, searchSteps: 60, searchLr: 2e-4, retrainSteps: 150, retrainLr: 3e-4, warmupSteps: 10 },
};

const log = (line: string) => process.stderr.write(`${line}\n`);
const secs = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** `[n, 3, S, S]` pixel values of the first `n` Shapes-VL test images. */
function testPixels(processor: ImageProcessor, size: number, n: number): tf.Tensor {
  const px = processor.preprocess(Array.from({ length: n }, (_, i) => shapesVLSample(0, 'test', i, size).image));
  return tf.tensor(px.pixelValues, [...px.shape]);
}

/** Retrieval R@1 (percent) of one evaluation. */
interface R1 {
  readonly i2t: number;
  readonly t2i: number;
  readonly mean: number;
  /** BLIP only: the ITM re-ranked numbers (zoo README protocol). */
  readonly reranked?: { readonly i2t: number; readonly t2i: number; readonly mean: number };
}

interface ModelReport {
  readonly model: Name;
  readonly settings: Record<string, number>;
  readonly prunable: { readonly before: number; readonly after: number };
  readonly params: { readonly before: number; readonly after: number };
  readonly flops: { readonly before: number; readonly after: number };
  readonly imageEncoderFlops: { readonly before: number; readonly after: number };
  readonly removed: Readonly<Record<string, number>>;
  readonly speedup: Speedup;
  readonly r1: { readonly dense: R1; readonly oneShot: R1; readonly retrained: R1 };
  readonly retrain: { readonly firstLoss: number; readonly lastLoss: number };
  readonly seconds: { readonly evaluate: number; readonly search: number; readonly retrain: number; readonly total: number };
}

/** What differs between the two models. */
interface Subject<M, B> {
  load(): Promise<M>;
  view(model: M): PrunableView<B>;
  task(model: M, train?: CalibrationSource<B>): TaskAdapter<B>;
  compact(model: M, report: PruneReport): M;
  data(model: M, images: number): TrainData<B>;
  evaluate(model: M, images: number): Promise<R1>;
}

const mean = (i2t: number, t2i: number) => ({ i2t, t2i, mean: (i2t + t2i) / 2 });

const CLIP: Subject<ClipModel, ClipBatch> = {
  load: () => loadEmbeddedModel('tiny-clip'),
  view: (m) => clipView(m),
  task: (m, train) => clipTask(m, { train }),
  compact: (m, r) => compactClip(m, r.structureMask!),
  data: (m, images) => shapesVLPairData({ tokenizer: m.tokenizer!, imageProcessor: m.imageProcessor!, images, size: m.config.vision.imageSize }),
  async evaluate(m, images) {
    const r = await evaluateTinyClip(m, { split: 'test', count: images });
    return mean(r.retrieval.i2t.r1, r.retrieval.t2i.r1);
  },
};

const BLIP: Subject<BlipForImageTextRetrieval, BlipItmLossBatch> = {
  load: () => loadEmbeddedModel('tiny-blip-itm'),
  view: (m) => blipView(m) as unknown as PrunableView<BlipItmLossBatch>,
  task: (m, train) => blipRetrievalTask(m, { train }),
  compact: (m, r) => compactBlip(m, r.structureMask!) as BlipForImageTextRetrieval,
  data(m, images) {
    // the pairs without `imageIndex` (Shapes-VL indices, not the ITM loss' batch positions)
    const pairs = shapesVLBlipPairData({ tokenizer: m.tokenizer!, imageProcessor: m.imageProcessor!, images, size: m.config.vision.imageSize });
    return {
      size: pairs.size,
      collate(indices) {
        const b = pairs.collate(indices);
        return { pixelValues: b.pixelValues, inputIds: b.inputIds, attentionMask: b.attentionMask };
      },
      release: (b) => tf.dispose([b.pixelValues, b.inputIds, b.attentionMask as tf.Tensor]),
    };
  },
  async evaluate(m, images) {
    if (values.rerank) {
      const r = await evaluateTinyBlipRetrieval(m, { split: 'test', count: images });
      return { ...mean(r.itcOnly.i2t.r1, r.itcOnly.t2i.r1), reranked: mean(r.i2t.r1, r.t2i.r1) };
    }
    // ITC ranking only, as the benchmark's blip-itm r1Mean
    const r = await evaluateBlipRetrieval(m, shapesVLRetrievalSet({ split: 'test', count: images, size: m.config.vision.imageSize }), { rerank: false });
    return mean(r.i2t.r1, r.t2i.r1);
  },
};

async function run<M extends ImageEncoderModel & Parameters<typeof modelFlops>[0] & { params: { size(): number }; tokenizer?: unknown; imageProcessor?: ImageProcessor; dispose(): Promise<void> }, B>(
  name: Name,
  s: Subject<M, B>,
): Promise<ModelReport> {
  const started = performance.now();
  const d = DEFAULTS[name];
  const settings = {
    p: num('p'),
    searchSteps: num('search-steps', d.searchSteps),
    interval: 0,
    searchLr: num('search-lr', d.searchLr),
    retrainSteps: num('retrain-steps', d.retrainSteps),
    retrainLr: num('retrain-lr', d.retrainLr),
    warmupSteps: num('warmup-steps', d.warmupSteps),
    batchSize: num('batch-size', d.batchSize),
    weightDecay: d.weightDecay,
    trainImages: num('train-images'),
    evalImages: num('eval-images'),
    seed: num('seed'),
  };
  settings.interval = num('interval', Math.max(1, Math.round(settings.searchSteps / (100 * settings.p))));
  log(`\n== ${name}: ${JSON.stringify(settings)}`);
  const dense = await s.load();
  const searched = await s.load();
  const owned: M[] = [dense, searched];
  try {
    let t0 = performance.now();
    const denseR1 = await s.evaluate(dense, settings.evalImages);
    let evaluateMs = performance.now() - t0;
    log(`dense R@1 ${JSON.stringify(denseR1)} (${secs(t0)})`);

    t0 = performance.now();
    const source = trainDataSource(s.data(searched, settings.trainImages), { batchSize: settings.batchSize, batches: settings.searchSteps, seed: settings.seed });
    const report = await withFastWasmMatMul(() =>
      prune(upop({ searchSteps: settings.searchSteps, interval: settings.interval, learningRate: settings.searchLr }), s.view(searched), { sparsity: settings.p, seed: settings.seed }, {
        task: s.task(searched, source),
        onEvent: (e: PruneEvent) => {
          if (e.type === 'step-end' && (e.step % 10 === 0 || e.step === e.total)) log(`  search step ${e.step}/${e.total} loss ${e.loss?.toFixed(4)} (${secs(t0)})`);
        },
      }),
    );
    const searchMs = performance.now() - t0;
    const compact = s.compact(searched, report);
    owned.push(compact);
    compact.tokenizer ??= searched.tokenizer;
    compact.imageProcessor ??= searched.imageProcessor;
    const prunable = { before: prunableParams(s.view(dense)), after: prunableParams(s.view(compact)) };
    const params = { before: dense.params.size(), after: compact.params.size() };
    const flops = { before: modelFlops(dense), after: modelFlops(compact) };
    const imageFlops = { before: imageEncoderFlops(dense), after: imageEncoderFlops(compact) };
    log(`search done (${(searchMs / 1000).toFixed(1)} s): prunable ${prunable.before} → ${prunable.after} (−${pct(1 - prunable.after / prunable.before)}), FLOPs −${pct(1 - flops.after / flops.before)}`);

    const pixels = testPixels(dense.imageProcessor!, (dense as unknown as ClipModel).config.vision.imageSize, num('speed-images'));
    let speedup: Speedup;
    try {
      const engine = values['speed-engine'];
      if (engine !== undefined && engine !== 'onnx' && engine !== 'tfjs') throw new Error(`--speed-engine must be onnx or tfjs (got ${engine})`);
      speedup = await measureImageEncoderSpeedup(dense, compact, pixels, { runs: num('speed-runs'), warmup: 2, ...(engine ? { engine } : {}) });
    } finally {
      pixels.dispose();
    }
    log(`image encoder (${speedup.engine}${speedup.fallback ? `, ${speedup.fallback}` : ''}): ${speedup.denseMs.toFixed(2)} ms → ${speedup.compactMs.toFixed(2)} ms, ×${speedup.speedup.toFixed(2)}`);

    t0 = performance.now();
    const oneShot = await s.evaluate(compact, settings.evalImages);
    evaluateMs += performance.now() - t0;
    log(`one-shot R@1 ${JSON.stringify(oneShot)} (${secs(t0)})`);

    t0 = performance.now();
    const retrain = await withFastWasmMatMul(() =>
      retrainCompact(
        {
          params: (compact as unknown as { params: Parameters<typeof retrainCompact>[0]['params'] }).params,
          view: s.view(compact),
          task: s.task(compact),
          data: s.data(compact, settings.trainImages),
          onEvent: (e) => {
            if (e.type === 'step-end' && (e.step % 25 === 0 || e.step === e.total)) log(`  retrain step ${e.step}/${e.total} loss ${e.loss.toFixed(4)} (${secs(t0)})`);
          },
        },
        { steps: settings.retrainSteps, batchSize: settings.batchSize, learningRate: settings.retrainLr, warmupSteps: settings.warmupSteps, weightDecay: settings.weightDecay, seed: settings.seed },
      ),
    );
    const retrainMs = performance.now() - t0;
    const losses = retrain.losses;
    const avg = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const window = Math.max(1, Math.min(10, Math.floor(losses.length / 2)));
    log(`retrained ${retrain.steps} steps (${(retrainMs / 1000).toFixed(1)} s): loss ${avg(losses.slice(0, window)).toFixed(4)} → ${avg(losses.slice(-window)).toFixed(4)} (means of the first/last ${window})`);

    t0 = performance.now();
    const retrained = await s.evaluate(compact, settings.evalImages);
    evaluateMs += performance.now() - t0;
    log(`retrained R@1 ${JSON.stringify(retrained)} (${secs(t0)})`);
    const m = report.metrics;
    return {
      model: name,
      settings,
      prunable,
      params,
      flops,
      imageEncoderFlops: imageFlops,
      removed: { attnChannels: m.attnChannelsRemoved ?? 0, attnChannelsTotal: m.attnChannels ?? 0, mlpNeurons: m.mlpNeuronsRemoved ?? 0, mlpNeuronsTotal: m.mlpNeurons ?? 0 },
      speedup,
      r1: { dense: denseR1, oneShot, retrained },
      retrain: { firstLoss: avg(losses.slice(0, window)), lastLoss: avg(losses.slice(-window)) },
      seconds: { evaluate: evaluateMs / 1000, search: searchMs / 1000, retrain: retrainMs / 1000, total: (performance.now() - started) / 1000 },
    };
  } finally {
    for (const model of owned) await model.dispose();
  }
}

function table(reports: readonly ModelReport[]): string {
  const f1 = (x: number) => x.toFixed(1);
  const r1 = (r: R1) => `${f1(r.i2t)} / ${f1(r.t2i)} / **${f1(r.mean)}**`;
  const lines = [
    `UPop at p = ${num('p')} on the embedded checkpoints; R@1 on the first ${num('eval-images')} Shapes-VL test images (all 5 captions each), i2t / t2i / mean (%).`,
    '',
    '| model | prunable params | FLOPs (model) | FLOPs (image enc.) | image-enc. speed-up | R@1 dense | R@1 one-shot | R@1 retrained | retained |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of reports) {
    const red = (x: { before: number; after: number }) => `−${pct(1 - x.after / x.before)}`;
    const sp = `×${r.speedup.speedup.toFixed(2)} (${r.speedup.denseMs.toFixed(1)} → ${r.speedup.compactMs.toFixed(1)} ms, ${r.speedup.engine})`;
    lines.push(`| ${r.model}${r.r1.dense.reranked ? ' (ITC)' : ''} | ${r.prunable.before} → ${r.prunable.after} (${red(r.prunable)}) | ${red(r.flops)} | ${red(r.imageEncoderFlops)} | ${sp} | ${r1(r.r1.dense)} | ${r1(r.r1.oneShot)} | ${r1(r.r1.retrained)} | ${pct(r.r1.retrained.mean / r.r1.dense.mean)} |`);
    const rr = r.r1;
    if (rr.dense.reranked && rr.oneShot.reranked && rr.retrained.reranked) {
      lines.push(`| ${r.model} (ITM re-ranked) | | | | | ${r1(rr.dense.reranked)} | ${r1(rr.oneShot.reranked)} | ${r1(rr.retrained.reranked)} | ${pct(rr.retrained.reranked.mean / rr.dense.reranked.mean)} |`);
    }
  }
  lines.push('', '| model | search T / interval / lr | retrain steps / lr / warm-up / batch | removed attn channels, MLP neurons | retrain loss (first → last 10) | time: search / retrain / eval / total |', '| --- | --- | --- | --- | --- | --- |');
  for (const r of reports) {
    const s = r.settings;
    const t = r.seconds;
    lines.push(
      `| ${r.model} | ${s.searchSteps} / ${s.interval} / ${s.searchLr} | ${s.retrainSteps} / ${s.retrainLr} / ${s.warmupSteps} / ${s.batchSize} | ${r.removed.attnChannels}/${r.removed.attnChannelsTotal}, ${r.removed.mlpNeurons}/${r.removed.mlpNeuronsTotal} | ${r.retrain.firstLoss.toFixed(3)} → ${r.retrain.lastLoss.toFixed(3)} | ${t.search.toFixed(0)} / ${t.retrain.toFixed(0)} / ${t.evaluate.toFixed(0)} / ${t.total.toFixed(0)} s |`,
    );
  }
  return lines.join('\n');
}

const backend = await initBackend();
const only = values.only;
if (only !== undefined && !NAMES.includes(only as Name)) throw new Error(`--only must be one of ${NAMES.join(', ')} (got ${only})`);
log(`UPop report: tfjs backend ${backend.name}, forward engine ${resolveEngine(undefined)}`);
const reports: ModelReport[] = [];
for (const name of NAMES) {
  if (only !== undefined && only !== name) continue;
  reports.push(name === 'tiny-clip' ? await run(name, CLIP) : await run(name, BLIP));
}
const out = table(reports);
process.stdout.write(`${out}\n`);
if (values.json) await writeFile(values.json, `${JSON.stringify(reports, null, 2)}\n`);
