import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BadSafetensorsError, InvalidArgumentError } from '../errors/index.js';
import { readSafetensors } from '../safetensors/read.js';
import { writeSafetensors } from '../safetensors/write.js';
import { loadMasks, saveMasks } from './mask-io.js';

const dir = mkdtempSync(join(tmpdir(), 'vlp-mask-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixturesDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..', '../shared/fixtures');

describe('saveMasks / loadMasks', () => {
  it('round-trips masks, shapes and metadata as U8 tensors', async () => {
    const path = join(dir, 'masks.safetensors');
    const masks = new Map([
      ['vision.layers.0.fc1.weight', Uint8Array.of(1, 0, 0, 1, 1, 1)],
      ['text.layers.0.q.weight', Uint8Array.of(0, 1, 1, 0)],
    ]);
    await saveMasks(path, masks, {
      shapes: new Map([
        ['vision.layers.0.fc1.weight', [2, 3]],
        ['unrelated.weight', [9, 9]],
      ]),
      metadata: { pruner: 'wanda', sparsity: '0.5' },
    });
    const file = await readSafetensors(path);
    try {
      expect(file.names).toEqual(['text.layers.0.q.weight', 'vision.layers.0.fc1.weight']);
      expect(file.info('vision.layers.0.fc1.weight')).toMatchObject({ dtype: 'U8', shape: [2, 3] });
      expect(file.info('text.layers.0.q.weight')).toMatchObject({ dtype: 'U8', shape: [4] });
    } finally {
      await file.close();
    }
    const loaded = await loadMasks(path);
    expect(loaded.masks).toEqual(masks);
    expect([...loaded.masks.keys()]).toEqual(['text.layers.0.q.weight', 'vision.layers.0.fc1.weight']);
    expect(loaded.shapes).toEqual(
      new Map([
        ['text.layers.0.q.weight', [4]],
        ['vision.layers.0.fc1.weight', [2, 3]],
      ]),
    );
    expect(loaded.metadata).toEqual({ pruner: 'wanda', sparsity: '0.5' });
  });

  it('loads the Python-written reference masks', async () => {
    const { masks, shapes, metadata } = await loadMasks(join(fixturesDir, 'hf', 'clip-tiny', 'reference', 'wanda_masks.safetensors'));
    expect(metadata).toEqual({ format: 'pt' });
    expect(masks.size).toBe(30);
    for (const [name, mask] of masks) {
      const shape = shapes.get(name)!;
      expect(shape).toHaveLength(2);
      expect(mask.length).toBe(shape[0] * shape[1]);
      expect(mask.every((v) => v === 0 || v === 1)).toBe(true);
    }
    const all = [...masks.values()].flatMap((m) => [...m]);
    expect(all).toContain(0);
    expect(all).toContain(1);
  });

  it('rejects a mask value other than 0/1, naming the unit, and writes nothing', async () => {
    const path = join(dir, 'bad-values.safetensors');
    const error: unknown = await saveMasks(path, new Map([['w', Uint8Array.of(1, 0, 2)]])).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/"w" has the value 2 at index 2/);
    expect((error as InvalidArgumentError).tensor).toBe('w');
    expect(readdirSync(dir)).not.toContain('bad-values.safetensors');
  });

  it('rejects a shape that does not hold the mask', async () => {
    const error: unknown = await saveMasks(join(dir, 'bad-shape.safetensors'), new Map([['w', Uint8Array.of(1, 0, 1)]]), {
      shapes: new Map([['w', [2, 2]]]),
    }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/"w" has 3 entries but its shape \[2,2\] holds 4/);
  });

  it('rejects a mask that is not a Uint8Array', async () => {
    const masks = new Map([['w', Float32Array.of(1, 0) as unknown as Uint8Array]]);
    await expect(saveMasks(join(dir, 'bad-type.safetensors'), masks)).rejects.toThrow(/"w" is not a Uint8Array/);
  });

  it('loadMasks rejects non-mask dtypes and values, naming file and tensor', async () => {
    const floatPath = join(dir, 'float.safetensors');
    await writeSafetensors(floatPath, new Map([['w', { dtype: 'F32', shape: [1], data: Float32Array.of(1) }]]));
    const twoPath = join(dir, 'two.safetensors');
    await writeSafetensors(twoPath, new Map([['m', { dtype: 'U8', shape: [2], data: Uint8Array.of(0, 2) }]]));
    for (const [path, tensor, says] of [
      [floatPath, 'w', /has dtype F32; masks are stored as U8/],
      [twoPath, 'm', /has the value 2 at index 1/],
    ] as const) {
      const error: unknown = await loadMasks(path).catch((e: unknown) => e);
      expect(BadSafetensorsError.isInstance(error)).toBe(true);
      expect((error as BadSafetensorsError).tensor).toBe(tensor);
      expect((error as Error).message).toContain(path);
      expect((error as Error).message).toMatch(says);
    }
  });
});
