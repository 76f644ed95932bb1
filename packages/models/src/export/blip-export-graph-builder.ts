import { attr } from '../onnx/attributes.js';
import type { OnnxDType } from '../onnx/dtypes.js';
import type { Dim } from '../onnx/graph-builder.js';
import { type ExportedOutput, type ExportGraphSpec, ExportGraphBuilder } from './export-graph-builder.js';

/** An input accepted at any length along axis 1 up to the description's static length. */
export interface PaddedInput {
  /** Symbolic name of axis 1 in the exported file (e.g. `sequence_length`). */
  readonly axis: string;
  /** Value the graph appends up to the static length (a pad id, 0 for masks and states). */
  readonly value: number;
}

/** An exported output whose axis 1 may be cut back to the length of a padded input. */
export interface BlipExportedOutput extends ExportedOutput {
  /** The padded input whose length axis 1 of this output is cut back to. */
  readonly cutBy?: string;
}

/** How a BLIP description's graph is presented (see {@link BlipExportGraphBuilder}). */
export interface BlipGraphSpec extends ExportGraphSpec {
  readonly outputs: readonly BlipExportedOutput[];
  /**
   * Inputs of dynamic length (by description input name): padded inside the graph with `value` to
   * the static length the description declares. Absent: every length is the static one.
   */
  readonly padded?: Readonly<Record<string, PaddedInput>>;
}

/**
 * An {@link ExportGraphBuilder} for BLIP's graphs, which have several independent lengths (text,
 * answer, question states): axis 0 of every input listed in `batchDims` gets its symbolic name
 * whatever the description calls it (`batch`, `images`, `texts`); `padded` inputs (ids, masks,
 * int64 or float, rank 2 or 3) accept any length up to the static one and are padded inside the
 * graph; `cutBy` outputs are cut back to that input's length.
 */
export class BlipExportGraphBuilder extends ExportGraphBuilder {
  /** Padded input name → its `[S]` int64 length value. */
  private readonly lengths = new Map<string, string>();

  constructor(private readonly blip: BlipGraphSpec) {
    super(blip);
  }

  override input(name: string, dtype: OnnxDType, shape: readonly Dim[]): string {
    const batch = this.blip.batchDims[name];
    const dims = shape.map((d, i) => (i === 0 && typeof d === 'string' && batch !== undefined ? batch : d));
    const pad = this.blip.padded?.[name];
    const tokens = dims[1];
    if (pad === undefined || typeof tokens !== 'number') return super.input(name, dtype, dims);
    const real = super.input(name, dtype, [dims[0] as Dim, pad.axis, ...dims.slice(2)]);
    return this.padAxis1(name, real, dtype, dims.length, pad.value, tokens);
  }

  /** `[B, S, …]` → `[B, tokens, …]` by appending `value`s (fails at run time when S > tokens). */
  private padAxis1(name: string, real: string, dtype: OnnxDType, rank: number, value: number, tokens: number): string {
    const shape = this.node('Shape', [real], { name: `${real}_shape` });
    const head = this.node('Slice', [shape, this.constInt64([0]), this.constInt64([1])]);
    const length = this.node('Slice', [shape, this.constInt64([1]), this.constInt64([2])], { name: `${real}_length` });
    this.lengths.set(name, length);
    const parts = [head, this.node('Sub', [this.constInt64([tokens]), length])];
    if (rank > 2) parts.push(this.node('Slice', [shape, this.constInt64([2]), this.constInt64([rank])]));
    const padShape = this.node('Concat', parts, { attrs: { axis: 0 } });
    const fill = dtype === 'int64' ? BigInt64Array.of(BigInt(value)) : Float32Array.of(value);
    // Named so that ORT's error for a too-long input (negative shape) says what is wrong.
    const padding = this.node('ConstantOfShape', [padShape], {
      name: `${real}_longer_than_${tokens}_tokens_check`,
      attrs: { value: attr.tensor({ dtype: dtype === 'int64' ? 'int64' : 'float32', dims: [1], data: fill }) },
    });
    return this.node('Concat', [real, padding], { attrs: { axis: 1 }, name: `${real}_padded` });
  }

  override output(value: string, name: string, dtype: OnnxDType): string {
    const spec = this.blip.outputs.find((o) => o.from === name);
    const length = spec?.cutBy === undefined ? undefined : this.lengths.get(spec.cutBy);
    if (spec === undefined || length === undefined) return super.output(value, name, dtype);
    const cut = this.node('Slice', [value, this.constInt64([0]), length, this.constInt64([1])], { name: `${spec.to}_unpad` });
    return super.output(cut, name, dtype);
  }
}
