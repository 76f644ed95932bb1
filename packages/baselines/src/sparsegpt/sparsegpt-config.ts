import * as z from 'zod';
import { granularitySchema } from '../common/granularity.js';
import { sequentialSchema, tokensSchema } from '../common/calibration-schema.js';

/** Config of {@link sparseGpt}. */
export const sparseGptConfigSchema = z
  .strictObject({
    /**
     * Mask pattern. Default `{ kind: 'unstructured' }` (SparseGPT, Frantar & Alistarh, ICML 2023,
     * §3); `{ kind: 'n:m', n, m }` keeps n of every m consecutive inputs of a row (§3 "semi-structured
     * N:M", official `prunen`/`prunem`); request.sparsity must then be 1 − n/m.
     */
    granularity: granularitySchema.default({ kind: 'unstructured' }),
    /**
     * Columns per block of lazy updates and of adaptive mask selection. Default 128 (paper §3
     * "Bs = 128"; official `blocksize=128`). For n:m it must be a multiple of m.
     */
    blockSize: z.int().min(1).max(65_536).default(128),
    /**
     * Added to the Hessian diagonal as a fraction of its mean, so a singular XᵀX still has a
     * Cholesky factor. Default 0.01 (official `percdamp=.01`; paper §3 "dampening λ = 1 % of the
     * average diagonal").
     */
    dampening: z.number().min(0).max(1_000).default(0.01),
    /** Tokens in XᵀX. Default `all` (official hooks include padding); see `tokensSchema` in common/calibration-schema.ts. */
    tokens: tokensSchema.default('all'),
    /**
     * Default `true`: block-by-block calibration on the outputs of the already-pruned (and updated)
     * blocks, as official `llama_sequential` / `prune_sparsegpt` do. `false`: one dense pass.
     */
    sequential: sequentialSchema.default(true),
  })
  .superRefine((config, ctx) => {
    const g = config.granularity;
    if (g.kind === 'n:m' && config.blockSize % g.m !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['blockSize'],
        message: `blockSize (${config.blockSize}) must be a multiple of granularity.m (${g.m}) so N:M groups never straddle two blocks`,
      });
    }
  });

export type SparseGptConfigInput = z.input<typeof sparseGptConfigSchema>;
export type SparseGptConfig = z.output<typeof sparseGptConfigSchema>;

/** The defaults-filled config. */
export const sparseGptConfigDefaults: SparseGptConfig = Object.freeze(sparseGptConfigSchema.parse({}));
