import { defineSuite } from '../suite/define-suite.js';
import type { SuiteModel } from '../suite/types.js';

/**
 * The reduced grid of the tiny-blip heads in the default suite, sized so that `pnpm bench` stays
 * under 30 minutes on 2 cores (measured: 16.1 of its 28.1 minutes of cells with the 8-px
 * clip-vision heads; per-cell costs in docs/benchmarking.md, "Cost"). tiny-clip keeps the full grid; on each BLIP head:
 * - targets: sparsities 0.5 and 0.75 (drops 0.63 and 0.9: half the unstructured cells; 0.5 is
 *   the usual comparison point, 0.75 the heavy regime) and 2× compression only (drops 4×);
 * - pruners: every installed pruner except
 *   - `mope`: > 140 s per BLIP cell (#heads + #groups + #layers + 2 gated evaluations, each a tfjs
 *     BLIP task loss): ≈ 7 minutes for one target on three heads;
 *   - `itersnip` and `ecoflap`: ≈ 50–62 s per BLIP cell each (measured with 20 rounds of tfjs
 *     gradients; zeroth-order losses per unit): ≈ 12 minutes on three heads at two sparsities. SNIP
 *     stays (IterSNIP's one-round criterion), and MULTIFLOW and ID stay as the cheap
 *     vision-language methods; ECoFLaP runs on tiny-blip-itm only ({@link BLIP_ITM_SUITE_GRID});
 *   - `omp` and `ecoflap-first-order`: on tiny-blip-itm only, too;
 *   - `layerwise-l2norm` and `lamp`: data-free rescalings of magnitude (≈ 13–28 s per cell, mostly
 *     recovery and evaluation); `magnitude` stays as the magnitude family on BLIP;
 *   - `id-metric-iterative` (every head, tiny-blip-itm included): 8 tfjs fine-tuning steps of a BLIP
 *     task loss per cell (≈ 5 s each on 2 loaded cores); the one-shot `id-metric` stays;
 *   so the BLIP heads run random, magnitude, snip, wanda, sparsegpt, multiflow, id-metric at 0.5 and
 *   0.75 and upop at 2× (≈ 32 s per cell: the only structured method on BLIP): 15 cells + dense
 *   per head instead of 48 + dense;
 * - evaluation: 250 test images per task instead of 500 (halves the captioning and VQA generation,
 *   the largest cost of those heads after recovery);
 * - recovery: the suite's (10 steps × 32 pairs), so one-shot and recovered numbers mean the same on
 *   every model.
 * A pruner added to the installed set later runs on the BLIP heads too; a test pins this list so
 * that the cost note above is revisited when it changes.
 */
export const BLIP_SUITE_GRID = {
  pruners: { exclude: ['mope', 'itersnip', 'ecoflap', 'layerwise-l2norm', 'lamp', 'omp', 'ecoflap-first-order', 'id-metric-iterative'] },
  sparsities: [0.5, 0.75],
  compressions: [2],
  evaluation: { count: 250, batchSize: 250 },
} as const satisfies Pick<SuiteModel, 'pruners' | 'sparsities' | 'compressions' | 'evaluation'>;

/**
 * The grid of tiny-blip-itm, the BLIP head the retrieval claims of the method papers are checked
 * on: {@link BLIP_SUITE_GRID} plus
 * - `omp` (global magnitude, MULTIFLOW's and ECoFLaP's baseline) and `multiflow` at all four
 *   sparsities 0.5 / 0.63 / 0.75 / 0.9 (issue #7: MULTIFLOW vs OMP at 0.75 and 0.9; ≈ 13–16 s per
 *   ITM cell: +6 cells);
 * - `ecoflap` (zeroth-order + Wanda, the suite's budget) and `wanda` at 0.63 and 0.75 (issue #8:
 *   ECoFLaP vs uniform Wanda at "0.6" — the grid's 0.63 — and 0.75; ECoFLaP's stage 1 is ≈ 112
 *   tfjs ITM forwards of one batch of 32: +2 ECoFLaP cells and +1 Wanda cell);
 * - `ecoflap-first-order` at 0.75: its stage 1 (2 tfjs backward passes) against the zeroth-order
 *   one's, both on tfjs here (BLIP task losses have no ONNX Runtime path), so that their stage-1
 *   peak tfjs memory is comparable (issue #8; one ≈ 15–20 s cell).
 * Costs in docs/benchmarking.md, "Cost".
 */
