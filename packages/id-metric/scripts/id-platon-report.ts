/**
 * `pnpm --filter @vlp/id-metric report:tiny [--models tiny-clip,tiny-blip-itm] [--seeds 0] [--sparsity 0.75]
 *   [--epochs 5] [--train-images 256] [--batch-size 32] [--delta-t 5] [--lr 5e-5] [--samples 600] [--eval-count N] [--json]`
 *
 * Issue #11's comparison: on the embedded tiny-clip and tiny-blip-itm, iterative pruning during
 * fine-tuning (Algorithm 1, `idMetricIterative`) to `sparsity` twice with the same fine-tuning
 * budget, data order and seed — PLATON × ID (`useId: true`) and PLATON alone (`useId: false`,
 * i.e. ID_l ≡ 1) — then image↔text retrieval R@1 on the first `eval-count` images of the Shapes-VL
 * test split (all 5 captions each; default `pnpm bench`'s 500 for tiny-clip, 250 for tiny-blip-itm),
 * next to the dense model. Fine-tuning reads the Shapes-VL train
 * split (`train-images` images per epoch, one caption each, seeded order); the IDs are measured
 * with TwoNN on the first `samples` train images. Both runs prune exactly ⌊N·s⌋ weights
 * (`thresholdRule: 'exact'`: matched sparsity). Prints a markdown table on stdout (and with
 * `--json` the raw numbers), progress on stderr.
 */
import { parseArgs } from 'node:util';
import { initBackend, prune } from '@vlp/core';
import { withFastWasmMatMul } from '@vlp/zoo';
import { idMetricIterative } from '../src/id-iterative-pruner.js';
import { type RetrievalR1, SUBJECTS, type Subject } from './tiny-subjects.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'tiny-clip,tiny-blip-itm' },
    seeds: { type: 'string', default: '0' },
    sparsity: { type: 'string', default: '0.75' },
    epochs: { type: 'string', default: '5' },
    'train-images': { type: 'string', default: '256' },
    'batch-size': { type: 'string', default: '32' },
    'delta-t': { type: 'string', default: '5' },
    lr: { type: 'string', default: '5e-5' },
    samples: { type: 'string', default: '600' },
    'eval-count': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const num = (name: keyof typeof values): number => {
  const v = Number(values[name]);
  if (!Number.isFinite(v)) throw new Error(`--${name} must be a number, got "${values[name]}".`);
  return v;
};
const sparsity = num('sparsity');
const trainImages = num('train-images');
const batchSize = num('batch-size');
const samples = num('samples');
const evalCountOf = (s: Subject) => (values['eval-count'] === undefined ? s.evalCount : num('eval-count'));
const seeds = (values.seeds as string).split(',').map(Number);
const models = (values.models as string).split(',').map((m) => {
  const s = SUBJECTS[m as Subject['name']];
  if (!s) throw new Error(`unknown model "${m}"; known: ${Object.keys(SUBJECTS).join(', ')}`);
  return s;
});
/** Algorithm 1 with the paper's BLIP captioning run (5 epochs, warm-ups 1/1, β 0.85/0.95, AdamW cosine, wd 0), sized for 2 CPU cores. */
const common = {
  base: 'platon',
  epochs: num('epochs'),
  deltaT: num('delta-t'),
  learningRate: num('lr'),
  samples,
  maxBlocks: 20,
  thresholdRule: 'exact',
} as const;

const log = (line: string) => process.stderr.write(`${line}\n`);
const pct = (x: number) => x.toFixed(2);

interface Row {
  readonly model: string;
  readonly method: 'dense' | 'ID+PLATON' | 'PLATON';
  readonly seed: number | null;
  readonly r1: RetrievalR1;
  readonly sparsity?: { total: number; byModality: Record<string, number> };
  /** Mean measured ID of the units of each modality (ID+PLATON only). */
  readonly meanId?: Record<string, number>;
  readonly finalLoss?: number;
  readonly seconds: number;
}

