import * as z from 'zod';

const tokens = z.enum(['all', 'valid']);

/**
 * Stage 1, zeroth-order scores (ECoFLaP §3.2, official `compute_importance_scores_mezo`, the
 * scripts' `MEZO-GradOnly_sum`): per unit and batch, `ĝ = (L(W+εz) − L(W−εz)) / 2ε` with seeded
 * Gaussian `z`; the weights are fed as per-run overrides, never written.
 */
export const zerothOrderSchema = z.strictObject({
  kind: z.literal('zeroth-order'),
  /**
   * Unit importance from the accumulated `G = Σ_b |ĝ_b|`: `grad-only` (default, `MEZO-GradOnly`) = G;
   * `grad-mag-abs` = Σ|W|·G (`MEZO-GradMagAbs`); `grad-mag-square` = ΣW²·G² (`MEZO-GradMagSquare`).
   */
  importance: z.enum(['grad-only', 'grad-mag-abs', 'grad-mag-square']).default('grad-only'),
  /** Calibration samples per unit (official `num_data_first_stage` 32; batches are taken until reached). */
  samples: z.int().positive().default(32),
  /** Finite-difference step ε (official `noise_eps` 1e-3). */
  epsilon: z.number().positive().default(1e-3),
  /** Noise draws per batch (official `num_noise` 1; each draw counts the batch's samples, as official). */
  noiseSamples: z.int().positive().default(1),
  /** Engine of the ±εz forwards. Default `onnx` (forward-only; the overrides are fed per run). */
  engine: z.enum(['onnx', 'tfjs']).default('onnx'),
  /**
   * Where L comes from. `task` (default): `ctx.task.loss(view, batch, { weights, engine })`.
   * `contrastive-logits`: the symmetric InfoNCE of the view's own `logits_per_text` /
   * `logitsPerImage` output on `engine`, in float64 (the CoOp zero-shot CLIP loss).
   */
  loss: z.enum(['task', 'contrastive-logits']).default('task'),
});

/** Stage 1, first-order scores (official `compute_importance_scores`, `ecoflap_first.py`: `GradMagAbs_sum`, 128 samples). */
export const firstOrderSchema = z.strictObject({
  kind: z.literal('first-order'),
  /** `grad-mag-abs` (default): |W|·mean|∇W|; `grad-mag-square` (OBD-like): W²·mean(∇W²); `grad-only`: mean|∇W|. */
  importance: z.enum(['grad-only', 'grad-mag-abs', 'grad-mag-square']).default('grad-mag-abs'),
  /** Calibration samples (official 128). */
  samples: z.int().positive().default(128),
});

/** Stage 2 with Wanda (the paper's default local pruner). */
export const wandaFineSchema = z.strictObject({
  kind: z.literal('wanda'),
  /**
   * Comparison group. `auto` (default, as official): per tensor for the vision units of BLIP / EVA
   * ViTs (`VITLayerWandaPruner`), per output row elsewhere (T5, BERT, both CLIP towers).
   */
  comparisonGroup: z.enum(['auto', 'row', 'tensor']).default('auto'),
  /**
   * Rows of a per-row unit. `exact` (default): the unit prunes exactly its share of the group budget,
   * rows get ⌊k/out⌋ or one more (the extra going to the rows with the smallest next score).
   * `floor`: ⌊in·s⌋ in every row, as official `prune_wanda` (up to `out` weights short per unit).
   */
  rowRounding: z.enum(['exact', 'floor']).default('exact'),
  /** Tokens counted in ‖X_j‖₂ (official hooks include padding: `all`). */
  tokens: tokens.default('all'),
});

/** Stage 2 with SparseGPT (`CoOp/scripts/coop/ecoflap_sparsegpt.sh`). */
export const sparseGptFineSchema = z.strictObject({
  kind: z.literal('sparsegpt'),
  /** Column block of the OBS updates (official `blocksize` 128). */
  blockSize: z.int().positive().default(128),
  /** Dampening as a fraction of the mean Hessian diagonal (official `percdamp` 0.01). */
  dampening: z.number().nonnegative().default(0.01),
  tokens: tokens.default('all'),
});

/** Config of {@link ecoflap}. */
export const ecoflapConfigSchema = z.strictObject({
  /** Stage-1 estimator. Default zeroth-order `MEZO-GradOnly` (all official scripts). */
  scores: z.discriminatedUnion('kind', [zerothOrderSchema, firstOrderSchema]).prefault({ kind: 'zeroth-order' }),
  /** Groups sharing one sparsity: `block` (default, `sparsity_ratio_granularity = block`), `layer` (each unit), `tower` (each modality). */
  granularity: z.enum(['block', 'layer', 'tower']).default('block'),
  /** Group score: `sum` of unit importances (default, `_sum`) or `avg` per parameter (`_avg`). */
  groupScore: z.enum(['sum', 'avg']).default('sum'),
  /**
   * Largest sparsity of any group, ≥ `request.sparsity`. Default: sparsity + 0.1 (every official
   * script: BLIP-2 0.5 → 0.6, CLIP 0.4 → 0.5), at most 0.99.
   */
  maxSparsity: z.number().min(0).lt(1).optional(),
  /**
   * `exact` (default): proportional allocation with saturation, float64, total kept = the budget
   * exactly. `official`: `compute_the_sparsity_per_group` as committed (float32 arithmetic; the
   * over-budget fix-up adds the excess again) — to reproduce published ratios.
   */
  allocation: z.enum(['exact', 'official']).default('exact'),
  /** Stage-2 local pruner. Default Wanda. */
  fine: z.discriminatedUnion('kind', [wandaFineSchema, sparseGptFineSchema]).prefault({ kind: 'wanda' }),
  /** Stage 2 block by block on the outputs of the already-pruned blocks (official: `true`). */
  sequential: z.boolean().default(true),
});

export type EcoflapConfigInput = z.input<typeof ecoflapConfigSchema>;
export type EcoflapConfig = z.output<typeof ecoflapConfigSchema>;
export type ZerothOrderConfig = z.output<typeof zerothOrderSchema>;
export type FirstOrderConfig = z.output<typeof firstOrderSchema>;
export type FineConfig = EcoflapConfig['fine'];

/** The defaults-filled config. */
export const ecoflapConfigDefaults: EcoflapConfig = Object.freeze(ecoflapConfigSchema.parse({}));
