import * as z from 'zod';
import { allocationSchema } from '../common/allocation-schema.js';

/** Config of {@link snip}. */
export const snipConfigSchema = z.strictObject({
  /**
   * How the budget is spread. Default `global`: one threshold over the normalised saliencies of
   * every unit, as SNIP prunes (Lee et al., ICLR 2019, §4.1: keep the top-κ connections of the
   * whole network; MULTIFLOW's SNIP baseline is global and one-shot too). `layer`: the same
   * fraction in every unit.
   */
  scope: allocationSchema.default('global'),
});

export type SnipConfigInput = z.input<typeof snipConfigSchema>;
export type SnipConfig = z.output<typeof snipConfigSchema>;

/** The defaults-filled config. */
export const snipConfigDefaults: SnipConfig = Object.freeze(snipConfigSchema.parse({}));
