import { AbortedError } from '@vlp/core';

/** Int32 header: the round each side has posted (2), the abort flag, padding. */
const HEADER_INTS = 4;
const ABORT = 2;
/** How long one `Atomics.wait` sleeps before it looks at the abort flag again (ms). */
const POLL_MS = 200;

/**
 * A rendezvous of two threads over a `SharedArrayBuffer`: every round each side posts a block of
 * floats and blocks (`Atomics.wait`, synchronously — it is called inside a tfjs gradient function)
 * until the other side's block of the same round is there, then reads a copy of it. Blocks are
 * double-buffered by round parity, so a side can post round k + 1 while the other still reads
 * round k: neither can get two rounds ahead, because each round waits for the other's post.
 * `abort()` (any thread) makes every waiting and later `exchange` throw `VLP_ABORTED`.
 */
export class FeatureExchange {
  private readonly flags: Int32Array;
  private readonly blocks: readonly [readonly [Float32Array, Float32Array], readonly [Float32Array, Float32Array]];
  private round = 0;

  /** Bytes of the shared buffer for blocks of `lengths[0]` and `lengths[1]` floats. */
  static byteLength(lengths: readonly [number, number]): number {
    return 4 * (HEADER_INTS + 2 * lengths[0] + 2 * lengths[1]);
  }

  /** `side` 0 or 1 posts blocks of `lengths[side]` floats and reads the other's. */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly side: 0 | 1,
    private readonly lengths: readonly [number, number],
  ) {
    if (buffer.byteLength !== FeatureExchange.byteLength(lengths)) {
      throw new RangeError(`FeatureExchange: the buffer has ${buffer.byteLength} bytes; blocks of ${lengths.join(' and ')} floats need ${FeatureExchange.byteLength(lengths)}.`);
    }
    this.flags = new Int32Array(buffer, 0, HEADER_INTS);
    let offset = 4 * HEADER_INTS;
    const block = (n: number) => {
      const b = new Float32Array(buffer, offset, n);
      offset += 4 * n;
      return b;
    };
    const a: [Float32Array, Float32Array] = [block(lengths[0]), block(lengths[0])];
    const b: [Float32Array, Float32Array] = [block(lengths[1]), block(lengths[1])];
    this.blocks = [a, b];
  }

  /** Posts `data` (exactly this side's block length) for the next round and returns the other side's block. */
  exchange(data: ArrayLike<number>): Float32Array {
    const mine = this.side;
    const other = (1 - mine) as 0 | 1;
    if (data.length !== this.lengths[mine]) throw new RangeError(`FeatureExchange: side ${mine} posts ${this.lengths[mine]} floats, got ${data.length}.`);
    this.throwIfAborted();
    const parity = this.round % 2;
    this.round += 1;
    this.blocks[mine][parity].set(data);
    Atomics.store(this.flags, mine, this.round);
    Atomics.notify(this.flags, mine);
    for (;;) {
      const posted = Atomics.load(this.flags, other);
      if (posted >= this.round) break;
      this.throwIfAborted();
      Atomics.wait(this.flags, other, posted, POLL_MS);
    }
    return Float32Array.from(this.blocks[other][parity]);
  }

  /** Makes both sides' exchanges throw `VLP_ABORTED` and wakes a side that waits. */
  abort(): void {
    Atomics.store(this.flags, ABORT, 1);
    Atomics.notify(this.flags, 0);
    Atomics.notify(this.flags, 1);
  }

  private throwIfAborted(): void {
    if (Atomics.load(this.flags, ABORT) === 1) throw new AbortedError({ message: 'Tower-parallel training was aborted (the other tower stopped or the run was cancelled).' });
  }
}
