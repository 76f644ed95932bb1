import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VlpError } from '@vlp/core';
import { runSmoke } from './smoke.js';

const clipTiny = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/hf/clip-tiny');

describe('runSmoke', () => {
  it('reads every tensor of clip-tiny on the wasm backend', async () => {
    const result = await runSmoke(clipTiny);
    expect(result.backend).toBe('wasm');
    expect(result.tensors).toBe(94); // TENSORS.md: clip-tiny/model.safetensors (94 tensors)
    expect(result.parameters).toBeGreaterThan(100_000);
    expect(result.parameters).toBe(Math.round((693_884 - 8 - result.headerBytes) / 4));
  });

  it('names the directory when model.safetensors is missing', async () => {
    const error = await runSmoke(path.join(clipTiny, 'reference')).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_MODEL_FILE_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('reference');
  });
});
