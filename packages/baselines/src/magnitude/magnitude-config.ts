import * as z from 'zod';
import { allocationSchema } from '../common/allocation-schema.js';

/** Config of {@link magnitude}. */
export const magnitudeConfigSchema = z.strictObject({
  /**
   * How the budget is spread. Default `layer`: the same sparsity in every unit (LocalMP,
   * layer-wise magnitude; methods.md §6.1). `global`: one |w| threshold over every unit in scope,
   * one-shot global magnitude pruning ("OMP", the MULTIFLOW and ECoFLaP baseline; Han et al. 2015
   * prune by one global magnitude threshold too).
   */
  scope: allocationSchema.default('layer'),
});

export type MagnitudeConfigInput = z.input<typeof magnitudeConfigSchema>;
export type MagnitudeConfig = z.output<typeof magnitudeConfigSchema>;

/** The defaults-filled config. */
export const magnitudeConfigDefaults: MagnitudeConfig = Object.freeze(magnitudeConfigSchema.parse({}));
