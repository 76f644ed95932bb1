import * as z from 'zod';

/**
 * How MLP neurons are grouped into MoPE modules (paper §3: FFN neurons are evaluated in groups to
 * bound the cost; the group size is not given). Groups are contiguous neuron indices; the last group
 * of a layer may be smaller.
 */
const neuronGroupsSchema = z.discriminatedUnion('kind', [
  /** `count` groups per layer (CATransformers' re-implementation: 8 chunks of 12.5 %). */
  z.strictObject({ kind: z.literal('count'), count: z.int().min(1) }),
  /** Groups of `size` neurons (the SparMoE-VL re-implementation: 64 for ViT-L vision, 16 for text). */
  z.strictObject({ kind: z.literal('size'), size: z.int().min(1) }),
]);

/**
 * Config of {@link mope} (Lin et al., "MoPE-CLIP: Structured Pruning for Efficient Vision-Language
 * Models with Module-wise Pruning Error Metric", CVPR 2024). No official code exists; every default
 * below is an interpretation documented in `docs/methods/mope.md`.
 *
 * Not here: the target (`request.sparsity`, the fraction of prunable weights removed), the encoders
 * (`request.scope.modalities`, default all the view has) and the validation set (the task adapter's
 * `evaluate`, e.g. {@link gatedRetrievalTask}).
 */
export const mopeConfigSchema = z.strictObject({
    /** MLP neuron grouping. Default `{ kind: 'count', count: 8 }` (12.5 % chunks, CATransformers). */
    neuronGroups: neuronGroupsSchema.default({ kind: 'count', count: 8 }),
    /**
     * Share of the removed weights that come from whole layers (depth), per encoder: the number of
     * layers removed is `round(depthShare · sparsity · L)`; width pruning removes the rest uniformly
     * per layer. Default 0.25 (the paper prunes width first, then depth; it gives no split).
     */
    depthShare: z.number().min(0).max(1).default(0.25),
    /** Task metric Z. Default: the task adapter's `primaryMetric`; names another key of `evaluate()`. */
    metric: z.string().min(1).optional(),
    /**
     * Memoise Z per gate configuration (the dense Z[f] and the width-pruned baseline are evaluated
     * once). Results are identical with `false`, which re-evaluates the baseline for every module.
     */
    cache: z.boolean().default(true),
    /**
     * Per-tower cache (two-tower retrieval tasks made with `gatedRetrievalTask({ towers })`): the
     * embeddings of the tower that is not ablated are reused, only the ablated tower is re-encoded.
     * Results are identical with `false` (every evaluation runs both towers). Ignored for other tasks.
     */
    towerCache: z.boolean().default(true),
    /** Engine of the gated evaluations. Default `onnx`: gates are graph inputs of one cached session. */
    engine: z.enum(['onnx', 'tfjs']).default('onnx'),
  });

export type MopeConfigInput = z.input<typeof mopeConfigSchema>;
export type MopeConfig = z.output<typeof mopeConfigSchema>;

/** The defaults-filled config. */
export const mopeConfigDefaults: MopeConfig = Object.freeze(mopeConfigSchema.parse({}));
