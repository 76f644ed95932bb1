/**
 * `@vlp/zoo`, imported lazily: the embedded checkpoints are only needed by suites that name them,
 * so fixture- and directory-based runs (and the tests) never load the zoo.
 */
export type Zoo = typeof import('@vlp/zoo');

let zoo: Promise<Zoo> | undefined;

/** The `@vlp/zoo` module (imported once). */
export function loadZoo(): Promise<Zoo> {
  zoo ??= import('@vlp/zoo');
  return zoo;
}

/**
 * Runs `fn` with the zoo's fast tfjs-wasm matMul for transposed operands (about 8× faster gradient
 * work on wasm; a no-op elsewhere). Falls back to plain `fn()` if the zoo cannot be loaded.
 */
export async function withFastGradients<T>(fn: () => Promise<T>): Promise<T> {
  let z: Zoo;
  try {
    z = await loadZoo();
  } catch {
    return fn();
  }
  return z.withFastWasmMatMul(fn);
}
