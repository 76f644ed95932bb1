import { pruneLowestGlobal } from '@vlp/core';
import { officialThresholdMasks } from './mask.js';

/**
 * Masks for the remaining ratio `r` from scores under the configured threshold rule: `official`
 * (the official `mask_with_threshold`) or `exact` (exactly ⌊N·(1 − r)⌋ lowest scores under core's
 * global threshold).
 */
export function masksForRemaining(scores: ReadonlyMap<string, Float32Array>, remaining: number, rule: 'official' | 'exact'): Map<string, Uint8Array> {
  if (rule === 'official') return officialThresholdMasks(scores, remaining).masks;
  let numel = 0;
  for (const s of scores.values()) numel += s.length;
  return pruneLowestGlobal(scores, Math.min(numel, Math.max(0, Math.floor(numel * (1 - remaining)))));
}

/** Adds all-ones masks for the scoped units that are not pruned (view order). */
export function withUnprunedUnits(masks: Map<string, Uint8Array>, scoped: readonly { name: string; shape: readonly [number, number] }[]): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const u of scoped) out.set(u.name, masks.get(u.name) ?? new Uint8Array(u.shape[0] * u.shape[1]).fill(1));
  return out;
}
