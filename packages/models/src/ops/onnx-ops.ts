import { InvalidArgumentError } from '@vlp/core';
import { attr } from '../onnx/attributes.js';
import type { OnnxGraphBuilder } from '../onnx/graph-builder.js';
import type { Dim, InputDtype, Ops } from './ops.js';

type Dtype = 'float32' | 'int64';

interface ValueType {
  readonly rank: number;
  readonly dtype: Dtype;
}

/** How parameters enter the graph: as inputs fed per run (default) or as embedded initializers. */
export type ParamBinding =
  | { readonly kind: 'inputs' }
  | { readonly kind: 'initializers'; data(name: string, layout: 'as-is' | 'linear'): { dims: number[]; data: Float32Array } };

/** A parameter the graph reads, under the input/initializer name it was bound to. */
export interface BoundParam {
  readonly name: string;
  readonly layout: 'as-is' | 'linear';
}

/**
 * Records a description as an ONNX opset-17 graph (V = value name). Parameters are graph inputs by
 * default (masked or perturbed weights are fed per run without rebuilding) or initializers for
 * export; gates are inputs; taps are extra outputs.
 */
export class OnnxOps implements Ops<string> {
  /** Parameters the graph reads, by graph value name. */
  readonly params = new Map<string, BoundParam>();
  private readonly types = new Map<string, ValueType>();

  constructor(
    readonly builder: OnnxGraphBuilder,
    private readonly paramShape: (name: string) => readonly number[],
    private readonly binding: ParamBinding = { kind: 'inputs' },
  ) {}

  private typed(name: string, rank: number, dtype: Dtype = 'float32'): string {
    this.types.set(name, { rank, dtype });
    return name;
  }

  private type(v: string): ValueType {
    const t = this.types.get(v);
    if (!t) throw new InvalidArgumentError({ message: `OnnxOps: unknown value "${v}".` });
    return t;
  }

  private node(op: string, inputs: readonly string[], rank: number, attrs?: Record<string, unknown>, dtype: Dtype = 'float32'): string {
    return this.typed(this.builder.node(op, inputs, attrs ? { attrs: attrs as never } : undefined), rank, dtype);
  }

  private scalar(value: number): string {
    return this.typed(this.builder.constFloat32([value], []), 0);
  }

  private ints(values: readonly number[]): string {
    return this.typed(this.builder.constInt64(values), 1, 'int64');
  }

  input(name: string, dtype: InputDtype, shape: readonly Dim[]): string {
    return this.typed(this.builder.input(name, dtype, shape), shape.length, dtype);
  }

  param(name: string, layout: 'as-is' | 'linear' = 'as-is'): string {
    const valueName = layout === 'linear' ? `${name}:linear` : name;
    const shape = this.paramShape(name);
    const dims = layout === 'linear' ? [shape.slice(1).reduce((a, b) => a * b, 1), shape[0] as number] : [...shape];
    if (!this.builder.has(valueName)) {
      if (this.binding.kind === 'inputs') this.builder.input(valueName, 'float32', dims);
      else {
        const { data } = this.binding.data(name, layout);
        this.builder.initializer(valueName, { dtype: 'float32', dims, data });
      }
      this.params.set(valueName, { name, layout });
    }
    return this.typed(valueName, dims.length);
  }

  output(name: string, v: string): void {
    const t = this.type(v);
    this.builder.output(v, name, t.dtype);
  }

  constant(data: Float32Array | readonly number[], shape: readonly number[]): string {
    return this.typed(this.builder.constant(Float32Array.from(data), shape), shape.length);
  }

  linear(x: string, w: string, b: string | null): string {
    const y = this.node('MatMul', [x, w], this.type(x).rank);
    return b ? this.node('Add', [y, b], this.type(x).rank) : y;
  }

  matmul(a: string, b: string, transposeB = false): string {
    const rank = Math.max(this.type(a).rank, this.type(b).rank);
    let right = b;
    if (transposeB) {
      const r = this.type(b).rank;
      const perm = Array.from({ length: r }, (_, i) => i);
      perm[r - 1] = r - 2;
      perm[r - 2] = r - 1;
      right = this.transpose(b, perm);
    }
    return this.node('MatMul', [a, right], rank);
  }

