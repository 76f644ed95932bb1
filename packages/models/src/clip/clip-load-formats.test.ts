import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { float32ToBfloat16Bits, float32ToFloat16Bits, initBackend, readSafetensors, writeSafetensors } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference, relativeError } from '../testing/fixtures.js';
import { parseClipConfig } from './clip-config.js';
import type { ClipModel } from './clip-model.js';

const dir = path.join(HF_FIXTURES, 'clip-tiny');

async function fixtureTensors(): Promise<{ name: string; shape: number[]; data: Float32Array }[]> {
  const st = await readSafetensors(path.join(dir, 'model.safetensors'));
  const out = [];
  for (const name of st.names) out.push({ name, shape: [...st.info(name).shape], data: await st.readFloat32(name) });
  await st.close();
  return out;
}

describe('loading CLIP checkpoints in other layouts', () => {
  const tmp: string[] = [];
  let reference: ClipModel;
  let inputs: Map<string, tf.Tensor>;
  const copyWithout = (...drop: string[]) => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'vlp-clip-fmt-'));
    tmp.push(d);
    cpSync(dir, d, { recursive: true, filter: (src) => !drop.includes(path.basename(src)) });
    return d;
  };
  const imageEmbeds = async (m: ClipModel) => {
    const out = await m.getImageFeatures(inputs.get('pixel_values') as tf.Tensor);
    return out;
  };

  beforeAll(async () => {
    await initBackend();
    reference = (await loadModel(dir)) as ClipModel;
    inputs = await readReference(path.join(dir, 'reference/inputs.safetensors'));
  });
  afterAll(async () => {
    await reference.dispose();
    tf.dispose([...inputs.values()]);
    tmp.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('reads sharded checkpoints through model.safetensors.index.json', async () => {
    const d = copyWithout('model.safetensors');
    const tensors = await fixtureTensors();
    const half = Math.floor(tensors.length / 2);
    const shards = [tensors.slice(0, half), tensors.slice(half)];
    const weightMap: Record<string, string> = {};
    for (const [i, shard] of shards.entries()) {
      const file = `model-0000${i + 1}-of-00002.safetensors`;
      await writeSafetensors(path.join(d, file), shard.map((t) => ({ name: t.name, dtype: 'F32', shape: t.shape, data: t.data })), { format: 'pt' });
      for (const t of shard) weightMap[t.name] = file;
    }
    writeFileSync(path.join(d, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }));
    const sharded = (await loadModel(d)) as ClipModel;
    for (const name of reference.params.names()) expect(Array.from(sharded.params.get(name).data), name).toEqual(Array.from(reference.params.get(name).data));
    await sharded.dispose();
  });

  for (const dtype of ['F16', 'BF16'] as const) {
    it(`upcasts ${dtype} weights to float32 (outputs within ${dtype} precision)`, async () => {
      const d = copyWithout('model.safetensors');
      const tensors = await fixtureTensors();
      const encode = dtype === 'F16' ? float32ToFloat16Bits : float32ToBfloat16Bits;
      await writeSafetensors(
        path.join(d, 'model.safetensors'),
        tensors.map((t) => ({ name: t.name, dtype, shape: t.shape, data: encode(t.data) })),
        { format: 'pt' },
      );
      const low = (await loadModel(d)) as ClipModel;
      const w = low.params.get('vision_model.encoder.layers.0.mlp.fc1.weight').data;
      const ref = reference.params.get('vision_model.encoder.layers.0.mlp.fc1.weight').data;
      const bound = dtype === 'F16' ? 2 ** -10 : 2 ** -7;
      for (let i = 0; i < w.length; i += 97) expect(Math.abs((w[i] as number) - (ref[i] as number))).toBeLessThanOrEqual(Math.abs(ref[i] as number) * bound + 1e-7);
      const [a, b] = [await imageEmbeds(low), await imageEmbeds(reference)];
      const err = relativeError(a, b);
      expect(err).toBeGreaterThan(0);
      expect(err).toBeLessThan(dtype === 'F16' ? 2e-2 : 1e-1);
      tf.dispose([a, b]);
      await low.dispose();
    });
  }

  it('skips the int64 position_ids buffers older exports store', async () => {
    const d = copyWithout('model.safetensors');
    const tensors = await fixtureTensors();
    await writeSafetensors(
      path.join(d, 'model.safetensors'),
      [
        ...tensors.map((t) => ({ name: t.name, dtype: 'F32' as const, shape: t.shape, data: t.data })),
        { name: 'text_model.embeddings.position_ids', dtype: 'I64', shape: [1, 16], data: BigInt64Array.from({ length: 16 }, (_, i) => BigInt(i)) },
        { name: 'vision_model.embeddings.position_ids', dtype: 'I64', shape: [1, 17], data: BigInt64Array.from({ length: 17 }, (_, i) => BigInt(i)) },
      ],
      { format: 'pt' },
    );
    const withBuffers = (await loadModel(d)) as ClipModel;
    expect(withBuffers.params.has('text_model.embeddings.position_ids')).toBe(false);
    expect(withBuffers.params.size()).toBe(reference.params.size());
    await withBuffers.dispose();
  });
});

describe('parseClipConfig', () => {
  it('fills class defaults for an empty (ViT-B/32) config', () => {
    const c = parseClipConfig({ architectures: ['CLIPModel'] });
    expect(c.text).toMatchObject({ vocabSize: 49408, hiddenSize: 512, intermediateSize: 2048, numHiddenLayers: 12, numAttentionHeads: 8, maxPositionEmbeddings: 77, hiddenAct: 'quick_gelu', layerNormEps: 1e-5, padTokenId: 1, bosTokenId: 49406, eosTokenId: 49407 });
    expect(c.vision).toMatchObject({ hiddenSize: 768, intermediateSize: 3072, numHiddenLayers: 12, numAttentionHeads: 12, numChannels: 3, imageSize: 224, patchSize: 32, hiddenAct: 'quick_gelu', layerNormEps: 1e-5 });
    expect(c.projectionDim).toBe(512);
    expect(c.logitScaleInitValue).toBe(2.6592);
  });

  it('merges legacy text_config_dict / vision_config_dict over text_config / vision_config', () => {
    const c = parseClipConfig({
      text_config: { hidden_size: 64, num_attention_heads: 4 },
      text_config_dict: { hidden_size: 32, hidden_act: 'gelu', layer_norm_eps: 1e-6 },
      vision_config_dict: { patch_size: 16, image_size: 32 },
    });
    expect(c.text).toMatchObject({ hiddenSize: 32, numAttentionHeads: 4, hiddenAct: 'gelu', layerNormEps: 1e-6 });
    expect(c.vision).toMatchObject({ patchSize: 16, imageSize: 32 });
  });

  it('rejects unsupported activations and inconsistent geometry with the field named', () => {
    expect(() => parseClipConfig({ vision_config: { hidden_act: 'gelu_new' } })).toThrowError(/vision_config.hidden_act "gelu_new".*quick_gelu/);
    expect(() => parseClipConfig({ text_config: { hidden_size: 50, num_attention_heads: 4 } })).toThrowError(/text_config.hidden_size \(50\).*num_attention_heads \(4\)/);
    expect(() => parseClipConfig({ vision_config: { image_size: 30, patch_size: 8 } })).toThrowError(/image_size \(30\).*patch_size \(8\)/);
  });

  it('reads the real clip-tiny config file as transformers does', () => {
    const raw = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(parseClipConfig(raw).text.eosTokenId).toBe(2);
  });
});
