import { InvalidConfigError, type Pruner } from '@vlp/core';
import * as z from 'zod';

/** A Standard Schema v1 from `Input` to `Output`, typed through the contract. */
export type ConfigSchema<Input, Output> = Pruner<Output, Input>['configSchema'];

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The config schema of a pruner made by a factory called with `defaults`: the defaults are checked
 * now (`VLP_INVALID_CONFIG`, naming the factory) and sit UNDER the config given to `prune()` (the
 * run's top-level keys win). Without defaults, `schema` itself.
 */
export function withDefaults<S extends z.ZodType>(schema: S, defaults: z.input<S> | undefined, factory: string): ConfigSchema<z.input<S>, z.output<S>> {
  if (defaults === undefined) return schema as ConfigSchema<z.input<S>, z.output<S>>;
  const checked = schema.safeParse(defaults);
  if (!checked.success) {
    throw new InvalidConfigError({
      message: `Invalid defaults passed to ${factory}(): ${checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}.`,
      issues: checked.error.issues.map((i) => ({ message: i.message, path: i.path })),
    });
  }
  const merged = z.preprocess((input) => (isPlainObject(input) ? { ...(defaults as object), ...input } : input), schema);
  return merged as unknown as ConfigSchema<z.input<S>, z.output<S>>;
}
