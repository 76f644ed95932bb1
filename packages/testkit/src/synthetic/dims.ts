import { InvalidArgumentError } from '@vlp/core';

/** Sizes of the synthetic two-tower model. */
export interface SyntheticDims {
  /** Width of both towers (D). */
  readonly hidden: number;
  /** Attention heads per block; must divide `hidden`. */
  readonly heads: number;
  /** MLP width (F). */
  readonly mlp: number;
  /** Blocks per tower. */
  readonly blocks: number;
  /** Tokens per image (all valid). */
  readonly visionTokens: number;
  /** Tokens per text, right-padded; at least 2 are valid per sample. */
  readonly textTokens: number;
}

/** hidden 8, 2 heads, mlp 16, 2 blocks, 5 vision tokens, 6 text tokens. */
export const DEFAULT_DIMS: SyntheticDims = Object.freeze({
  hidden: 8,
  heads: 2,
  mlp: 16,
  blocks: 2,
  visionTokens: 5,
  textTokens: 6,
});

/** Fills defaults and checks the sizes (`VLP_INVALID_ARGUMENT`). */
export function resolveDims(partial: Partial<SyntheticDims> = {}): SyntheticDims {
  const dims = { ...DEFAULT_DIMS, ...partial };
  for (const [key, value] of Object.entries(dims)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new InvalidArgumentError({ message: `Synthetic dims: ${key} must be a positive integer (got ${String(value)}).`, actual: value });
    }
  }
  if (dims.hidden % dims.heads !== 0) {
    throw new InvalidArgumentError({ message: `Synthetic dims: heads (${dims.heads}) must divide hidden (${dims.hidden}).` });
  }
  if (dims.textTokens < 2) {
    throw new InvalidArgumentError({ message: `Synthetic dims: textTokens must be ≥ 2 (got ${dims.textTokens}).` });
  }
  return Object.freeze(dims);
}
