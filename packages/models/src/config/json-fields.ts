import { InvalidArgumentError } from '@vlp/core';

/** A parsed config.json object. */
export type Json = Record<string, unknown>;

/** Hidden activations vlp implements: `quick_gelu` and the exact erf `gelu`. */
export type HiddenAct = 'quick_gelu' | 'gelu';

/** `value` as an object, or `{}` when absent or not an object. */
export function obj(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/** `source[key]` (or the class default) as a finite number; `where` names the config section in errors. */
export function num(source: Json, key: string, fallback: number, where: string): number {
  const value = source[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError({ message: `${where}.${key} must be a number, got ${JSON.stringify(value)}.` });
  }
  return value;
}

/** A non-negative integer field. */
export function int(source: Json, key: string, fallback: number, where: string): number {
  const value = num(source, key, fallback, where);
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError({ message: `${where}.${key} must be a non-negative integer, got ${value}.` });
  }
  return value;
}

/** A boolean field. */
export function bool(source: Json, key: string, fallback: boolean, where: string): boolean {
  const value = source[key] ?? fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError({ message: `${where}.${key} must be true or false, got ${JSON.stringify(value)}.` });
  return value;
}

/** `hidden_act`, restricted to the activations vlp implements. */
export function act(source: Json, fallback: string, where: string): HiddenAct {
  const value = source.hidden_act ?? fallback;
  if (value === 'quick_gelu' || value === 'gelu') return value;
  throw new InvalidArgumentError({
    message: `${where}.hidden_act "${String(value)}" is not supported; use "quick_gelu" or "gelu" (exact erf form).`,
  });
}

/** Throws unless `hidden` is divisible by `heads`. */
export function checkHeads(where: string, hidden: number, heads: number): void {
  if (heads < 1 || hidden % heads !== 0) {
    throw new InvalidArgumentError({ message: `${where}.hidden_size (${hidden}) must be divisible by num_attention_heads (${heads}).` });
  }
}
