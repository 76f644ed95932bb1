import * as z from 'zod';

/**
 * Config fields shared by both ID pruners: how the per-layer intrinsic dimension is measured
 * (Wang, Zhang & Ma, ICML 2024, §3; official `ComputeID.py`) and which tensors are pruned.
 */
export const idEstimationFields = {
  /**
   * Calibration samples whose unit outputs feed TwoNN. Default 600 (`ComputeID.py -n` default; the
   * README runs `-n 2000`). Whole batches are read until this many samples were seen.
   */
  samples: z.int().min(3).max(1_000_000).default(600),
  /** Largest number of blocks B of the block analysis (official `block_analysis(…, range(1, 21))`: 20). Needs samples ≥ 3·B. */
  maxBlocks: z.int().min(1).max(1_000).default(20),
  /** Units measured per calibration pass (memory ∝ unitsPerPass × samples × tokens × width). vlp-only; default 8. */
  unitsPerPass: z.int().min(1).max(10_000).default(8),
  /** Forward engine of the ID calibration (default: the view's own choice). */
  engine: z.enum(['onnx', 'tfjs']).optional(),
  /**
   * Precomputed IDs by unit name (the official train scripts hard-code them); units not listed are
   * measured. Every ID must be a positive finite number.
   */
  ids: z.record(z.string(), z.number().positive().finite()).optional(),
  /**
   * Leave the attention q/k/v projections unpruned, as the official CLIP code (`ID_pruner_clip`:
   * only `out_proj`, `c_fc`, `c_proj`; `in_proj_weight` is not matched). Default false (BLIP code:
   * q/k/v are pruned). The requested sparsity is then reached on the remaining units.
   */
  excludeQkv: z.boolean().default(false),
  /**
   * `official`: `τ = kthvalue(⌊N(1 − r)⌋)`, per tensor `max(τ, 3rd smallest)`, prune `S < τ` (the
   * official `mask_with_threshold`). `exact`: exactly ⌊N·s⌋ lowest scores under one global threshold.
   */
  thresholdRule: z.enum(['official', 'exact']).default('official'),
};
