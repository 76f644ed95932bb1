import type { AnyPruner } from '@vlp/core';

/**
 * Rough time and memory estimates for `--dry-run` and `vlp inspect`: orders of magnitude to decide
 * whether a run fits a machine, not measurements. Assumptions (2-core x86 CPU): ONNX Runtime
 * forwards at ~4 GFLOP/s, tfjs-wasm gradients at ~0.5 GFLOP/s (backward ≈ 2× forward), scoring
 * ~50 ns per prunable weight, ~300 MiB of runtime overhead (Node, tfjs, ONNX Runtime).
 */
export interface ModelSize {
  /** Every parameter. */
  readonly params: number;
  /** Parameters of the prunable linears. */
  readonly prunable: number;
  /** Tokens one example feeds through the model (image patches + text positions). */
  readonly tokensPerExample: number;
  /** Widest prunable input (for Gram-matrix taps). */
  readonly maxIn?: number;
}

export interface Estimate {
  readonly memoryBytes: number;
  readonly seconds: number;
  /** What the estimate covers, in words. */
  readonly basis: string;
}

const FORWARD_FLOPS = 4e9;
const GRADIENT_FLOPS = 0.5e9;
const OVERHEAD = 300 * 2 ** 20;

/** Estimated peak memory and wall time of pruning a model of `size` with `pruner` on `samples` calibration examples. */
export function estimatePrune(pruner: AnyPruner, size: ModelSize, samples: number): Estimate {
  const req = pruner.capabilities.requires;
  const weights = size.params * 4;
  const flopsPerExample = 2 * size.params * size.tokensPerExample;
  let memory = OVERHEAD + 2 * weights + size.prunable * 5; // store + engine copy; float scores + byte masks
  let seconds = size.prunable * 50e-9;
  const basis: string[] = ['weights ×2', 'scores + masks'];
  if (req.calibration) {
    memory += 16 * size.tokensPerExample * size.params ** 0.5 * 4 + (size.maxIn ?? 0) ** 2 * 4;
    seconds += (samples * flopsPerExample) / FORWARD_FLOPS;
    basis.push(`${samples} calibration forwards`);
  }
  if (req.gradients || req.training) {
    memory += 3 * weights + 16 * size.tokensPerExample * size.params ** 0.5 * 4 * 4;
    seconds += (samples * 3 * flopsPerExample) / GRADIENT_FLOPS;
    basis.push(`${samples} gradient passes${req.training ? ' (plus the training steps of the method config)' : ''}`);
  }
  if (req.evaluator) basis.push('plus the evaluator runs of the method');
  return { memoryBytes: memory, seconds, basis: basis.join(', ') };
}

/** `12.3 s`, `4.1 min`, `2.0 h`. */
export function duration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
