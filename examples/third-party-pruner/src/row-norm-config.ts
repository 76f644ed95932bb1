import { z } from 'zod';

/**
 * Options of the row-norm pruner. Every field has a default, so `{}` is a valid config; the schema
 * is a Standard Schema (zod 4), so `prune()` validates it and `vlp list --json` prints it.
 */
export const rowNormConfigSchema = z
  .object({
    /** Norm each weight is divided by: its output row's `l1` or `l2` norm. Default `l2`. */
    norm: z.enum(['l1', 'l2']).default('l2'),
  })
  .strict();

/** The parsed config (defaults filled). */
export type RowNormConfig = z.output<typeof rowNormConfigSchema>;
/** What users may pass (every field optional). */
export type RowNormConfigInput = z.input<typeof rowNormConfigSchema>;
