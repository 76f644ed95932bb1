/**
 * Small graphs built with OnnxGraphBuilder and run in onnxruntime-node (CPU), checked against float64
 * reference computations within 1e-6.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { attr } from './attributes.js';
import { OnnxGraphBuilder } from './graph-builder.js';
import { createOrtSession, releaseSession } from './session.js';

const TOL = 1e-6;

/** Deterministic uniform values in [lo, hi) (mulberry32). */
function rand(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out[i] = lo + (hi - lo) * u;
  }
  return out;
}

const f32 = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);

async function run(g: OnnxGraphBuilder, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const { session } = await createOrtSession(g.toModel().model, { intraOpNumThreads: 1 });
  try {
    return await session.run(feeds);
  } finally {
    await releaseSession(session);
  }
}

function expectClose(actual: ort.Tensor, expected: ArrayLike<number>, dims: readonly number[], tol = TOL): void {
  expect(actual.dims).toEqual(dims);
  const a = actual.data as Float32Array;
  expect(a.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - expected[i]));
  expect(worst).toBeLessThan(tol);
}

/** float64 row-major [m,k]·[k,n]. */
function matmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
    out[i * n + j] = s;
  }
  return out;
}

/** erf in float64: Maclaurin series, accurate to ~1e-13 for |x| <= 3. */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('graphs run in onnxruntime-node', () => {
  it('MatMul + Add with a weight initializer and a bias constant; Gemm with float alpha/beta and transB', async () => {
    const g = new OnnxGraphBuilder({ name: 'linear' });
    const x = g.input('x', 'float32', ['batch', 3]);
    const wData = rand(12, 1);
    const bData = rand(4, 2);
    const w = g.initializer('w', { dtype: 'float32', dims: [3, 4], data: wData });
    const b = g.constFloat32(Array.from(bData));
    g.output(g.node('Add', [g.node('MatMul', [x, w]), b]), 'y', 'float32', ['batch', 4]);
    // Gemm(x, wT, b) with wT stored [4,3]: alpha·x·wTᵀ + beta·b. alpha = 1 must still be a FLOAT attribute.
    const wT = new Float32Array(12);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) wT[j * 3 + i] = wData[i * 4 + j];
    const wtName = g.initializer('wT', { dtype: 'float32', dims: [4, 3], data: wT });
    const gemm = g.node('Gemm', [x, wtName, b], { attrs: { alpha: 1, beta: attr.float(2), transB: 1 } });
    g.output(gemm, 'gemm', 'float32', ['batch', 4]);

    const xData = rand(6, 3);
    const out = await run(g, { x: f32(xData, [2, 3]) });
    const xw = matmul(xData, wData, 2, 3, 4);
    expectClose(out.y, xw.map((v, i) => v + bData[i % 4]), [2, 4]);
    expectClose(out.gemm, xw.map((v, i) => v + 2 * bData[i % 4]), [2, 4]);
  });

  it('Softmax on the last axis', async () => {
    const g = new OnnxGraphBuilder({ name: 'softmax' });
    const x = g.input('x', 'float32', [2, 3, 5]);
    g.output(g.node('Softmax', [x], { attrs: { axis: -1 } }), 'y', 'float32', [2, 3, 5]);
    const xData = rand(30, 4, -4, 4);
    const out = await run(g, { x: f32(xData, [2, 3, 5]) });
    const expected = new Float64Array(30);
    for (let r = 0; r < 6; r++) {
      const row = Array.from(xData.subarray(r * 5, r * 5 + 5));
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const s = e.reduce((p, q) => p + q, 0);
      e.forEach((v, j) => (expected[r * 5 + j] = v / s));
    }
    expectClose(out.y, expected, [2, 3, 5]);
  });

  it('LayerNormalization (opset 17, axis -1, epsilon) with scale and bias', async () => {
    const D = 8;
    const g = new OnnxGraphBuilder({ name: 'ln', opset: 17 });
    const x = g.input('x', 'float32', ['batch', 'seq', D]);
    const gamma = rand(D, 5, 0.5, 1.5);
    const beta = rand(D, 6);
    const eps = 1e-5;
    const y = g.node('LayerNormalization', [x, g.constant(gamma), g.constant(beta)], { attrs: { axis: -1, epsilon: eps } });
    g.output(y, 'y', 'float32', ['batch', 'seq', D]);
    const xData = rand(2 * 4 * D, 7, -3, 3);
    const out = await run(g, { x: f32(xData, [2, 4, D]) });
    const expected = new Float64Array(xData.length);
    for (let r = 0; r < 8; r++) {
      const row = Array.from(xData.subarray(r * D, (r + 1) * D));
      const mean = row.reduce((p, q) => p + q, 0) / D;
      const variance = row.reduce((p, q) => p + (q - mean) ** 2, 0) / D;
      row.forEach((v, j) => (expected[r * D + j] = ((v - mean) / Math.sqrt(variance + eps)) * gamma[j] + beta[j]));
    }
    expectClose(out.y, expected, [2, 4, D]);
  });

  it('Gather rows of an embedding table with int64 ids (and a Constant-node offset)', async () => {
    const V = 10;
    const D = 4;
    const g = new OnnxGraphBuilder({ name: 'embed' });
    const ids = g.input('input_ids', 'int64', ['batch', 'seq']);
    const table = rand(V * D, 8);
    const emb = g.node('Gather', [g.initializer('table', { dtype: 'float32', dims: [V, D], data: table }), ids], { attrs: { axis: 0 } });
    const bump = g.constFloat32([0.5], [], { asNode: true });
    g.output(g.node('Add', [emb, bump]), 'embeds', 'float32', ['batch', 'seq', D]);
    const idData = new BigInt64Array([3n, 0n, 9n, 9n, 1n, 4n]);
    const out = await run(g, { input_ids: new ort.Tensor('int64', idData, [2, 3]) });
    const expected: number[] = [];
    for (const id of idData) for (let j = 0; j < D; j++) expected.push(table[Number(id) * D + j] + 0.5);
    expectClose(out.embeds, expected, [2, 3, D]);
  });

  it('multi-head attention: Reshape/Transpose to [B,H,T,dh], scaled softmax(QKᵀ)V, back to [B·T,D]', async () => {
    const B = 2, T = 3, H = 2, dh = 4, D = H * dh;
    const g = new OnnxGraphBuilder({ name: 'mha' });
    const heads = (v: string) =>
      g.node('Transpose', [g.node('Reshape', [v, g.constInt64([-1, T, H, dh])])], { attrs: { perm: [0, 2, 1, 3] } });
    const q = heads(g.input('q', 'float32', ['bt', D]));
    const k = heads(g.input('k', 'float32', ['bt', D]));
    const v = heads(g.input('v', 'float32', ['bt', D]));
    const kT = g.node('Transpose', [k], { attrs: { perm: [0, 1, 3, 2] } });
    const scores = g.node('Mul', [g.node('MatMul', [q, kT]), g.constFloat32([dh ** -0.5], [])]);
    const ctx = g.node('MatMul', [g.node('Softmax', [scores], { attrs: { axis: -1 } }), v]);
    const merged = g.node('Reshape', [g.node('Transpose', [ctx], { attrs: { perm: [0, 2, 1, 3] } }), g.constInt64([-1, D])]);
    g.output(merged, 'ctx', 'float32', ['bt', D]);
    const [qd, kd, vd] = [rand(B * T * D, 11), rand(B * T * D, 12), rand(B * T * D, 13)];
    const out = await run(g, { q: f32(qd, [B * T, D]), k: f32(kd, [B * T, D]), v: f32(vd, [B * T, D]) });

    const expected = new Float64Array(B * T * D);
    for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let i = 0; i < T; i++) {
      const at = (arr: Float32Array, t: number, c: number) => arr[(b * T + t) * D + h * dh + c];
      const s = Array.from({ length: T }, (_, j) => {
        let dot = 0;
        for (let c = 0; c < dh; c++) dot += at(qd, i, c) * at(kd, j, c);
        return dot / Math.sqrt(dh);
      });
      const m = Math.max(...s);
      const e = s.map((x) => Math.exp(x - m));
      const z = e.reduce((p, q2) => p + q2, 0);
      for (let c = 0; c < dh; c++) {
        let acc = 0;
        for (let j = 0; j < T; j++) acc += (e[j] / z) * at(vd, j, c);
        expected[(b * T + i) * D + h * dh + c] = acc;
      }
    }
    expectClose(out.ctx, expected, [B * T, D]);
  });

  it('Erf-based GELU and quick-GELU x·σ(1.702x)', async () => {
    const g = new OnnxGraphBuilder({ name: 'gelu' });
    const x = g.input('x', 'float32', ['n']);
    const erfPart = g.node('Erf', [g.node('Div', [x, g.constFloat32([Math.SQRT2], [])])]);
    const gelu = g.node('Mul', [g.node('Mul', [x, g.node('Add', [erfPart, g.constFloat32([1], [])])]), g.constFloat32([0.5], [])]);
    g.output(gelu, 'gelu', 'float32', ['n']);
    const quick = g.node('Mul', [x, g.node('Sigmoid', [g.node('Mul', [x, g.constFloat32([1.702], [])])])]);
    g.output(quick, 'quick_gelu', 'float32', ['n']);
    const xData = rand(64, 14, -3, 3);
    xData[0] = 0;
    xData[1] = -3;
    const out = await run(g, { x: f32(xData, [64]) });
    const x64 = Array.from(xData);
    expectClose(out.gelu, x64.map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2))), [64]);
    expectClose(out.quick_gelu, x64.map((v) => v / (1 + Math.exp(-Math.fround(1.702) * v))), [64]);
  });

  it('ReduceSum with axes as an int64 input (opset 13+), keepdims 0 and 1', async () => {
    const g = new OnnxGraphBuilder({ name: 'reduce' });
    const x = g.input('x', 'float32', [2, 3, 4]);
    g.output(g.node('ReduceSum', [x, g.constInt64([-1])], { attrs: { keepdims: 0 } }), 'last', 'float32', [2, 3]);
    g.output(g.node('ReduceSum', [x, g.constInt64([0, 2])], { attrs: { keepdims: 1 } }), 'outer', 'float32', [1, 3, 1]);
    const xData = rand(24, 15);
    const out = await run(g, { x: f32(xData, [2, 3, 4]) });
    const at = (a: number, b: number, c: number) => xData[a * 12 + b * 4 + c];
    const last: number[] = [];
    for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) last.push([0, 1, 2, 3].reduce((s, c) => s + at(a, b, c), 0));
    const outer = [0, 1, 2].map((b) => [0, 1].reduce((s, a) => s + [0, 1, 2, 3].reduce((s2, c) => s2 + at(a, b, c), 0), 0));
    expectClose(out.last, last, [2, 3]);
    expectClose(out.outer, outer, [1, 3, 1]);
  });

  it('Concat and Slice with starts/ends/axes/steps as inputs', async () => {
    const g = new OnnxGraphBuilder({ name: 'concat_slice' });
    const a = g.input('a', 'float32', [2, 3]);
    const b = g.input('b', 'float32', [2, 2]);
    const cat = g.node('Concat', [a, b], { attrs: { axis: 1 } });
    g.output(cat, 'cat', 'float32', [2, 5]);
    // columns 4, 2, 0 (negative step), all rows
    const sl = g.node('Slice', [cat, g.constInt64([-1]), g.constInt64([-6]), g.constInt64([1]), g.constInt64([-2])]);
    g.output(sl, 'sliced', 'float32', [2, 3]);
    // drop the first column (the dropFirstCol pattern): starts 1, ends INT64_MAX
    const rest = g.node('Slice', [cat, g.constInt64([1]), g.constInt64([2n ** 63n - 1n]), g.constInt64([1])]);
    g.output(rest, 'rest', 'float32', [2, 4]);
    const out = await run(g, {
      a: f32(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]),
      b: f32(new Float32Array([7, 8, 9, 10]), [2, 2]),
    });
    expectClose(out.cat, [1, 2, 3, 7, 8, 4, 5, 6, 9, 10], [2, 5]);
    expectClose(out.sliced, [8, 3, 1, 10, 6, 4], [2, 3]);
    expectClose(out.rest, [2, 3, 7, 8, 5, 6, 9, 10], [2, 4]);
  });

  it('weights fed as inputs: two runs with different weights on one session', async () => {
    const g = new OnnxGraphBuilder({ name: 'weights_as_inputs' });
    const x = g.input('x', 'float32', ['batch', 3]);
    const w = g.input('w', 'float32', [3, 2]);
    g.output(g.node('MatMul', [x, w]), 'y', 'float32', ['batch', 2]);
    const { session } = await createOrtSession(g.toModel().model, { intraOpNumThreads: 1 });
    try {
      const xData = rand(9, 16);
      const w1 = rand(6, 17);
      const w2 = w1.map((v, i) => (i % 2 === 0 ? 0 : v)); // a masked copy
      const r1 = await session.run({ x: f32(xData, [3, 3]), w: f32(w1, [3, 2]) });
      const r2 = await session.run({ x: f32(xData, [3, 3]), w: f32(w2, [3, 2]) });
      expectClose(r1.y, matmul(xData, w1, 3, 3, 2), [3, 2]);
      expectClose(r2.y, matmul(xData, w2, 3, 3, 2), [3, 2]);
      expect((r2.y.data as Float32Array)[0]).toBe(0);
    } finally {
      await releaseSession(session);
    }
  });

  it('an extra tap output on an intermediate value (renamed in place) plus a row-weighted sum-of-squares GEMV', async () => {
    const g = new OnnxGraphBuilder({ name: 'taps' });
    const x = g.input('x', 'float32', ['n', 3]);
    const rowW = g.input('row_weights', 'float32', [1, 'n']);
    const h = g.node('MatMul', [x, g.constant(new Float32Array([1, 0, 2, 0, 1, -1, 3, 1, 0]), [3, 3])]);
    expect(g.output(h, 'tap:hidden', 'float32', ['n', 3])).toBe('tap:hidden');
    // h keeps working as a name after being published, and so does the output name
    const relu = g.node('Relu', [h]);
    const sq = g.node('Mul', [h, 'tap:hidden']);
    g.output(g.node('MatMul', [rowW, sq]), 'tap:sumsq', 'float32', [1, 3]);
    g.output(relu, 'y', 'float32', ['n', 3]);
    g.output(x, 'x_copy', 'float32', ['n', 3]); // a graph input needs an Identity

    const built = g.toOnnx().model.graph;
    expect(built.node.find((n) => n.opType === 'MatMul')!.output).toEqual(['tap:hidden']);
    expect(built.node.filter((n) => n.opType === 'Identity').map((n) => n.output[0])).toEqual(['x_copy']);

    const xData = new Float32Array([1, 2, 3, -1, 0.5, 2]);
    const out = await run(g, { x: f32(xData, [2, 3]), row_weights: f32(new Float32Array([1, 0.5]), [1, 2]) });
    const hid = matmul(xData, [1, 0, 2, 0, 1, -1, 3, 1, 0], 2, 3, 3);
    expectClose(out['tap:hidden'], hid, [2, 3]);
    expectClose(out.y, hid.map((v) => Math.max(0, v)), [2, 3]);
    expectClose(out['tap:sumsq'], [0, 1, 2].map((j) => hid[j] ** 2 + 0.5 * hid[3 + j] ** 2), [1, 3]);
    expectClose(out.x_copy, xData, [2, 3]);
  });

  it('symbolic and fixed dims are visible in the session metadata', async () => {
    const g = new OnnxGraphBuilder({ name: 'meta' });
    const x = g.input('pixel_values', 'float32', ['batch', 3, 2, 2]);
    g.output(g.node('Flatten', [x], { attrs: { axis: 1 } }), 'flat', 'float32', ['batch', 12]);
    const { session } = await createOrtSession(g.toModel().model);
    try {
      expect(session.inputNames).toEqual(['pixel_values']);
      const m = session.inputMetadata[0];
      expect(m.isTensor && m.shape).toEqual(['batch', 3, 2, 2]);
      const o = session.outputMetadata[0];
      expect(o.isTensor && o.shape).toEqual(['batch', 12]);
    } finally {
      await releaseSession(session);
    }
  });
});
