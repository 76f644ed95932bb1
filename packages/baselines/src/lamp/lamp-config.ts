import * as z from 'zod';

/**
 * Config of {@link lamp}: no options. LAMP is fixed by its definition (Lee et al., ICLR 2021,
 * eq. 2; `_compute_lamp_amounts` in jaeho-lee/layer-adaptive-sparsity): per-unit LAMP scores,
 * one global threshold.
 */
export const lampConfigSchema = z.strictObject({});

export type LampConfigInput = z.input<typeof lampConfigSchema>;
export type LampConfig = z.output<typeof lampConfigSchema>;
