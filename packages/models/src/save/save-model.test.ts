import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, InvalidArgumentError, IoError, readSafetensors, VlpError } from '@vlp/core';
import { clipArchFromConfig } from '../clip/clip-arch.js';
import { parseClipConfig } from '../clip/clip-config.js';
import { compactClip } from '../clip/clip-compact.js';
import type { ClipModel } from '../clip/clip-model.js';
import { expectedClipParams } from '../clip/clip-params.js';
import { HF_FIXTURES, readReference } from '../testing/fixtures.js';
import { saveModel } from './save-model.js';
import { SIDE_FILES } from './side-files.js';
import { editClipGeometry, loadClip } from './test-geometry.js';
import { VLP_LAYER_SHAPES_KEY } from './vlp-layer-shapes.js';

const source = path.join(HF_FIXTURES, 'clip-tiny');
const root = mkdtempSync(path.join(os.tmpdir(), 'vlp-save-'));
let counter = 0;
const fresh = () => path.join(root, `case-${counter++}`);

const OUTPUTS = ['imageEmbeds', 'textEmbeds', 'logitsPerImage', 'logitsPerText'] as const;

describe('saveModel (CLIP)', () => {
  let model: ClipModel;
  let inputs: Map<string, tf.Tensor>;

  beforeAll(async () => {
    await initBackend();
    model = await loadClip(source);
    inputs = await readReference(path.join(source, 'reference/inputs.safetensors'));
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values()]);
    rmSync(root, { recursive: true, force: true });
  });

  /** Forward outputs (+ last hidden states) as plain arrays. */
  async function outputs(m: ClipModel): Promise<Record<string, Float32Array>> {
    const out = await m.forward({
      pixelValues: inputs.get('pixel_values') as tf.Tensor,
      inputIds: inputs.get('input_ids') as tf.Tensor,
      attentionMask: inputs.get('attention_mask') as tf.Tensor,
      engine: 'onnx',
    });
    const result: Record<string, Float32Array> = {};
    for (const key of OUTPUTS) result[key] = out[key].dataSync() as Float32Array;
    result.vision = out.visionModelOutput.lastHiddenState.dataSync() as Float32Array;
    result.text = out.textModelOutput.lastHiddenState.dataSync() as Float32Array;
    tf.dispose([...OUTPUTS.map((k) => out[k]), out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput, out.textModelOutput.lastHiddenState, out.textModelOutput.poolerOutput]);
    return result;
  }

  /** Every parameter of `a` equals `b`'s (under `rename`) bit for bit, and nothing else is in `b`. */
  function expectSameParams(a: ClipModel, b: ClipModel, rename: (name: string) => string = (n) => n): void {
    expect(b.params.names().sort()).toEqual(a.params.names().map(rename).sort());
    for (const name of a.params.names()) {
      const [x, y] = [a.params.get(name), b.params.get(rename(name))];
      expect(y.shape, name).toEqual(x.shape);
      expect(Buffer.from(y.data.buffer, y.data.byteOffset, y.data.byteLength).equals(Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength)), name).toBe(true);
    }
  }

  async function roundTrip(m: ClipModel, check: (dir: string, saved: Awaited<ReturnType<typeof saveModel>>) => void | Promise<void>): Promise<ClipModel> {
    const dir = fresh();
    const saved = await saveModel(m, dir);
    await check(dir, saved);
    return loadClip(dir);
  }

  it('round-trips a dense model: same config, byte-identical weights file, copied tokenizer files, equal outputs', async () => {
    const reloaded = await roundTrip(model, (dir, saved) => {
      expect(saved.geometry).toBe('config');
      expect(saved.dir).toBe(dir);
      const present = SIDE_FILES.filter((f) => existsSync(path.join(source, f)));
      expect([...saved.files].sort()).toEqual(['config.json', 'model.safetensors', ...present].sort());
      expect(readdirSync(dir).sort()).toEqual([...saved.files].sort());
      expect(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(path.join(source, 'config.json'), 'utf8')));
      // F32 + {"format":"pt"} + canonical order: exactly what save_pretrained wrote.
      expect(readFileSync(path.join(dir, 'model.safetensors')).equals(readFileSync(path.join(source, 'model.safetensors')))).toBe(true);
      for (const f of present) expect(readFileSync(path.join(dir, f)).equals(readFileSync(path.join(source, f))), f).toBe(true);
    });
    try {
      expectSameParams(model, reloaded);
      expect(reloaded.arch).toEqual(model.arch);
      expect(await outputs(reloaded)).toEqual(await outputs(model));
    } finally {
      await reloaded.dispose();
    }
  });

  it('writes F32 tensors with __metadata__ {"format":"pt"}', async () => {
    const dir = fresh();
    await saveModel(model, dir);
    const file = await readSafetensors(path.join(dir, 'model.safetensors'));
    try {
      expect(file.metadataEntries).toEqual([['format', 'pt']]);
      expect(new Set(file.names.map((n) => file.info(n).dtype))).toEqual(new Set(['F32']));
    } finally {
      await file.close();
    }
  });

  it('round-trips a masked model with its config unchanged', async () => {
    const masked = editClipGeometry(model, []);
    for (const name of ['vision_model.encoder.layers.0.self_attn.q_proj.weight', 'text_model.encoder.layers.1.mlp.fc1.weight']) {
      const data = masked.params.get(name).data.slice();
      for (let i = 0; i < data.length; i += 2) data[i] = 0;
      masked.params.set(name, data);
    }
    const reloaded = await roundTrip(masked, (dir, saved) => {
      expect(saved.geometry).toBe('config');
      expect(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'))).toEqual(model.config.raw);
    });
    try {
      expectSameParams(masked, reloaded);
      const got = await outputs(reloaded);
      expect(got).toEqual(await outputs(masked));
      expect(got.imageEmbeds).not.toEqual((await outputs(model)).imageEmbeds);
    } finally {
      await Promise.all([reloaded.dispose(), masked.dispose()]);
    }
  });

  it('records a non-uniform geometry in vlp_layer_shapes and reloads it exactly', async () => {
    const compact = editClipGeometry(model, [
      { tower: 'vision', index: 0, heads: 3, neurons: 100 },
      { tower: 'vision', index: 1, drop: true },
      { tower: 'text', index: 1, neurons: 50 },
    ]);
    const reloaded = await roundTrip(compact, (dir, saved) => {
      expect(saved.geometry).toBe('vlp_layer_shapes');
      const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
      const { [VLP_LAYER_SHAPES_KEY]: field, ...rest } = config;
      expect(rest).toEqual(model.config.raw); // the *_config blocks still describe the original model
      const layer = (index: number, heads: number, mlp: number) => ({ index, num_attention_heads: heads, head_dim: 16, attention_scale: 0.25, intermediate_size: mlp });
      const text = (index: number, mlp: number) => ({ index, num_attention_heads: 4, head_dim: 12, attention_scale: 12 ** -0.5, intermediate_size: mlp });
      expect(field).toEqual({ format_version: 1, vision: [layer(0, 3, 100), layer(2, 4, 128)], text: [text(0, 96), text(1, 50)] });
    });
    try {
      expect(reloaded.arch).toEqual(compact.arch);
      expectSameParams(compact, reloaded);
      expect(await outputs(reloaded)).toEqual(await outputs(compact));
    } finally {
      await Promise.all([reloaded.dispose(), compact.dispose()]);
    }
  });

  it('writes a stock config (no vlp field, layers renumbered) for a uniform reduced geometry', async () => {
    const compact = editClipGeometry(model, [
      ...[0, 1, 2].map((index) => ({ tower: 'vision' as const, index, neurons: 100 })),
      { tower: 'vision', index: 1, drop: true },
      { tower: 'text', index: 0, drop: true },
    ]);
    const rename = (n: string) => n.replace('vision_model.encoder.layers.2.', 'vision_model.encoder.layers.1.').replace('text_model.encoder.layers.1.', 'text_model.encoder.layers.0.');
    const reloaded = await roundTrip(compact, async (dir, saved) => {
      expect(saved.geometry).toBe('stock');
      const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
      expect(config[VLP_LAYER_SHAPES_KEY]).toBeUndefined();
      const raw = model.config.raw as Record<string, Record<string, unknown>>;
      expect(config.vision_config).toEqual({ ...raw.vision_config, intermediate_size: 100, num_hidden_layers: 2, num_attention_heads: 4 });
      expect(config.text_config).toEqual({ ...raw.text_config, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 96 });
      // What transformers would instantiate from this config is exactly what the file holds.
      const parsed = parseClipConfig(config);
      const expected = expectedClipParams(parsed, clipArchFromConfig(parsed));
      const file = await readSafetensors(path.join(dir, 'model.safetensors'));
      try {
        expect([...file.names].sort()).toEqual([...expected.keys()].sort());
        for (const name of file.names) expect(file.info(name).shape, name).toEqual(expected.get(name));
      } finally {
        await file.close();
      }
    });
    try {
      expectSameParams(compact, reloaded, rename);
      expect(await outputs(reloaded)).toEqual(await outputs(compact));
    } finally {
      await Promise.all([reloaded.dispose(), compact.dispose()]);
    }
  });

  it('round-trips a model compacted by compactClip (heads, channels, neurons, a layer)', async () => {
    const removed = [
      'vision.0.attn.head.1',
      'text.1.attn.channel.0',
      'text.1.attn.channel.5',
      ...Array.from({ length: 20 }, (_, n) => `vision.2.mlp.neuron.${3 * n}`),
      'text.0.layer',
    ];
    const compact = compactClip(model, { removed });
    const reloaded = await roundTrip(compact, (_dir, saved) => expect(saved.geometry).toBe('vlp_layer_shapes'));
    try {
      expect(reloaded.arch).toEqual(compact.arch);
      expect(reloaded.arch.text.layers[0]?.attention).toEqual({ heads: 4, headDim: 10, scale: 12 ** -0.5 });
      expectSameParams(compact, reloaded);
      expect(await outputs(reloaded)).toEqual(await outputs(compact));
    } finally {
      await Promise.all([reloaded.dispose(), compact.dispose()]);
    }
  });

  it('refuses a non-empty directory unless overwrite, and then replaces it', async () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'keep.txt'), 'mine');
    const error: unknown = await saveModel(model, dir).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as VlpError).message).toContain(dir);
    expect((error as VlpError).message).toContain('overwrite: true');
    expect(readdirSync(dir)).toEqual(['keep.txt']);
    await saveModel(model, dir, { overwrite: true });
    expect(readdirSync(dir)).not.toContain('keep.txt');
    expect(readdirSync(dir)).toContain('model.safetensors');
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('accepts an existing empty directory and creates missing parents', async () => {
    const empty = fresh();
    mkdirSync(empty);
    await saveModel(model, empty);
    expect(readdirSync(empty)).toContain('config.json');
    const nested = path.join(fresh(), 'a', 'b');
    await saveModel(model, nested);
    expect(readdirSync(nested)).toContain('model.safetensors');
  });

  it('an unwritable location is an IoError naming the path and leaves nothing behind', async () => {
    const blocker = path.join(fresh());
    writeFileSync(blocker, 'a file, not a directory');
    const before = readdirSync(root).sort();
    const target = path.join(blocker, 'sub', 'model');
    const error: unknown = await saveModel(model, target).catch((e: unknown) => e);
    expect(IoError.isInstance(error)).toBe(true);
    expect((error as VlpError).message).toContain(target);
    expect(readdirSync(root).sort()).toEqual(before);
  });

  it('a failure while writing leaves no directory and no staging files', async () => {
    const badSource = fresh();
    mkdirSync(path.join(badSource, 'tokenizer.json'), { recursive: true }); // a directory where a file is expected
    const before = readdirSync(root).sort();
    const target = path.join(fresh(), 'new-parent', 'model');
    const error: unknown = await saveModel(model, target, { sourceDir: badSource }).catch((e: unknown) => e);
    expect(IoError.isInstance(error)).toBe(true);
    expect((error as VlpError).message).toContain(path.join(badSource, 'tokenizer.json'));
    expect(existsSync(target)).toBe(false);
    // The parent directories this call created are gone too.
    expect(readdirSync(root).sort()).toEqual(before);
  });

  it('rejects a malformed vlp_layer_shapes field when loading, naming the entry', async () => {
    const dir = fresh();
    const compact = editClipGeometry(model, [{ tower: 'vision', index: 0, heads: 3 }]);
    await saveModel(compact, dir);
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
    config[VLP_LAYER_SHAPES_KEY].vision[1].index = 0;
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    const error: unknown = await loadClip(dir).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('vlp_layer_shapes.vision[1].index');
    await compact.dispose();
  });
});
