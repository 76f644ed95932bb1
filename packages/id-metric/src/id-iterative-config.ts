import * as z from 'zod';
import { idEstimationFields } from './id-estimation-schema.js';

/**
 * Config of {@link idMetricIterative}: Algorithm 1 of Wang, Zhang & Ma (ICML 2024) — fine-tuning with
 * AdamW while masking by `S = base · ID_l` on the cubic schedule of the remaining ratio. Defaults are
 * those of the official BLIP captioning run (methods.md §5.4) except where noted.
 */
export const idIterativeConfigSchema = z
  .strictObject({
    ...idEstimationFields,
    /** Base importance: `platon` (README runs, default), `taylor` `|θ ⊙ ∇θ|` (script default), `magnitude` `|θ|`. */
    base: z.enum(['platon', 'taylor', 'magnitude']).default('platon'),
    /** Multiply the base score by the layer's ID (`--useID`). Default true; false gives plain PLATON / Taylor / magnitude. */
    useId: z.boolean().default(true),
    /** PLATON β₁ of the sensitivity EMA (official 0.85). */
    beta1: z.number().gt(0).lt(1).default(0.85),
    /** PLATON β₂ of the uncertainty EMA (official 0.95; the official `β₂ ∈ {1, 2}` variants are not offered). */
    beta2: z.number().gt(0).lt(1).default(0.95),
    /** PLATON window ΔT and the masking cadence on the ramp (official `deltaT` 10). */
    deltaT: z.int().min(1).default(10),
    /** Fine-tuning epochs over `task.train` (official caption: 5). T = epochs × batches per epoch. */
    epochs: z.int().min(1).max(10_000).default(5),
    /** Initial warm-up in units of `warmupSteps`: no masking while t ≤ tᵢ (official caption: 1 epoch). */
    initialWarmup: z.number().min(0).default(1),
    /** Final warm-up in units of `warmupSteps`: the final ratio, masked every step (official caption: 1 epoch). */
    finalWarmup: z.number().min(0).default(1),
    /** Steps per warm-up unit (official `warmup_steps` = iterations per epoch). Default: batches per epoch. */
    warmupSteps: z.int().min(1).optional(),
    /** Peak AdamW learning rate, cosine decay over T (official caption: 1e-5). */
    learningRate: z.number().positive().default(1e-5),
    /** AdamW weight decay (official caption: 0; NLVR 0.05, CLIP 0.2). */
    weightDecay: z.number().min(0).default(0),
  })
  .superRefine((c, ctx) => {
    if (c.base !== 'platon' && (c.beta1 !== 0.85 || c.beta2 !== 0.95)) {
      ctx.addIssue({ code: 'custom', path: ['base'], message: `beta1 / beta2 only apply to base "platon" (base is "${c.base}")` });
    }
  });

export type IdIterativeConfigInput = z.input<typeof idIterativeConfigSchema>;
export type IdIterativeConfig = z.output<typeof idIterativeConfigSchema>;

/** The defaults-filled config. */
export const idIterativeConfigDefaults: IdIterativeConfig = Object.freeze(idIterativeConfigSchema.parse({}));
