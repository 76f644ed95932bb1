import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, InvalidArgumentError, readSafetensors } from '@vlp/core';
import type { ClipModel } from '../clip/clip-model.js';
import { decodeModel } from '../onnx/decode.js';
import { editClipGeometry, loadClip } from '../save/test-geometry.js';
import { HF_FIXTURES } from '../testing/fixtures.js';
import { exportOnnx } from './export-onnx.js';

const source = path.join(HF_FIXTURES, 'clip-tiny');
const root = mkdtempSync(path.join(os.tmpdir(), 'vlp-export-'));
let counter = 0;
const fresh = () => path.join(root, `case-${counter++}`);

interface Host {
  data: Float32Array | BigInt64Array;
  dims: number[];
}

async function readAll(file: string): Promise<Map<string, Host>> {
  const st = await readSafetensors(file);
  const out = new Map<string, Host>();
  try {
    for (const name of st.names) {
      const t = await st.read(name);
      out.set(name, { data: t.data as Float32Array | BigInt64Array, dims: t.shape });
    }
  } finally {
    await st.close();
  }
  return out;
}

/** `max|got − ref| / max(1, max|ref|)`, Infinity on a shape mismatch. */
function relError(got: ort.Tensor | undefined, ref: { data: ArrayLike<number>; dims: readonly number[] }): number {
  if (!got || got.dims.join() !== ref.dims.join()) return Number.POSITIVE_INFINITY;
  const g = got.data as Float32Array;
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < ref.data.length; i++) {
    diff = Math.max(diff, Math.abs((g[i] as number) - (ref.data[i] as number)));
    scale = Math.max(scale, Math.abs(ref.data[i] as number));
  }
  return diff / scale;
}

const TOL = 2e-5;
const open = (file: string) => ort.InferenceSession.create(file, { logSeverityLevel: 3, intraOpNumThreads: 1 });
const tensor = (h: Host) => new ort.Tensor(h.data instanceof BigInt64Array ? 'int64' : 'float32', h.data, h.dims);

/** The first `s` tokens of each `[B, L]` row. */
function firstTokens(h: Host, s: number): Host {
  const [b, l] = h.dims as [number, number];
  const out = new BigInt64Array(b * s);
  for (let r = 0; r < b; r++) out.set((h.data as BigInt64Array).subarray(r * l, r * l + s), r * s);
  return { data: out, dims: [b, s] };
}

