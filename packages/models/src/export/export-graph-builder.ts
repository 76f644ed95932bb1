import { attr } from '../onnx/attributes.js';
import type { OnnxDType } from '../onnx/dtypes.js';
import { externalizeInitializers } from '../onnx/external-data.js';
import { type Dim, OnnxGraphBuilder, type ToModelOptions } from '../onnx/graph-builder.js';
import type { OnnxModel } from '../onnx/onnx-messages.js';
import { pruneUnused } from './prune-graph.js';

/** Symbolic name of the token axis of dynamic-length text inputs and outputs (as in Optimum's exports). */
export const SEQUENCE_LENGTH = 'sequence_length';

/** One exported output: the description's output name, the exported name and its declared shape. */
export interface ExportedOutput {
  readonly from: string;
  readonly to: string;
  readonly shape: readonly Dim[];
  /** Axis 1 is the token axis (cut back to the input length when text is dynamic). */
  readonly tokenAxis?: boolean;
}

/** How a description's graph is presented in an exported file. */
export interface ExportGraphSpec {
  readonly name: string;
  /** Description input name → symbolic name of its batch axis (the description says `'batch'`). */
  readonly batchDims: Readonly<Record<string, string>>;
  /** Outputs to publish, in file order; other description outputs are dropped (and pruned). */
  readonly outputs: readonly ExportedOutput[];
  /**
   * Accept `input_ids` / `attention_mask` of any length up to `tokens` (the description's static
   * length): they are padded inside the graph (ids with `padId`, mask with 0) and token-axis
   * outputs are cut back to the input length.
   */
  readonly dynamicText?: { readonly tokens: number; readonly padId: number };
}

const TEXT_INPUTS = new Set(['input_ids', 'attention_mask']);

/**
 * An {@link OnnxGraphBuilder} that records a model description (through `OnnxOps`) as a standalone
 * export: inputs get Hugging Face / Optimum axis names (and, for text, a dynamic length padded to the
 * description's static one), outputs are renamed, filtered and ordered, and unused nodes are pruned.
 */
export class ExportGraphBuilder extends OnnxGraphBuilder {
  /** `[S]` (int64, 1-D): the length of the dynamic text inputs, once `input_ids` is declared. */
  private inputLength?: string;

  constructor(private readonly spec: ExportGraphSpec) {
    super({ name: spec.name });
  }

  override input(name: string, dtype: OnnxDType, shape: readonly Dim[]): string {
    const batch = this.spec.batchDims[name];
    const dims = shape.map((d) => (d === 'batch' && batch !== undefined ? batch : d));
    const text = this.spec.dynamicText;
    if (text === undefined || !TEXT_INPUTS.has(name)) return super.input(name, dtype, dims);
    const real = super.input(name, dtype, [dims[0] as Dim, SEQUENCE_LENGTH]);
    return this.padTokens(real, name === 'input_ids' ? text.padId : 0, text.tokens);
  }

  /** `[B, S]` int64 → `[B, tokens]`: appends `tokens − S` columns of `value` (fails at run time when S > tokens). */
  private padTokens(real: string, value: number, tokens: number): string {
    const shape = this.node('Shape', [real], { name: `${real}_shape` });
    const batch = this.node('Slice', [shape, this.constInt64([0]), this.constInt64([1])]);
    const length = this.node('Slice', [shape, this.constInt64([1]), this.constInt64([2])], { name: `${real}_length` });
    this.inputLength ??= length;
    const missing = this.node('Sub', [this.constInt64([tokens]), length]);
    const padShape = this.node('Concat', [batch, missing], { attrs: { axis: 0 } });
    // Named so that ORT's error for a too-long input (negative shape) says what is wrong.
    const fill = this.node('ConstantOfShape', [padShape], {
      name: `${real}_longer_than_${tokens}_tokens_check`,
      attrs: { value: attr.tensor({ dtype: 'int64', dims: [1], data: BigInt64Array.of(BigInt(value)) }) },
    });
    return this.node('Concat', [real, fill], { attrs: { axis: 1 }, name: `${real}_padded` });
  }

  override output(value: string, name: string, dtype: OnnxDType): string {
    const spec = this.spec.outputs.find((o) => o.from === name);
    if (spec === undefined) return name;
    let v = value;
    if (spec.tokenAxis && this.inputLength !== undefined) {
      v = this.node('Slice', [value, this.constInt64([0]), this.inputLength, this.constInt64([1])], { name: `${spec.to}_unpad` });
    }
    return super.output(v, spec.to, dtype, spec.shape);
  }

  override toOnnx(options: ToModelOptions = {}): { model: OnnxModel; externalData?: Uint8Array } {
    const { externalData: external, ...rest } = options;
    const { model } = super.toOnnx(rest);
    const order = this.spec.outputs.map((o) => o.to);
    const output = [...model.graph.output].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    const graph = pruneUnused({ ...model.graph, output });
    if (external === undefined) return { model: { ...model, graph } };
    const moved = externalizeInitializers(graph.initializer, external);
    return {
      model: { ...model, graph: { ...graph, initializer: moved.initializer } },
      ...(moved.data === undefined ? {} : { externalData: moved.data }),
    };
  }
}
