import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from './graph-builder.js';
import { createOrtSession, releaseSession } from './session.js';

function negModel(): Uint8Array {
  const g = new OnnxGraphBuilder({ name: 'neg' });
  g.output(g.node('Neg', [g.input('x', 'float32', [3])]), 'y', 'float32', [3]);
  return g.toModel().model;
}

const x = () => new ort.Tensor('float32', new Float32Array([1, -2, 0.5]), [3]);

describe('createOrtSession', () => {
  it('creates a CPU session by default and releases it (twice is harmless)', async () => {
    const handle = await createOrtSession(negModel(), { intraOpNumThreads: 1 });
    expect(handle.provider).toBe('cpu');
    expect(handle.warning).toBeUndefined();
    const out = await handle.session.run({ x: x() });
    expect(Array.from(out.y.data as Float32Array)).toEqual([-1, 2, -0.5]);
    await releaseSession(handle);
    await releaseSession(handle.session);
  });

  it('falls back from CUDA to CPU with a warning on a machine without CUDA', async () => {
    const handle = await createOrtSession(negModel(), { executionProviders: ['cuda'], intraOpNumThreads: 1 });
    try {
      expect(handle.provider).toBe('cpu');
      expect(handle.warning).toMatch(/^ONNX Runtime fell back to the CPU provider: CUDA provider unavailable \(.+\)/);
      const out = await handle.session.run({ x: x() });
      expect(Array.from(out.y.data as Float32Array)).toEqual([-1, 2, -0.5]);
    } finally {
      await releaseSession(handle);
    }
  });

  it('throws for an invalid model instead of hiding it', async () => {
    await expect(createOrtSession(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow();
    await expect(createOrtSession(new Uint8Array([1, 2, 3, 4]), { executionProviders: 'cuda' })).rejects.toThrow();
  });
});
