/**
 * A seeded, splittable random number generator. One root seed expands into independent,
 * reproducible streams: `rng.split('cell:3').split('unit:vision_model...q_proj.weight')`.
 * Splitting never advances the parent; the same path from the same seed gives the same stream.
 */
export interface Rng {
  /** The 64-bit state seed this stream started from (for the record). */
  readonly seed: bigint;
  /** An independent child stream named by `key`. Does not advance this stream. */
  split(key: string | number): Rng;
  /** Uniform unsigned 32-bit integer. */
  nextUint32(): number;
  /** Uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** Uniform integer in [0, n). */
  nextInt(n: number): number;
  /** Standard normal sample. */
  nextNormal(): number;
  /** Fills `out` with standard normal samples and returns it. */
  fillNormal(out: Float32Array): Float32Array;
  /** Fills `out` with uniform [0, 1) floats and returns it. */
  fillUniform(out: Float32Array): Float32Array;
  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Uint32Array;
}
