import { defineSuite } from '../suite/define-suite.js';
import type { SuiteModel } from '../suite/types.js';

/**
 * The embedded checkpoints of `@vlp/zoo` and their tasks. The BLIP head classes are `optional`:
 * a zoo that does not list one in `EMBEDDED_MODELS` yet runs without it (run.json `skipped` says
 * so), and it joins the suite as soon as the zoo ships it. BLIP tasks: retrieval for
 * BlipForImageTextRetrieval, captioning for BlipForConditionalGeneration, vqa for
 * BlipForQuestionAnswering.
 */
export const EMBEDDED_SUITE_MODELS: readonly SuiteModel[] = [
  { id: 'tiny-clip', model: { kind: 'embedded', name: 'tiny-clip' }, tasks: ['zero-shot', 'retrieval'] },
  { id: 'tiny-blip-itm', model: { kind: 'embedded', name: 'tiny-blip-itm' }, tasks: ['retrieval'], optional: true },
  { id: 'tiny-blip-caption', model: { kind: 'embedded', name: 'tiny-blip-caption' }, tasks: ['captioning'], optional: true },
  { id: 'tiny-blip-vqa', model: { kind: 'embedded', name: 'tiny-blip-vqa' }, tasks: ['vqa'], optional: true },
];

/**
 * CPU budgets of the pruners whose defaults are sized for GPUs (recorded in run.json like every
 * resolved config): seconds per tiny-clip cell each (per-cell times in docs/benchmarking.md, "Cost").
 */
export const DEFAULT_PRUNER_CONFIGS: Readonly<Record<string, unknown>> = {
  // IterSNIP's 60 rounds (MULTIFLOW's setting) would take a third of the time budget on 2 cores;
  // 20 rounds keep its exponential schedule.
  itersnip: { rounds: 20 },
  // MULTIFLOW: the suite's 2 calibration batches of 32 (official: 3000 batches on a GPU).
  multiflow: { numBatches: 2 },
  // ECoFLaP: zeroth-order block sparsities from one batch of 32 per unit (the official
  // `num_data_first_stage`), then block-wise Wanda on the calibration batches.
  ecoflap: { scores: { kind: 'zeroth-order', samples: 32 }, fine: { kind: 'wanda' } },
  // UPop: a 20-step mask search (official: the fine-tuning epochs on 8 GPUs), one ranking every
  // 2 steps; the cells' recovery fine-tuning follows it like every other method's.
  upop: { searchSteps: 20, interval: 2 },
  // MoPE: the paper's procedure unchanged; its cost is #heads + #neuron groups + #layers + 2
  // gated evaluations on the suite's validation pairs.
  mope: {},
  // ID: TwoNN on the 64 calibration samples (official 600–2000); exactly ⌊N·s⌋ weights pruned so
  // that it is compared at matched sparsity (`official` thresholds land near, not on, the target).
  'id-metric': { samples: 64, maxBlocks: 20, thresholdRule: 'exact' },
};

/**
 * `pnpm bench` with no arguments: every installed pruner on the embedded tiny models, Shapes-VL
 * data, sparsities 0.5 / 0.63 / 0.75 / 0.9 (structured methods: 2× and 4× compression), seed 0,
 * one-shot and after a short recovery fine-tuning (10 AdamW steps of 32 image–caption pairs at a
 * peak learning rate of 5e-5, masks fixed: enough to repair heavy pruning without disturbing a
 * nearly dense model). tiny-clip alone takes about 13 minutes on 2 CPU cores; see
 * docs/benchmarking.md ("Cost") for the tiny-blip heads.
 */
export const defaultSuite = defineSuite({
  id: 'default',
  description: 'Every installed pruner on the embedded tiny models (Shapes-VL), one-shot and after a short recovery fine-tuning.',
  models: EMBEDDED_SUITE_MODELS,
  pruners: 'installed',
  prunerConfigs: DEFAULT_PRUNER_CONFIGS,
  sparsities: [0.5, 0.63, 0.75, 0.9],
  compressions: [2, 4],
  seeds: [0],
  calibration: { batches: 2, batchSize: 32 },
  // 500 test images: zero-shot over 64 classes, retrieval over 500 images × 5 captions.
  evaluation: { count: 500, batchSize: 250 },
  recovery: { steps: 10, batchSize: 32, learningRate: 5e-5, warmupSteps: 1, images: 2000 },
  // UPop's search: 256 training pairs in batches of 32; MoPE: 128 validation pairs, one gallery.
  train: { images: 256, batchSize: 32 },
  validation: { count: 128, batchSize: 128 },
});
