import * as z from 'zod';

/**
 * Config of {@link multiflow} (Farina et al., "MULTIFLOW: Shifting Towards Task-Agnostic
 * Vision-Language Pruning", CVPR 2024; official code `FarinaMatteo/multiflow` @ 1835f1b).
 *
 * Not here, because they are part of the request or of the data: the target sparsity is
 * `request.sparsity` (paper: 0.63, 0.75, 0.90 — `PAPER_SPARSITIES`); the seed is `request.seed`
 * (official default 42; MULTIFLOW itself draws no random number, the seed only orders the data —
 * see `multiflowCalibration`, which also sets the batch size, official 32).
 */
export const multiflowConfigSchema = z.strictObject({
  /**
   * Calibration batches to run before scoring; fewer when the source ends first. Default 3000
   * (official `prune.py --num_batches 3000`, each step one CC3M + one Visual-Genome batch of 32).
   * The statistic is a mean over sequences, so more batches refine it but never rescale it.
   */
  numBatches: z.int().min(1).default(3000),
  /**
   * Prior group of the view's `fusion` units (BLIP cross-attention). Default `text`: the official
   * `detect_modality_fn` for BLIP has two groups, `visual_encoder*` → vision and every
   * `text_encoder*` / `text_decoder*` weight (cross-attention included) → text. `fusion`: a third
   * group with its own magnitude threshold, as the official code does for XVLM's fusion layers.
   */
  fusionAs: z.enum(['text', 'fusion']).default('text'),
  /**
   * Counting and tie rule of the prior (eq. 7) and the mask (eq. 8). Default `exact`: exactly
   * ⌊s·N_m⌋ magnitudes per modality group, then exactly as many lowest scores per unit (ties: lower
   * index first), so each group ends at ⌊s·N_m⌋ pruned weights. `official`: the official arithmetic,
   * for bit-for-bit reproduction — `|w| ≤ kthvalue` and `S ≤ kthvalue` pruned (ties included) and
   * `k = int(distribution·numel)` with the float64 `distribution = 1 − kept/numel` (which can lose one
   * weight per unit, e.g. 27646 instead of 27648 text weights at 75 % on clip-tiny).
   */
  rounding: z.enum(['exact', 'official']).default('exact'),
  /**
   * Engine of the calibration forwards. Default `auto`: the view's default — ONNX Runtime for
   * `@vlp/models` views (taps become graph outputs; `VLP_EXECUTOR` overrides), tfjs for tfjs-only
   * views. `onnx` / `tfjs` force one. Both give the same statistic (the official code: PyTorch fp32).
   */
  engine: z.enum(['auto', 'onnx', 'tfjs']).default('auto'),
});

export type MultiflowConfigInput = z.input<typeof multiflowConfigSchema>;
export type MultiflowConfig = z.output<typeof multiflowConfigSchema>;

/** The defaults-filled config. */
export const multiflowConfigDefaults: MultiflowConfig = Object.freeze(multiflowConfigSchema.parse({}));
