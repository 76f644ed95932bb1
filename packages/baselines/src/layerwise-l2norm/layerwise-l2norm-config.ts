import * as z from 'zod';

/**
 * Config of {@link layerwiseL2Norm}: no options. The method is fixed by its definition
 * (methods.md §6.1, MULTIFLOW's `LayerWiseL2Norm` ablation baseline): |w| / ‖W_l‖_F, one global
 * threshold.
 */
export const layerwiseL2NormConfigSchema = z.strictObject({});

export type LayerwiseL2NormConfigInput = z.input<typeof layerwiseL2NormConfigSchema>;
export type LayerwiseL2NormConfig = z.output<typeof layerwiseL2NormConfigSchema>;
