import { BadSafetensorsError } from '../errors/index.js';

/** Builds the {@link BadSafetensorsError} for a malformed file; internal helper. */
export function badFile(path: string, problem: string, fix: string, tensor?: string): BadSafetensorsError {
  const where = tensor === undefined ? `"${path}"` : `"${path}", tensor "${tensor}"`;
  return new BadSafetensorsError({ message: `Malformed safetensors file ${where}: ${problem}. ${fix}`, path, tensor });
}

/** Builds the {@link BadSafetensorsError} for a malformed or inconsistent shard index; internal helper. */
export function badIndex(path: string, problem: string, fix: string, tensor?: string): BadSafetensorsError {
  const where = tensor === undefined ? `"${path}"` : `"${path}", tensor "${tensor}"`;
  return new BadSafetensorsError({ message: `Bad safetensors shard index ${where}: ${problem}. ${fix}`, path, tensor });
}
