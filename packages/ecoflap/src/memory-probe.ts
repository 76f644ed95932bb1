import * as tf from '@tensorflow/tfjs';

/** Peak memory of one stage, sampled at unit and batch boundaries. */
export interface MemoryPeak {
  /** Largest `tf.memory().numBytes` seen (tfjs tensors alive). */
  readonly tensorBytes: number;
  /** Largest process resident set size seen (includes ONNX Runtime), bytes; 0 outside Node. */
  readonly rssBytes: number;
}

/** Samples tfjs and process memory; call `sample()` at boundaries, `peak` for the maxima. */
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

  get peak(): MemoryPeak {
    this.sample();
    return { tensorBytes: this.tensorBytes, rssBytes: this.rssBytes };
  }
}