export const BLIP_ITM_SUITE_GRID = {
  ...BLIP_SUITE_GRID,
  pruners: { exclude: ['mope', 'itersnip', 'layerwise-l2norm', 'lamp', 'id-metric-iterative'] },
  prunerSparsities: {
    multiflow: [0.5, 0.63, 0.75, 0.9],
    omp: [0.5, 0.63, 0.75, 0.9],
    wanda: [0.5, 0.63, 0.75],
    ecoflap: [0.63, 0.75],
    'ecoflap-first-order': [0.75],
  },
} as const satisfies Pick<SuiteModel, 'pruners' | 'sparsities' | 'prunerSparsities' | 'compressions' | 'evaluation'>;

/**
 * tiny-clip's own addition to the suite's grid: the first-order ECoFLaP variant at 0.75 only, so
 * that the run's results hold the stage-1 time and peak memory of both ECoFLaP estimators (issue
 * #8; one ≈ 17 s cell). On CLIP the zeroth-order forwards run on ONNX Runtime, whose memory tfjs
 * does not see: the like-for-like memory comparison is tiny-blip-itm's (both on tfjs).
 */
export const CLIP_SUITE_PRUNER_SPARSITIES = { 'ecoflap-first-order': [0.75] } as const;

/**
 * The embedded checkpoints of `@vlp/zoo` and their tasks. The BLIP head classes are `optional`:
 * a zoo that does not list one in `EMBEDDED_MODELS` yet runs without it (run.json `skipped` says
 * so), and it joins the suite as soon as the zoo ships it. BLIP tasks: retrieval for
 * BlipForImageTextRetrieval, captioning for BlipForConditionalGeneration, vqa for
 * BlipForQuestionAnswering. tiny-clip runs the suite's full grid, the BLIP heads
 * {@link BLIP_SUITE_GRID}.
 */
export const EMBEDDED_SUITE_MODELS: readonly SuiteModel[] = [
  { id: 'tiny-clip', model: { kind: 'embedded', name: 'tiny-clip' }, tasks: ['zero-shot', 'retrieval'], prunerSparsities: CLIP_SUITE_PRUNER_SPARSITIES },
  { id: 'tiny-blip-itm', model: { kind: 'embedded', name: 'tiny-blip-itm' }, tasks: ['retrieval'], optional: true, ...BLIP_ITM_SUITE_GRID },
  { id: 'tiny-blip-caption', model: { kind: 'embedded', name: 'tiny-blip-caption' }, tasks: ['captioning'], optional: true, ...BLIP_SUITE_GRID },
  { id: 'tiny-blip-vqa', model: { kind: 'embedded', name: 'tiny-blip-vqa' }, tasks: ['vqa'], optional: true, ...BLIP_SUITE_GRID },
];

/**
 * CPU budgets of the pruners whose defaults are sized for GPUs (recorded in run.json like every
 * resolved config): seconds per tiny-clip cell each (per-cell times in docs/benchmarking.md, "Cost").
 */
