import { type AnyPruner, type PrunerRegistry, createPrunerRegistry } from '@vlp/core';
import { baselinePruners } from '@vlp/baselines';
import { ecoflap } from '@vlp/ecoflap';
import { idMetric, idMetricIterative } from '@vlp/id-metric';
import { mope } from '@vlp/mope';
import { multiflow } from '@vlp/multiflow';
import { upop } from '@vlp/upop';
import type { VlpConfig } from './define-config.js';

/** The pruners every `vlp` install has: the baselines and the five methods of the papers. */
export function builtinPruners(): AnyPruner[] {
  return [...baselinePruners(), multiflow(), ecoflap(), upop(), mope(), idMetric(), idMetricIterative()];
}

/** Built-in pruners plus those of `vlp.config.ts` (duplicate ids are refused by the registry). */
export function cliRegistry(config: VlpConfig): PrunerRegistry {
  return createPrunerRegistry([...builtinPruners(), ...(config.pruners ?? [])]);
}
