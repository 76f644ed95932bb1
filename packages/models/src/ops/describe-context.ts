import type { TapSpec } from '@vlp/core';
import type { Ops } from './ops.js';

/** What a description should record besides its outputs. */
export interface DescribeOptions {
  /** Statistics to record (each becomes an output `tap:<index>`). */
  readonly taps?: readonly TapSpec[];
  /** Gate groups to apply (each becomes an input `gate:<group>`). */
  readonly gates?: ReadonlySet<string>;
  /** Emit every tower's hidden states as outputs. */
  readonly hiddenStates?: boolean;
}

/** Output name of the `index`-th tap. */
export const tapOutputName = (index: number): string => `tap:${index}`;
/** Input name of a gate group. */
export const gateInputName = (group: string): string => `gate:${group}`;

/**
 * The per-description helper that turns taps, gates and unit linears into ops. Descriptions call
 * {@link DescribeContext.linear} for every prunable linear so that taps at its input/output are
 * recorded uniformly, whatever the model.
 */
export class DescribeContext<V> {
  private readonly taps: readonly TapSpec[];
  private readonly gates: ReadonlySet<string>;
  readonly hiddenStates: boolean;
  private readonly gateValues = new Map<string, V>();

  constructor(
    readonly g: Ops<V>,
    options: DescribeOptions = {},
  ) {
    this.taps = options.taps ?? [];
    this.gates = options.gates ?? new Set();
    this.hiddenStates = options.hiddenStates ?? false;
  }

  /**
   * A prunable linear `unit` (the HF weight name; the bias is `<prefix>.bias` when `hasBias`) on
   * `x [N, in]`, recording the taps asked for at its input (rows weighted by `rowWeights [N]`, the
   * valid-token mask, when a tap asks for valid tokens only) and output.
   */
  linear(unit: string, x: V, rowWeights: V | null, hasBias = true): V {
    this.tapInput(unit, x, rowWeights);
    const bias = hasBias ? this.g.param(unit.replace(/weight$/, 'bias')) : null;
    const y = this.g.linear(x, this.g.param(unit, 'linear'), bias);
    this.taps.forEach((tap, i) => {
      if (tap.kind === 'unit-output' && tap.unit === unit) this.g.output(tapOutputName(i), y);
    });
    return y;
  }

  /** Records the input taps of `unit` on `x` (for units computed outside {@link linear}). */
  tapInput(unit: string, x: V, rowWeights: V | null): void {
    this.taps.forEach((tap, i) => {
      if (!('unit' in tap) || tap.unit !== unit || tap.kind === 'unit-output') return;
      const w = tap.tokens === 'valid' ? rowWeights : null;
      const stat =
        tap.kind === 'input-sum-squares'
          ? this.g.sumSquaresRows(x, w)
          : tap.kind === 'input-mean-abs'
            ? this.g.sumAbsRows(x, w)
            : this.g.gramRows(x, w);
      this.g.output(tapOutputName(i), stat);
    });
  }

  /** Records `block-output-pooled` taps: the mean over (valid) tokens per sample → `[B, D]`. */
  tapBlock(blockId: string, x2d: V, rowWeights: V | null, tokens: number, width: number): void {
    this.taps.forEach((tap, i) => {
      if (tap.kind !== 'block-output-pooled' || tap.blockId !== blockId) return;
      const g = this.g;
      const x3 = g.reshape(x2d, [-1, tokens, width]);
      let pooled: V;
      if (rowWeights) {
        const wt = g.reshape(rowWeights, [-1, 1, tokens]); // [B, 1, T], 0/1
        const summed = g.reshape(g.matmul(wt, x3), [-1, width]); // [B, D]
        const counts = g.reshape(g.matmul(wt, g.constant(new Float32Array(tokens).fill(1), [1, tokens, 1])), [-1, 1]);
        pooled = g.div(summed, counts);
      } else {
        const mean = g.constant(new Float32Array(tokens).fill(1 / tokens), [1, 1, tokens]);
        pooled = g.reshape(g.matmul(mean, x3), [-1, width]);
      }
      g.output(tapOutputName(i), pooled);
    });
  }

  /** The gate input of `group` (`[size]`), or null when that group is not gated in this run. */
  gate(group: string, size: number): V | null {
    if (!this.gates.has(group)) return null;
    let value = this.gateValues.get(group);
    if (value === undefined) {
      value = this.g.input(gateInputName(group), 'float32', [size]);
      this.gateValues.set(group, value);
    }
    return value;
  }
}
