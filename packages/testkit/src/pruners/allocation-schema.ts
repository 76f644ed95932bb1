import type { Pruner } from '@vlp/core';

/** A Standard Schema v1 (typed through the contract, so this package needs no validator library). */
export type StandardSchema<Input, Output> = Pruner<Output, Input>['configSchema'];

/** How a sparsity budget is spread: the same fraction in every unit, or one threshold across units. */
export type Allocation = 'per-unit' | 'global';

/** Config of the tiny pruners. */
export interface AllocationConfig {
  /** Default `per-unit`. */
  readonly allocation: Allocation;
}
/** Config input of the tiny pruners (every field optional). */
export type AllocationConfigInput = Partial<AllocationConfig>;

/**
 * A hand-made Standard Schema: `{ allocation?: 'per-unit' | 'global' }` → `{ allocation }`
 * (default `per-unit`); rejects non-objects, other values (issue path `['allocation']`) and
 * unknown keys (path `[key]`).
 */
export function allocationConfigSchema(): StandardSchema<AllocationConfigInput, AllocationConfig> {
  const allowed: readonly Allocation[] = ['per-unit', 'global'];
  return Object.freeze({
    '~standard': Object.freeze({
      version: 1 as const,
      vendor: 'vlp-testkit',
      validate(value: unknown) {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          return { issues: [{ message: `expected an object like { allocation: 'per-unit' } (got ${JSON.stringify(value)})` }] };
        }
        const { allocation = 'per-unit', ...rest } = value as Record<string, unknown>;
        const issues = Object.keys(rest).map((key) => ({ message: `unknown key "${key}"`, path: [key] }));
        if (!allowed.includes(allocation as Allocation)) {
          issues.unshift({ message: `expected one of ${allowed.join(', ')} (got ${JSON.stringify(allocation)})`, path: ['allocation'] });
        }
        return issues.length > 0 ? { issues } : { value: { allocation: allocation as Allocation } };
      },
    }),
  });
}