describe('exportOnnx (CLIP), run by onnxruntime-node alone', () => {
  let model: ClipModel;
  let inputs: Map<string, Host>;
  let refs: Map<string, Host>;
  let denseDir: string;
  const feeds = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, tensor(inputs.get(n) as Host)]));

  beforeAll(async () => {
    await initBackend();
    model = await loadClip(source);
    inputs = await readAll(path.join(source, 'reference/inputs.safetensors'));
    refs = await readAll(path.join(source, 'reference/outputs.safetensors'));
    denseDir = fresh();
    await exportOnnx(model, denseDir);
  });
  afterAll(async () => {
    await model.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  /** Runs the three exported files on the reference inputs and checks them against `expected`. */
  async function expectReproduces(dir: string, expected: (name: string) => Host): Promise<void> {
    const full = await open(path.join(dir, 'model.onnx'));
    const out = await full.run(feeds(full.inputNames));
    for (const name of ['logits_per_image', 'logits_per_text', 'text_embeds', 'image_embeds']) {
      expect(relError(out[name], expected(name) as never), name).toBeLessThanOrEqual(TOL);
    }
    const vision = await open(path.join(dir, 'vision_model.onnx'));
    const v = await vision.run(feeds(vision.inputNames));
    expect(relError(v.image_embeds, expected('image_features') as never), 'vision image_embeds').toBeLessThanOrEqual(TOL);
    expect(relError(v.last_hidden_state, expected('vision_model.last_hidden_state') as never), 'vision last_hidden_state').toBeLessThanOrEqual(TOL);
    const text = await open(path.join(dir, 'text_model.onnx'));
    const t = await text.run(feeds(text.inputNames));
    expect(relError(t.text_embeds, expected('text_features') as never), 'text text_embeds').toBeLessThanOrEqual(TOL);
    expect(relError(t.last_hidden_state, expected('text_model.last_hidden_state') as never), 'text last_hidden_state').toBeLessThanOrEqual(TOL);
    await Promise.all([full.release(), vision.release(), text.release()]);
  }

  it('writes model.onnx, vision_model.onnx and text_model.onnx with the Hugging Face input/output names', async () => {
    expect(readdirSync(denseDir).sort()).toEqual(['model.onnx', 'text_model.onnx', 'vision_model.onnx']);
    const names = async (file: string) => {
      const s = await open(path.join(denseDir, file));
      const io = { inputs: [...s.inputNames], outputs: [...s.outputNames] };
      await s.release();
      return io;
    };
    expect(await names('model.onnx')).toEqual({
      inputs: ['pixel_values', 'input_ids', 'attention_mask'],
      outputs: ['logits_per_image', 'logits_per_text', 'text_embeds', 'image_embeds'],
    });
    expect(await names('vision_model.onnx')).toEqual({ inputs: ['pixel_values'], outputs: ['image_embeds', 'last_hidden_state'] });
    expect(await names('text_model.onnx')).toEqual({ inputs: ['input_ids', 'attention_mask'], outputs: ['text_embeds', 'last_hidden_state'] });
  });

  it('reproduces the transformers reference outputs', async () => {
    await expectReproduces(denseDir, (name) => refs.get(name) as Host);
  });

  it('embeds each graph’s own weights only, every initializer used, symbolic batch and sequence axes', () => {
    const text = decodeModel(readFileSync(path.join(denseDir, 'text_model.onnx'))).graph;
    const used = new Set(text.node.flatMap((n) => n.input));
    expect(text.initializer.filter((t) => !used.has(t.name as string)).map((t) => t.name)).toEqual([]);
    expect(text.initializer.some((t) => t.name?.startsWith('vision_model.'))).toBe(false);
    expect(text.initializer.some((t) => t.name?.startsWith('text_model.encoder.layers.1.mlp.fc2.weight'))).toBe(true);
    expect(text.input.map((i) => i.shape)).toEqual([
      ['batch_size', 'sequence_length'],
      ['batch_size', 'sequence_length'],
    ]);
    const full = decodeModel(readFileSync(path.join(denseDir, 'model.onnx'))).graph;
    expect(full.input.map((i) => i.shape?.[0])).toEqual(['image_batch_size', 'text_batch_size', 'text_batch_size']);
    expect(full.output.map((o) => o.shape)).toEqual([
      ['image_batch_size', 'text_batch_size'],
      ['text_batch_size', 'image_batch_size'],
      ['text_batch_size', 32],
      ['image_batch_size', 32],
    ]);
  });

  it('accepts unpadded text of any length up to max_position_embeddings (equal to the padded run), and rejects longer', async () => {
    // Log level 4: the rejected run below would otherwise print ORT's error to stderr.
    const text = await ort.InferenceSession.create(path.join(denseDir, 'text_model.onnx'), { logSeverityLevel: 4, intraOpNumThreads: 1 });
    const ref = refs.get('text_model.last_hidden_state') as Host;
    const features = refs.get('text_features') as Host;
    const pooled = [6, 11, 15]; // reference/inputs.json pooled_positions
    for (const s of [7, 12]) {
      const out = await text.run({ input_ids: tensor(firstTokens(inputs.get('input_ids') as Host, s)), attention_mask: tensor(firstTokens(inputs.get('attention_mask') as Host, s)) });
      const [b, l, d] = ref.dims as [number, number, number];
      const cut = new Float32Array(b * s * d);
      for (let r = 0; r < b; r++) cut.set((ref.data as Float32Array).subarray(r * l * d, (r * l + s) * d), r * s * d);
      expect(relError(out.last_hidden_state, { data: cut, dims: [b, s, d] }), `S=${s}`).toBeLessThanOrEqual(TOL); // causal: prefix unchanged
      const p = features.dims[1] as number;
      pooled.forEach((position, row) => {
        if (position >= s) return;
        const got = (out.text_embeds?.data as Float32Array).subarray(row * p, (row + 1) * p);
        const want = (features.data as Float32Array).subarray(row * p, (row + 1) * p);
        expect(relError(new ort.Tensor('float32', got.slice(), [p]), { data: want, dims: [p] }), `S=${s} row ${row}`).toBeLessThanOrEqual(TOL);
      });
    }
    const long = { data: new BigInt64Array(17).fill(5n), dims: [1, 17] };
    await expect(text.run({ input_ids: tensor(long), attention_mask: tensor({ data: new BigInt64Array(17).fill(1n), dims: [1, 17] }) })).rejects.toThrow(/input_ids_longer_than_16_tokens/);
    await text.release();
  });

  it('stores weights as external data (<file>.onnx_data) when asked, loaded from disk by ORT', async () => {
    const dir = fresh();
    const exported = await exportOnnx(model, dir, { externalDataThreshold: 0 });
    expect(exported.files.map((f) => [f.file, f.externalDataFile])).toEqual([
      ['model.onnx', 'model.onnx_data'],
      ['vision_model.onnx', 'vision_model.onnx_data'],
      ['text_model.onnx', 'text_model.onnx_data'],
    ]);
    expect(statSync(path.join(dir, 'model.onnx')).size).toBeLessThan(statSync(path.join(dir, 'model.onnx_data')).size);
    await expectReproduces(dir, (name) => refs.get(name) as Host);
  });

  it('a masked model’s export reproduces the masked model', async () => {
    const masked = editClipGeometry(model, []);
    for (const name of ['vision_model.encoder.layers.1.mlp.fc1.weight', 'text_model.encoder.layers.0.self_attn.v_proj.weight', 'visual_projection.weight']) {
      const data = masked.params.get(name).data.slice();
      for (let i = 0; i < data.length; i += 3) data[i] = 0;
      masked.params.set(name, data);
    }
    const dir = fresh();
    await exportOnnx(masked, dir);
    const expected = await vlpOutputs(masked);
    expect(relError(tensor(expected('image_embeds')) as ort.Tensor, refs.get('image_embeds') as never)).toBeGreaterThan(1e-3); // the mask matters
    await expectReproduces(dir, expected);
    await masked.dispose();
  });

  it('a compacted (non-uniform, dropped layer) model’s export reproduces it', async () => {
    const compact = editClipGeometry(model, [
      { tower: 'vision', index: 0, heads: 3, neurons: 100 },
      { tower: 'vision', index: 1, drop: true },
      { tower: 'text', index: 1, heads: 2, neurons: 40 },
    ]);
    const dir = fresh();
    await exportOnnx(compact, dir, { externalDataThreshold: Number.POSITIVE_INFINITY });
    await expectReproduces(dir, await vlpOutputs(compact));
    await compact.dispose();
  });

  it('exports a fixed sequence length on request and validates options', async () => {
    const dir = fresh();
    await exportOnnx(model, dir, { sequenceLength: 16, graphs: ['text_model'] });
    expect(readdirSync(dir)).toEqual(['text_model.onnx']);
    const text = await open(path.join(dir, 'text_model.onnx'));
    const out = await text.run(feeds(['input_ids', 'attention_mask']));
    expect(relError(out.text_embeds, refs.get('text_features') as never)).toBeLessThanOrEqual(TOL);
    await text.release();
    expect(decodeModel(readFileSync(path.join(dir, 'text_model.onnx'))).graph.input[0]?.shape).toEqual(['batch_size', 16]);
    for (const bad of [{ sequenceLength: 17 }, { sequenceLength: 0 }, { externalDataThreshold: -1 }, { graphs: [] }]) {
      await expect(exportOnnx(model, fresh(), bad)).rejects.toSatisfy((e: unknown) => InvalidArgumentError.isInstance(e));
    }
  });

  it('refuses a non-empty directory unless overwrite', async () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'other'), 'x');
    await expect(exportOnnx(model, dir, { graphs: ['vision_model'] })).rejects.toThrow(dir);
    await exportOnnx(model, dir, { graphs: ['vision_model'], overwrite: true });
    expect(readdirSync(dir)).toEqual(['vision_model.onnx']);
  });

  /** The vlp model's own outputs (ONNX Runtime engine) under the reference names. */
  async function vlpOutputs(m: ClipModel): Promise<(name: string) => Host> {
    const pixels = inputs.get('pixel_values') as Host;
    const ids = inputs.get('input_ids') as Host;
    const mask = inputs.get('attention_mask') as Host;
    const px = tf.tensor(pixels.data as Float32Array, pixels.dims);
    const idT = tf.tensor(Int32Array.from(ids.data as BigInt64Array, Number), ids.dims, 'int32');
    const maskT = tf.tensor(Int32Array.from(mask.data as BigInt64Array, Number), mask.dims, 'int32');
    const out = await m.forward({ pixelValues: px, inputIds: idT, attentionMask: maskT, engine: 'onnx' });
    const image = await m.getImageFeatures(px, { engine: 'onnx' });
    const text = await m.getTextFeatures(idT, maskT, { engine: 'onnx' });
    const host = (t: tf.Tensor): Host => ({ data: t.dataSync() as Float32Array, dims: t.shape });
    const result = new Map<string, Host>([
      ['logits_per_image', host(out.logitsPerImage)],
      ['logits_per_text', host(out.logitsPerText)],
      ['text_embeds', host(out.textEmbeds)],
      ['image_embeds', host(out.imageEmbeds)],
      ['image_features', host(image)],
      ['text_features', host(text)],
      ['vision_model.last_hidden_state', host(out.visionModelOutput.lastHiddenState)],
      ['text_model.last_hidden_state', host(out.textModelOutput.lastHiddenState)],
    ]);
    tf.dispose([px, idT, maskT, image, text, out.logitsPerImage, out.logitsPerText, out.textEmbeds, out.imageEmbeds]);
    tf.dispose([out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput, out.textModelOutput.lastHiddenState, out.textModelOutput.poolerOutput]);
    return (name) => result.get(name) as Host;
  }
});
