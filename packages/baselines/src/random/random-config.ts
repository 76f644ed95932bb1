import * as z from 'zod';
import { allocationSchema } from '../common/allocation-schema.js';

/** Config of {@link random}. */
export const randomConfigSchema = z.strictObject({
  /**
   * How the budget is spread. Default `global`: one threshold over every unit's random scores, the
   * "Random" baseline of MULTIFLOW (Farina et al., CVPR 2024; methods.md §6.1: random scores,
   * global threshold). `layer`: the same fraction in every unit.
   */
  scope: allocationSchema.default('global'),
});

export type RandomConfigInput = z.input<typeof randomConfigSchema>;
export type RandomConfig = z.output<typeof randomConfigSchema>;

/** The defaults-filled config. */
export const randomConfigDefaults: RandomConfig = Object.freeze(randomConfigSchema.parse({}));
