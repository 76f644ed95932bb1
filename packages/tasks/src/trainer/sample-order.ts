import type { Rng } from '@vlp/core';

/**
 * The seeded data order: epoch e visits a permutation drawn from `rng.split('epoch:e')`, so the
 * sample at any cursor is known without replaying the run (what makes resume exact).
 */
export class SampleOrder {
  private readonly epochs = new Map<number, Uint32Array>();

  constructor(
    private readonly size: number,
    private readonly rng: Rng,
  ) {}

  private epoch(e: number): Uint32Array {
    let p = this.epochs.get(e);
    if (!p) {
      p = this.rng.split(`epoch:${e}`).permutation(this.size);
      this.epochs.set(e, p);
      if (this.epochs.size > 2) this.epochs.delete(Math.min(...this.epochs.keys()));
    }
    return p;
  }

  /** `count` sample indices starting at global position `cursor`. */
  indices(cursor: number, count: number): number[] {
    return Array.from({ length: count }, (_, i) => {
      const position = cursor + i;
      return this.epoch(Math.floor(position / this.size))[position % this.size] as number;
    });
  }
}
