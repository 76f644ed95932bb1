/**
 * The path where the CUDA provider library file exists but cannot load (no GPU or no CUDA runtime):
 * `existsSync` is mocked to report the file, so ORT really attempts CUDA, fails, and the helper falls back.
 * ORT's native logger prints one error line to stderr here; that output is not ours.
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it, vi } from 'vitest';
import { OnnxGraphBuilder } from './graph-builder.js';
import { createOrtSession, releaseSession } from './session.js';

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    existsSync: (p: import('node:fs').PathLike) => /onnxruntime_providers_cuda\.(so|dll)$/.test(String(p)) || fs.existsSync(p),
  };
});

describe.runIf(process.arch === 'x64' && (process.platform === 'linux' || process.platform === 'win32'))('createOrtSession CUDA attempt', () => {
  it('catches ORT’s "Failed to load shared library" and falls back to CPU', async () => {
    const g = new OnnxGraphBuilder({ name: 'neg' });
    g.output(g.node('Neg', [g.input('x', 'float32', [2])]), 'y', 'float32', [2]);
    const handle = await createOrtSession(g.toModel().model, { executionProviders: ['cuda', 'cpu'], intraOpNumThreads: 1 });
    try {
      expect(handle.provider).toBe('cpu');
      expect(handle.warning).toMatch(/CUDA provider unavailable \(.*Cuda.*\)/);
      const out = await handle.session.run({ x: new ort.Tensor('float32', new Float32Array([3, -4]), [2]) });
      expect(Array.from(out.y.data as Float32Array)).toEqual([-3, 4]);
    } finally {
      await releaseSession(handle);
    }
  });
});
