import type { Granularity } from '@vlp/core';
import type * as z from 'zod';
import type { GranularityConfig } from './granularity.js';
import { type ConfigSchema, withDefaults } from './with-defaults.js';

type WithGranularity = z.ZodType<{ granularity: GranularityConfig }, { granularity?: unknown }>;

/** The granularity a layer-wise pruner made with `defaults` declares: `n:m` iff the defaults choose it. */
export function layerwiseGranularity(defaults: { granularity?: { kind: string } } | undefined): Granularity {
  return defaults?.granularity?.kind === 'n:m' ? 'n:m' : 'unstructured';
}

/**
 * The config schema of a layer-wise pruner (Wanda, SparseGPT) made with `defaults`
 * ({@link withDefaults}). When the defaults choose `n:m`, the pruner declares `granularity: 'n:m'`,
 * so a run config switching back to unstructured is rejected (issue at `granularity`) instead of
 * silently breaking the declared capability.
 */
export function layerwiseConfigSchema<S extends WithGranularity>(
  schema: S,
  defaults: z.input<S> | undefined,
  factory: string,
): ConfigSchema<z.input<S>, z.output<S>> {
  if (layerwiseGranularity(defaults as { granularity?: { kind: string } } | undefined) !== 'n:m') return withDefaults(schema, defaults, factory);
  const nmOnly = schema.superRefine((config, ctx) => {
    if (config.granularity.kind !== 'n:m') {
      ctx.addIssue({
        code: 'custom',
        path: ['granularity'],
        message: `this pruner was made as n:m by ${factory}({ granularity: { kind: 'n:m', ... } }); use ${factory}() for unstructured pruning`,
      });
    }
  });
  return withDefaults(nmOnly as unknown as S, defaults, factory);
}
