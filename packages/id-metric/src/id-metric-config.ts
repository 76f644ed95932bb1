import * as z from 'zod';
import { idEstimationFields } from './id-estimation-schema.js';

/**
 * Config of {@link idMetric}, the one-shot mode: score `S = |θ| · ID_l` (magnitude × ID, Wang, Zhang &
 * Ma, ICML 2024, Table 8 "Magnitude + ID"), one masking at the requested sparsity, no gradients and
 * no fine-tuning — the mode for large models on CPU. Fields: see {@link idEstimationFields}.
 */
export const idMetricConfigSchema = z.strictObject({ ...idEstimationFields });

export type IdMetricConfigInput = z.input<typeof idMetricConfigSchema>;
export type IdMetricConfig = z.output<typeof idMetricConfigSchema>;

/** The defaults-filled config. */
export const idMetricConfigDefaults: IdMetricConfig = Object.freeze(idMetricConfigSchema.parse({}));
