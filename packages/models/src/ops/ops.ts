/**
 * The op vocabulary every model is described in, once. A model description is a plain function
 * over `Ops<V>`; `TfjsOps` (V = tf.Tensor, eager, differentiable) executes it and `OnnxOps`
 * (V = ONNX value name) records it as an opset-17 graph for onnxruntime-node.
 *
 * Conventions (chosen for tfjs-wasm's fast paths and ORT's kernels, see DESIGN "Compute"):
 * - activations are 2-D `[B·T, D]`, 4-D only around attention;
 * - linear weights are bound `[in, out]` (`param(name, 'linear')` transposes HF's `[out, in]` once);
 * - `reshape` takes static dims plus at most one `-1` (the batch), never ONNX's `0`;
 * - the vocabulary stays at the level where the two lowerings differ (`linear`, `layerNorm`,
 *   `sumSquaresRows`), not at raw ONNX ops.
 */
export type Dim = number | string;

export type InputDtype = 'float32' | 'int64';

export interface Ops<V> {
  /** A graph input (`pixel_values`, `input_ids`, `attention_mask`, ...). int64 inputs are ids. */
  input(name: string, dtype: InputDtype, shape: readonly Dim[]): V;
  /**
   * A model parameter by canonical (HF) name. `layout: 'linear'` binds a 2-D `[out, in]` weight
   * transposed to `[in, out]`; `'as-is'` binds it as stored.
   */
  param(name: string, layout?: 'as-is' | 'linear'): V;
  /** Names `v` as a graph output. */
  output(name: string, v: V): void;
  /** A small float constant. */
  constant(data: Float32Array | readonly number[], shape: readonly number[]): V;

  /** `x [N, in] · w [in, out] (+ b [out])`. */
  linear(x: V, w: V, b: V | null): V;
  /** Batched matmul over the last two axes, optionally transposing `b`'s last two axes. */
  matmul(a: V, b: V, transposeB?: boolean): V;
  add(a: V, b: V): V;
  sub(a: V, b: V): V;
  mul(a: V, b: V): V;
  div(a: V, b: V): V;
  scale(x: V, factor: number): V;
  /** `factor − x`, elementwise (e.g. `1 − mask`). */
  rsubScalar(x: V, factor: number): V;
  sigmoid(x: V): V;
  exp(x: V): V;
  tanh(x: V): V;
  relu(x: V): V;
  /** Exact erf GELU `0.5·x·(1 + erf(x/√2))`. */
  gelu(x: V): V;
  /** `x·σ(1.702·x)`. */
  quickGelu(x: V): V;
  /** Softmax over the last axis. */
  softmax(x: V): V;
  /** Log-softmax over the last axis (numerically stable; LM losses). */
  logSoftmax(x: V): V;
  /** LayerNorm over the last axis. */
  layerNorm(x: V, gamma: V, beta: V, eps: number): V;
  /** L2-normalise rows over the last axis (`x / ‖x‖`). */
  l2Normalize(x: V): V;
  reshape(x: V, shape: readonly number[]): V;
  transpose(x: V, perm: readonly number[]): V;
  /** Zero padding: `pads` = [before_0, ..., before_n, after_0, ..., after_n] (ONNX order). */
  pad(x: V, pads: readonly number[]): V;
  concat(xs: readonly V[], axis: number): V;
  /** `x[..., start:end]` along `axis` (static bounds). */
  slice(x: V, axis: number, start: number, end: number): V;
  /** Rows of `table [V, D]` at integer `ids` (any shape) → `[...ids.shape, D]`. */
  gather(table: V, ids: V): V;
  /** Converts ids/masks to float32. */
  toFloat(x: V): V;
  /** `x == value` as float 0/1. */
  equalScalar(x: V, value: number): V;
  /** Index of the first maximum along `axis` (int ids). */
  argmax(x: V, axis: number): V;
  /** `[B·T, D]` rows picked per batch item: row `b·T + index[b]` → `[B, D]`. */
  pickRows(x: V, index: V, rowsPerItem: number): V;
  /** `Σ_r w_r · x[r, :]²` over the rows of `x [N, D]` → `[D]`; `rowWeights [N]` or null (all ones). */
  sumSquaresRows(x: V, rowWeights: V | null): V;
  /** `Σ_r w_r · |x[r, :]|` → `[D]`. */
  sumAbsRows(x: V, rowWeights: V | null): V;
  /** `Xᵀ diag(w) X` → `[D, D]`. */
  gramRows(x: V, rowWeights: V | null): V;
  /** `Σ_r w_r` (token count) → scalar `[]`. */
  sumAll(x: V): V;
}
