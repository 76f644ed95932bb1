import * as tf from '@tensorflow/tfjs';

/** Peak memory of one stage, sampled at unit and batch boundaries. */
export interface MemoryPeak {
  /** Largest `tf.memory().numBytes` seen (tfjs tensors alive). */
  readonly tensorBytes: number;
  /** Largest process resident set size seen (includes ONNX Runtime), bytes; 0 outside Node. */
  readonly rssBytes: number;
}

/**
 * Samples tfjs and process memory; call `sample()` at boundaries, `measure()` around a forward or
 * backward pass (whose intermediate tensors are gone by the next boundary), `peak` for the maxima.
 */
export class MemoryProbe {
  private tensorBytes = 0;
  private rssBytes = 0;

  constructor() {
    this.sample();
  }

  sample(): void {
    this.tensorBytes = Math.max(this.tensorBytes, tf.memory().numBytes);
    const usage = (globalThis as { process?: { memoryUsage?: () => { rss: number } } }).process?.memoryUsage?.();
    this.rssBytes = Math.max(this.rssBytes, usage?.rss ?? 0);
  }

  /**
   * Runs one pass under `tf.profile` and records its peak tfjs memory: the largest
   * `tf.memory().numBytes` after any kernel of the pass (the activations a backward keeps alive
   * included, which boundary samples miss). tfjs's NaN check of every kernel output is off while
   * profiling (it would copy every output). If the pass throws, profiling is switched off again.
   */
  async measure<T>(pass: () => Promise<T>): Promise<T> {
    const env = tf.env();
    const check = env.getBool('CHECK_COMPUTATION_FOR_ERRORS');
    env.set('CHECK_COMPUTATION_FOR_ERRORS', false);
    let result!: T;
    try {
      const info = await tf.profile(async () => {
        result = await pass();
        return [];
      });
      if (Number.isFinite(info.peakBytes)) this.tensorBytes = Math.max(this.tensorBytes, info.peakBytes);
    } catch (error) {
      (tf.engine().state as { profiling: boolean }).profiling = false;
      throw error;
    } finally {
      env.set('CHECK_COMPUTATION_FOR_ERRORS', check);
    }
    this.sample();
    return result;
  }

  get peak(): MemoryPeak {
    this.sample();
    return { tensorBytes: this.tensorBytes, rssBytes: this.rssBytes };
  }
}
