import * as z from 'zod';
import { granularitySchema } from '../common/granularity.js';
import { sequentialSchema, tokensSchema } from '../common/calibration-schema.js';

/** Config of {@link wanda}. */
export const wandaConfigSchema = z.strictObject({
  /**
   * Mask pattern. Default `{ kind: 'unstructured' }` (Wanda, Sun et al., ICLR 2024, §3);
   * `{ kind: 'n:m', n, m }` keeps the n best of every m consecutive inputs of a row (§4.2
   * "structured N:M sparsity", official `prune_n`/`prune_m`); request.sparsity must then be 1 − n/m.
   */
  granularity: granularitySchema.default({ kind: 'unstructured' }),
  /**
   * Comparison group of unstructured pruning. Default `row`: ⌊in·s⌋ weights pruned in every output
   * row (Wanda §3 "per output"; official `prune_wanda` sorts each row, `stable=True`). `tensor`: one
   * threshold per unit (ECoFLaP's ViT variant). Ignored for `n:m`.
   */
  comparisonGroup: z.enum(['row', 'tensor']).default('row'),
  /** Tokens counted in ‖X_j‖₂. Default `all` (official hooks include padding); see `tokensSchema` in common/calibration-schema.ts. */
  tokens: tokensSchema.default('all'),
  /**
   * Default `true`: block-by-block calibration on the outputs of the already-pruned blocks, as
   * official `prune_wanda` does. `false`: one dense pass (the clip-tiny reference's setting).
   */
  sequential: sequentialSchema.default(true),
});

export type WandaConfigInput = z.input<typeof wandaConfigSchema>;
export type WandaConfig = z.output<typeof wandaConfigSchema>;

/** The defaults-filled config. */
export const wandaConfigDefaults: WandaConfig = Object.freeze(wandaConfigSchema.parse({}));
