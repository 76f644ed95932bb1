import * as z from 'zod';

/**
 * How each mask entry is weighted in the cumulative-weight threshold of the unified ranking.
 * `params` (default): the parameters the entry's structure controls (`Structure.params`), so
 * `π_t·Σweights` is exactly a fraction of the prunable parameters for any model. `constant`: one
 * weight per kind, as the official code hard-codes (CLIP/BLIP: attention 36 "12 heads × (q, k, v)",
 * MLP 1; DeiT/Segmenter 9234/769) — use it to reproduce the official masks bit for bit.
 */
export const compressionWeightSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('params') }),
  z.strictObject({
    kind: z.literal('constant'),
    /** Weight of every attention-channel entry (official 36). */
    attn: z.number().positive().default(36),
    /** Weight of every MLP-neuron entry (official 1). */
    mlp: z.number().positive().default(1),
  }),
]);

/**
 * Config of {@link upop} (Shi et al., "UPop", ICML 2023; official code `sdc17/UPop` @ cfbc4ea).
 *
 * Not here, because they are part of the request: the target `p` (fraction of prunable parameters
 * removed; paper 0.5 "2×", 0.75 "4×") is `request.sparsity`; the towers searched are
 * `request.scope.modalities` (default all: vision, text, fusion = BLIP cross-attention). Batches and
 * batch size come from `ctx.task.train`.
 */
export const upopConfigSchema = z
  .strictObject({
    /**
     * Search steps T (official: search epochs × iterations per epoch, = the fine-tuning epochs, e.g.
     * 6 epochs for COCO retrieval). Default 1000 (a toolkit default sized for small benchmarks).
     */
    searchSteps: z.int().min(1).default(1000),
    /**
     * Steps between two unified rankings; one also runs at the last step (official
     * `step % interval == 0 or step == total_steps - 1`; 50–1000 in the scripts, author guidance:
     * ≈ iterations per 1 % of compression). Default 20 (= 1000 / (100 · 0.5)).
     */
    interval: z.int().min(1).default(20),
    /**
     * Optional retraining steps after the search, with the final masks fixed and only the task
     * loss (the official code retrains the compact model for as many epochs as it searched). Default
     * 0: the benchmark cells handle recovery (see docs/methods/upop.md).
     */
    retrainSteps: z.int().min(0).default(0),
    /** Weight of `Σ|ζ_attn|` in the search loss. Default (22/15)·8e-3 (CLIP COCO retrieval script). */
    attnWeight: z.number().min(0).default((22 / 15) * 8e-3),
    /** Weight of `Σ|ζ_mlp|` in the search loss. Default 2e-4 (all CLIP/BLIP retrieval scripts). */
    mlpWeight: z.number().min(0).default(2e-4),
    /** Peak AdamW learning rate (cosine decay, no warm-up). Default 1e-5 (CLIP COCO retrieval). */
    learningRate: z.number().positive().default(1e-5),
    /** AdamW decoupled weight decay. Default 0.2 (CLIP retrieval configs). */
    weightDecay: z.number().min(0).default(0.2),
    /**
     * Train the prunable weights during the search (official: AdamW over all non-mask parameters).
     * Default true. Only the view's prunable unit weights are trainable through the view.
     */
    trainWeights: z.boolean().default(true),
    /**
     * Mask-gradient metric. `accumulated` (default, official non-AMP path): `Σ_t ∂L/∂ζ` since the start
     * of the search (UPop issue #21). `per-step`: the current step's gradient (the official `--amp` path).
     */
    gradient: z.enum(['accumulated', 'per-step']).default('accumulated'),
    /** Entry weights of the unified threshold. Default `{ kind: 'params' }`. */
    compressionWeight: compressionWeightSchema.default({ kind: 'params' }),
  })
  .superRefine((c, ctx) => {
    if (c.interval > c.searchSteps) {
      ctx.addIssue({ code: 'custom', path: ['interval'], message: `interval (${c.interval}) must be ≤ searchSteps (${c.searchSteps})` });
    }
  });

export type UpopConfigInput = z.input<typeof upopConfigSchema>;
export type UpopConfig = z.output<typeof upopConfigSchema>;

/** The defaults-filled config. */
export const upopConfigDefaults: UpopConfig = Object.freeze(upopConfigSchema.parse({}));
