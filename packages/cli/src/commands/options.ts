import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidConfigError } from '@vlp/core';
import { usageError } from '../errors.js';

/** `--sparsity`: a number in [0, 1). */
export function parseSparsity(text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < 0 || v >= 1) {
    throw usageError(`--sparsity must be a number in [0, 1), the fraction of prunable weights to remove (got "${text}"); e.g. --sparsity 0.5.`, { actual: text });
  }
  return v;
}

/** An integer option ≥ `min`. */
export function parseInteger(flag: string, text: string, min: number): number {
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < min) throw usageError(`${flag} takes an integer ≥ ${min} (got "${text}").`, { actual: text });
  return v;
}

/** Reads a JSON file of options (a pruner config): `VLP_INVALID_CONFIG` naming the file when it is missing or not JSON. */
export function readJsonFile(file: string, cwd: string, flag: string): unknown {
  const abs = path.resolve(cwd, file);
  if (!existsSync(abs)) throw new InvalidConfigError({ message: `${flag} ${abs} does not exist; pass a JSON file with the pruner's options (see vlp list --json for each pruner's schema).`, path: abs });
  try {
    return JSON.parse(readFileSync(abs, 'utf8'));
  } catch (cause) {
    const reason = (cause as Error).message.split('\n')[0];
    throw new InvalidConfigError({ message: `${flag} ${abs} is not valid JSON (${reason}); fix the file, e.g. {"comparisonGroup": "row"}.`, path: abs, cause });
  }
}