  private binary(op: string, a: string, b: string): string {
    return this.node(op, [a, b], Math.max(this.type(a).rank, this.type(b).rank));
  }
  add(a: string, b: string): string {
    return this.binary('Add', a, b);
  }
  sub(a: string, b: string): string {
    return this.binary('Sub', a, b);
  }
  mul(a: string, b: string): string {
    return this.binary('Mul', a, b);
  }
  div(a: string, b: string): string {
    return this.binary('Div', a, b);
  }
  scale(x: string, factor: number): string {
    return this.node('Mul', [x, this.scalar(factor)], this.type(x).rank);
  }
  rsubScalar(x: string, factor: number): string {
    return this.node('Sub', [this.scalar(factor), x], this.type(x).rank);
  }
  private unary(op: string, x: string): string {
    return this.node(op, [x], this.type(x).rank);
  }
  sigmoid(x: string): string {
    return this.unary('Sigmoid', x);
  }
  exp(x: string): string {
    return this.unary('Exp', x);
  }
  tanh(x: string): string {
    return this.unary('Tanh', x);
  }
  relu(x: string): string {
    return this.unary('Relu', x);
  }
  gelu(x: string): string {
    const erf = this.unary('Erf', this.scale(x, Math.SQRT1_2));
    return this.mul(this.scale(x, 0.5), this.node('Add', [erf, this.scalar(1)], this.type(x).rank));
  }
  quickGelu(x: string): string {
    return this.mul(x, this.sigmoid(this.scale(x, 1.702)));
  }
  softmax(x: string): string {
    return this.node('Softmax', [x], this.type(x).rank, { axis: -1 });
  }
  logSoftmax(x: string): string {
    return this.node('LogSoftmax', [x], this.type(x).rank, { axis: -1 });
  }
  layerNorm(x: string, gamma: string, beta: string, eps: number): string {
    return this.node('LayerNormalization', [x, gamma, beta], this.type(x).rank, { axis: -1, epsilon: attr.float(eps) });
  }
  l2Normalize(x: string): string {
    const norm = this.node('ReduceL2', [x], this.type(x).rank, { axes: attr.ints([-1]), keepdims: 1 });
    return this.div(x, norm);
  }
  reshape(x: string, shape: readonly number[]): string {
    if (shape.includes(0)) throw new InvalidArgumentError({ message: 'reshape: use -1, never 0 (ONNX copy-dim) in descriptions.' });
    return this.node('Reshape', [x, this.ints(shape)], shape.length, undefined, this.type(x).dtype);
  }
  transpose(x: string, perm: readonly number[]): string {
    return this.node('Transpose', [x], perm.length, { perm: attr.ints(perm) }, this.type(x).dtype);
  }
  pad(x: string, pads: readonly number[]): string {
    return this.node('Pad', [x, this.ints(pads)], this.type(x).rank);
  }
  concat(xs: readonly string[], axis: number): string {
    return this.node('Concat', xs, this.type(xs[0] as string).rank, { axis }, this.type(xs[0] as string).dtype);
  }
  slice(x: string, axis: number, start: number, end: number): string {
    return this.node('Slice', [x, this.ints([start]), this.ints([end]), this.ints([axis])], this.type(x).rank, undefined, this.type(x).dtype);
  }
  gather(table: string, ids: string): string {
    return this.node('Gather', [table, ids], this.type(ids).rank + this.type(table).rank - 1, { axis: 0 });
  }
  toFloat(x: string): string {
    return this.type(x).dtype === 'float32' ? x : this.node('Cast', [x], this.type(x).rank, { to: 1 });
  }
  equalScalar(x: string, value: number): string {
    const t = this.type(x);
    const c = t.dtype === 'int64' ? this.typed(this.builder.constInt64([value], []), 0, 'int64') : this.scalar(value);
    const eq = this.typed(this.builder.node('Equal', [x, c]), t.rank, 'float32');
    return this.node('Cast', [eq], t.rank, { to: 1 });
  }
  argmax(x: string, axis: number): string {
    // ArgMax on float input (ids are exact in float32 below 2^24): ORT's int64 ArgMax coverage varies.
    return this.node('ArgMax', [this.toFloat(x)], this.type(x).rank - 1, { axis, keepdims: 0, select_last_index: 0 }, 'int64');
  }
  pickRows(x: string, index: string, rowsPerItem: number): string {
    const count = this.node('Reshape', [this.node('Shape', [index], 1, undefined, 'int64'), this.ints([])], 0, undefined, 'int64');
    const zero = this.typed(this.builder.constInt64([0], []), 0, 'int64');
    const one = this.typed(this.builder.constInt64([1], []), 0, 'int64');
    const range = this.node('Range', [zero, count, one], 1, undefined, 'int64');
    const offsets = this.node('Mul', [range, this.typed(this.builder.constInt64([rowsPerItem], []), 0, 'int64')], 1, undefined, 'int64');
    const rows = this.node('Add', [offsets, index], 1, undefined, 'int64');
    return this.node('Gather', [x, rows], 2, { axis: 0 });
  }
  private onesRow(x: string): string {
    const n = this.node('Slice', [this.node('Shape', [x], 1, undefined, 'int64'), this.ints([0]), this.ints([1])], 1, undefined, 'int64');
    const shape = this.node('Concat', [this.ints([1]), n], 1, { axis: 0 }, 'int64');
    return this.node('ConstantOfShape', [shape], 2, { value: attr.tensor({ dtype: 'float32', dims: [1], data: Float32Array.of(1) }) });
  }
  private weightedRowSum(values: string, x: string, rowWeights: string | null): string {
    const row = rowWeights ? this.reshape(rowWeights, [1, -1]) : this.onesRow(x);
    return this.reshape(this.node('MatMul', [row, values], 2), [-1]);
  }
  sumSquaresRows(x: string, rowWeights: string | null): string {
    return this.weightedRowSum(this.mul(x, x), x, rowWeights);
  }
  sumAbsRows(x: string, rowWeights: string | null): string {
    return this.weightedRowSum(this.unary('Abs', x), x, rowWeights);
  }
  gramRows(x: string, rowWeights: string | null): string {
    const weighted = rowWeights ? this.mul(x, this.reshape(rowWeights, [-1, 1])) : x;
    return this.node('MatMul', [this.transpose(weighted, [1, 0]), x], 2);
  }
  sumAll(x: string): string {
    return this.node('ReduceSum', [x], 0, { keepdims: 0 });
  }
}