export const DEFAULT_PRUNER_CONFIGS: Readonly<Record<string, unknown>> = {
  // IterSNIP's 60 rounds (MULTIFLOW's setting) would take a third of the time budget on 2 cores;
  // 10 rounds keep its exponential schedule (20 until the OMP / MULTIFLOW / ECoFLaP cells of issues
  // #7 and #8 were added: ≈ 2 s per round, so 10 rounds save ≈ 80 s on tiny-clip's 4 cells).
  itersnip: { rounds: 10 },
  // MULTIFLOW: the suite's 2 calibration batches of 32 (official: 3000 batches on a GPU).
  multiflow: { numBatches: 2 },
  // ECoFLaP: zeroth-order block sparsities from one batch of 32 per unit (the official
  // `num_data_first_stage`), then block-wise Wanda on the calibration batches.
  ecoflap: { scores: { kind: 'zeroth-order', samples: 32 }, fine: { kind: 'wanda' } },
  // Its first-order variant (stage-1 memory comparison, tiny-clip at 0.75 only): backprop over the
  // suite's 2 × 32 calibration pairs (official: 128 samples).
  'ecoflap-first-order': { scores: { kind: 'first-order', samples: 64 }, fine: { kind: 'wanda' } },
  // UPop: a 20-step mask search (official: the fine-tuning epochs on 8 GPUs), one ranking every
  // 2 steps; the cells' recovery fine-tuning follows it like every other method's.
  upop: { searchSteps: 20, interval: 2 },
  // MoPE: the paper's procedure unchanged; its cost is #heads + #neuron groups + #layers + 2
  // gated evaluations on the suite's validation pairs.
  mope: {},
  // ID: TwoNN on the 64 calibration samples (official 600–2000); exactly ⌊N·s⌋ weights pruned so
  // that it is compared at matched sparsity (`official` thresholds land near, not on, the target).
  'id-metric': { samples: 64, maxBlocks: 20, thresholdRule: 'exact' },
  // ID × PLATON iterative (Algorithm 1): one epoch over the suite's `train` batches (8 × 32 pairs)
  // with warm-ups of 2 steps, ΔT 2, the recovery's peak lr 5e-5 (official: 5 epochs, ΔT 10, 1e-5).
  'id-metric-iterative': { samples: 64, maxBlocks: 20, thresholdRule: 'exact', epochs: 1, warmupSteps: 2, deltaT: 2, learningRate: 5e-5 },
};

/**
 * `pnpm bench` with no arguments: the embedded tiny models on Shapes-VL data; every installed
 * pruner at sparsities 0.5 / 0.63 / 0.75 / 0.9 (structured methods: 2× and 4× compression), seed 0,
 * one-shot and after a short recovery fine-tuning (10 AdamW steps of 32 image–caption pairs at a
 * peak learning rate of 5e-5, masks fixed: enough to repair heavy pruning without disturbing a
 * nearly dense model). That is tiny-clip's grid (≈ 13–15 minutes on 2 CPU cores); the tiny-blip
 * heads run the reduced {@link BLIP_SUITE_GRID} (tiny-blip-itm: {@link BLIP_ITM_SUITE_GRID}); measured
 * 28.1 minutes of cells on the shipped checkpoints, 29.0 with install check and build
 * (docs/benchmarking.md, "Cost").
 */
export const defaultSuite = defineSuite({
  id: 'default',
  description: 'Every installed pruner on tiny-clip, a reduced grid on the tiny-blip heads (Shapes-VL), one-shot and after a short recovery fine-tuning.',
  models: EMBEDDED_SUITE_MODELS,
  pruners: 'installed',
  prunerConfigs: DEFAULT_PRUNER_CONFIGS,
  sparsities: [0.5, 0.63, 0.75, 0.9],
  compressions: [2, 4],
  seeds: [0],
  calibration: { batches: 2, batchSize: 32 },
  // 500 test images: zero-shot over 64 classes, retrieval over 500 images × 5 captions (BLIP heads: 250).
  evaluation: { count: 500, batchSize: 250 },
  recovery: { steps: 10, batchSize: 32, learningRate: 5e-5, warmupSteps: 1, images: 2000 },
  // UPop's search: 256 training pairs in batches of 32; MoPE: 128 validation pairs, one gallery.
  train: { images: 256, batchSize: 32 },
  validation: { count: 128, batchSize: 128 },
});
