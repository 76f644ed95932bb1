import * as ort from 'onnxruntime-node';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, tensorValues } from './decode.js';
import { externalizeInitializers } from './external-data.js';
import { OnnxGraphBuilder } from './graph-builder.js';
import { saveOnnxModel } from './save.js';
import { createOrtSession, releaseSession } from './session.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vlp-onnx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** x[2,10] · w1[10,30] · w2[30,20] + b[20]; w1 (1200 B) and w2 (2400 B) go external, b (80 B) stays inline. */
function twoLayer() {
  const w1 = Float32Array.from({ length: 300 }, (_, i) => ((i * 7) % 13) / 13 - 0.5);
  const w2 = Float32Array.from({ length: 600 }, (_, i) => ((i * 5) % 11) / 11 - 0.5);
  const b = Float32Array.from({ length: 20 }, (_, i) => i / 20);
  const g = new OnnxGraphBuilder({ name: 'two_layer' });
  const x = g.input('x', 'float32', ['batch', 10]);
  const h = g.node('MatMul', [x, g.initializer('w1', { dtype: 'float32', dims: [10, 30], data: w1 })]);
  const y = g.node('Add', [g.node('MatMul', [h, g.initializer('w2', { dtype: 'float32', dims: [30, 20], data: w2 })]), g.initializer('b', { dtype: 'float32', dims: [20], data: b })]);
  g.output(y, 'y', 'float32', ['batch', 20]);
  const xData = Float32Array.from({ length: 20 }, (_, i) => Math.sin(i));
  const expected = new Float64Array(40);
  for (let r = 0; r < 2; r++) {
    const hid = Array.from({ length: 30 }, (_, j) => {
      let s = 0;
      for (let k = 0; k < 10; k++) s += xData[r * 10 + k] * w1[k * 30 + j];
      return s;
    });
    for (let j = 0; j < 20; j++) {
      let s = b[j];
      for (let k = 0; k < 30; k++) s += hid[k] * w2[k * 20 + j];
      expected[r * 20 + j] = s;
    }
  }
  return { g, x: new ort.Tensor('float32', xData, [2, 10]), expected, w1, w2 };
}

function maxDiff(a: ort.Tensor, e: Float64Array): number {
  const d = a.data as Float32Array;
  expect(d.length).toBe(e.length);
  return d.reduce((m, v, i) => Math.max(m, Math.abs(v - e[i])), 0);
}

describe('external data', () => {
  it('lays out tensors above the threshold at aligned offsets', () => {
    const { g, w1, w2 } = twoLayer();
    const built = g.toModel({ externalData: { location: 'model.onnx_data', threshold: 1024 } });
    expect(built.externalDataLocation).toBe('model.onnx_data');
    expect(built.externalData!.byteLength).toBe(4096 + 2400);
    const inits = decodeModel(built.model).graph.initializer;
    const entries = (name: string) => Object.fromEntries(inits.find((t) => t.name === name)!.externalData!.map((e) => [e.key, e.value]));
    expect(entries('w1')).toEqual({ location: 'model.onnx_data', offset: '0', length: '1200' });
    expect(entries('w2')).toEqual({ location: 'model.onnx_data', offset: '4096', length: '2400' });
    const b = inits.find((t) => t.name === 'b')!;
    expect(b.dataLocation).toBeUndefined();
    expect(b.rawData!.byteLength).toBe(80);
    expect(Array.from(tensorValues(inits.find((t) => t.name === 'w2')!, built.externalData) as Float32Array)).toEqual(Array.from(w2));
    expect(Array.from(tensorValues(inits.find((t) => t.name === 'w1')!, built.externalData) as Float32Array)).toEqual(Array.from(w1));
    // Custom alignment, and nothing moved below the threshold.
    expect(g.toModel({ externalData: { location: 'd.bin', threshold: 1024, align: 64 } }).externalData!.byteLength).toBe(1216 + 2400);
    const none = g.toModel({ externalData: { location: 'd.bin', threshold: 1e9 } });
    expect(none.externalData).toBeUndefined();
  });

  it('rejects unsafe locations', () => {
    for (const location of ['', '/abs/data', '../up.bin', 'a/../b', 'C:\\x']) {
      expect(() => externalizeInitializers([], { location })).toThrow(/relative path/);
    }
  });

  it('saves both files atomically and runs the model from its path', async () => {
    const { g, x, expected } = twoLayer();
    const built = g.toModel({ externalData: { location: 'model.onnx_data', threshold: 1024 } });
    const saved = await saveOnnxModel(join(dir, 'm1'), 'model.onnx', built);
    expect(saved).toEqual({ modelPath: join(dir, 'm1', 'model.onnx'), externalDataPath: join(dir, 'm1', 'model.onnx_data') });
    expect((await readdir(join(dir, 'm1'))).sort()).toEqual(['model.onnx', 'model.onnx_data']);
    expect(new Uint8Array(await readFile(saved.externalDataPath!))).toEqual(built.externalData);
    const { session } = await createOrtSession(saved.modelPath, { intraOpNumThreads: 1 });
    try {
      const out = await session.run({ x });
      expect(maxDiff(out.y, expected)).toBeLessThan(1e-6);
    } finally {
      await releaseSession(session);
    }
  });

  it('runs from bytes with the side file passed in memory', async () => {
    const { g, x, expected } = twoLayer();
    const built = g.toModel({ externalData: { location: 'weights.bin', threshold: 1024 } });
    const { session } = await createOrtSession(built.model, {
      intraOpNumThreads: 1,
      externalData: [{ path: built.externalDataLocation!, data: built.externalData! }],
    });
    try {
      expect(maxDiff((await session.run({ x })).y, expected)).toBeLessThan(1e-6);
    } finally {
      await releaseSession(session);
    }
  });

  it('saves a model without external data as a single file (overwriting)', async () => {
    const { g, x, expected } = twoLayer();
    const built = g.toModel();
    await saveOnnxModel(join(dir, 'm2'), 'model.onnx', built);
    const saved = await saveOnnxModel(join(dir, 'm2'), 'model.onnx', built);
    expect(await readdir(join(dir, 'm2'))).toEqual(['model.onnx']);
    const { session } = await createOrtSession(saved.modelPath);
    try {
      expect(maxDiff((await session.run({ x })).y, expected)).toBeLessThan(1e-6);
    } finally {
      await releaseSession(session);
    }
  });
});
