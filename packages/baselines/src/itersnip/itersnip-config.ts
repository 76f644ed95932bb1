import * as z from 'zod';
import { allocationSchema } from '../common/allocation-schema.js';

/** Config of {@link iterSnip}. */
export const iterSnipConfigSchema = z.strictObject({
  /**
   * Pruning rounds T. Round t ∈ {0…T−1} prunes to `1 − (1 − s)^((t+1)/T)` (de Jorge et al.,
   * ICLR 2021, §3: exponential schedule). Default 60, the value MULTIFLOW's IterSNIP baseline
   * uses (methods.md §6.1). Every round runs all calibration batches (MULTIFLOW: 50 per round).
   */
  rounds: z.int().min(1).max(10_000).default(60),
  /**
   * How each round's budget is spread. Default `global` (IterSNIP ranks the whole network, like
   * SNIP); `layer`: the same fraction in every unit.
   */
  scope: allocationSchema.default('global'),
});

export type IterSnipConfigInput = z.input<typeof iterSnipConfigSchema>;
export type IterSnipConfig = z.output<typeof iterSnipConfigSchema>;

/** The defaults-filled config. */
export const iterSnipConfigDefaults: IterSnipConfig = Object.freeze(iterSnipConfigSchema.parse({}));