async function runDense(subject: Subject): Promise<Row> {
  const t0 = performance.now();
  const model = await subject.load();
  try {
    const r1 = await subject.evaluate(model, evalCountOf(subject));
    return { model: subject.name, method: 'dense', seed: null, r1, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await model.dispose();
  }
}

async function runPruned(subject: Subject, useId: boolean, seed: number): Promise<Row> {
  const t0 = performance.now();
  const model = await subject.load();
  try {
    const view = subject.view(model);
    const train = subject.train(model, { images: trainImages, batchSize, seed });
    const report = await withFastWasmMatMul(() =>
      prune(idMetricIterative({ ...common, useId }), view, { sparsity, seed }, {
        calibration: subject.calibration(model, samples),
        task: subject.task(model, train),
        onEvent: (e) => {
          if (e.type === 'step-end' && (e.step % 10 === 0 || e.step === e.total)) log(`  step ${e.step}/${e.total} loss ${e.loss?.toFixed(4)}`);
        },
      }),
    );
    const pruneSeconds = (performance.now() - t0) / 1000;
    const r1 = await subject.evaluate(model, evalCountOf(subject));
    const modalities = [...new Set(view.units.map((u) => u.modality))];
    const meanIdOf = (modality: string) => {
      const ids = view.units.filter((u) => u.modality === modality).map((u) => report.metrics[`id:${u.name}`] as number);
      return ids.reduce((a, b) => a + b, 0) / ids.length;
    };
    const per = report.sparsity.perModality as Record<string, { sparsity: number } | undefined>;
    log(`  pruned in ${pruneSeconds.toFixed(0)} s`);
    return {
      model: subject.name,
      method: useId ? 'ID+PLATON' : 'PLATON',
      seed,
      r1,
      sparsity: { total: report.sparsity.total.sparsity, byModality: Object.fromEntries(modalities.map((m) => [m, per[m]?.sparsity ?? Number.NaN])) },
      ...(useId ? { meanId: Object.fromEntries(modalities.map((m) => [m, meanIdOf(m)])) } : {}),
      finalLoss: report.metrics.finalLoss as number,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await model.dispose();
  }
}

await initBackend();
log(`ID+PLATON vs PLATON: sparsity ${sparsity}, ${common.epochs} epochs × ${trainImages / batchSize} steps of ${batchSize} pairs, ΔT ${common.deltaT}, lr ${common.learningRate}, ID samples ${samples}, eval ${models.map((m) => `${m.name} ${evalCountOf(m)}`).join(' / ')} test images, seeds ${seeds.join(',')}`);
const rows: Row[] = [];
for (const subject of models) {
  log(`${subject.name}: dense`);
  rows.push(await runDense(subject));
  for (const seed of seeds) {
    for (const useId of [true, false]) {
      log(`${subject.name}: ${useId ? 'ID+PLATON' : 'PLATON'} seed ${seed}`);
      const row = await runPruned(subject, useId, seed);
      log(`  R@1 mean ${pct(row.r1.mean)} (i2t ${pct(row.r1.i2t)}, t2i ${pct(row.r1.t2i)}) in ${row.seconds.toFixed(0)} s`);
      rows.push(row);
    }
  }
}

const byModality = (values: Record<string, number>, digits: number) => Object.entries(values).map(([m, v]) => `${m} ${v.toFixed(digits)}`).join(', ');
const lines = [
  `| model | method | seed | R@1 i2t | R@1 t2i | R@1 mean | ITC-only R@1 mean | sparsity by modality | mean ID by modality | time (s) |`,
  `| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
  ...rows.map((r) =>
    [
      r.model,
      r.method,
      r.seed ?? '—',
      pct(r.r1.i2t),
      pct(r.r1.t2i),
      `**${pct(r.r1.mean)}**`,
      r.r1.itcOnly ? pct(r.r1.itcOnly.mean) : '—',
      r.sparsity ? `${r.sparsity.total.toFixed(3)} (${byModality(r.sparsity.byModality, 3)})` : '—',
      r.meanId ? byModality(r.meanId, 2) : '—',
      r.seconds.toFixed(0),
    ].join(' | '),
  ).map((l) => `| ${l} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
if (values.json) process.stdout.write(`${JSON.stringify({ settings: { sparsity, trainImages, batchSize, evalCount: Object.fromEntries(models.map((m) => [m.name, evalCountOf(m)])), seeds, ...common }, rows }, null, 2)}\n`);
