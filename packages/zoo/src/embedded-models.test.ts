import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, readSafetensors, VlpError } from '@vlp/core';
import { ClipModel, createRandomClip } from '@vlp/models';
import { EMBEDDED_MODELS, embeddedModelDir, loadEmbeddedModel, UnknownEmbeddedModelError } from './embedded-models.js';
import { tinyClipConfig, tinyClipPreprocessorConfig } from './tiny-clip/tiny-clip-config.js';

const MB = 1024 * 1024;

function dirBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? dirBytes(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size), 0);
}

describe('the embedded tiny-clip checkpoint', () => {
  const dir = embeddedModelDir('tiny-clip');
  let model: ClipModel;
  beforeAll(async () => {
    await initBackend();
    model = await loadEmbeddedModel('tiny-clip');
  });
  afterAll(async () => {
    await model.dispose();
  });

  it('loads through loadModel as a CLIPModel with its tokenizer and image processor', () => {
    expect(model).toBeInstanceOf(ClipModel);
    expect(model.sourceDir).toBe(dir);
    expect(model.tokenizer?.kind).toBe('clip-bpe');
    expect(model.imageProcessor?.config.cropSize).toEqual({ height: 64, width: 64 });
  });

  it('is in the stock Hugging Face layout: the short config, HF tensor names, F32, format pt', async () => {
    expect(readdirSync(dir).sort()).toEqual(
      ['config.json', 'merges.txt', 'model.safetensors', 'preprocessor_config.json', 'special_tokens_map.json', 'tokenizer_config.json', 'vocab.json'],
    );
    expect(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'))).toEqual(tinyClipConfig());
    expect(JSON.parse(readFileSync(path.join(dir, 'preprocessor_config.json'), 'utf8'))).toEqual(tinyClipPreprocessorConfig());
    const reference = createRandomClip(tinyClipConfig(), 0);
    const file = await readSafetensors(path.join(dir, 'model.safetensors'));
    try {
      expect([...file.names].sort()).toEqual(reference.params.names().sort());
      expect(file.metadata).toEqual({ format: 'pt' });
      for (const name of file.names) {
        expect(file.info(name).dtype, name).toBe('F32');
        expect([...file.info(name).shape], name).toEqual([...reference.params.get(name).shape]);
      }
    } finally {
      await file.close();
      await reference.dispose();
    }
  });

  it('keeps tiny-clip well under 10 MB and the zoo under 20 MB', () => {
    expect(dirBytes(dir)).toBeLessThan(10 * MB);
    expect(dirBytes(path.dirname(dir))).toBeLessThan(20 * MB);
  });

  it('computes finite, normalised embeddings and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const enc = model.tokenizer?.encode(['a large red circle in the center'], { padding: 'max_length' });
    const ids = tf.tensor2d(enc?.inputIds as number[][], undefined, 'int32');
    const features = await model.getTextFeatures(ids);
    expect([...(await features.data())].every(Number.isFinite)).toBe(true);
    tf.dispose([ids, features]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('embeddedModelDir / loadEmbeddedModel', () => {
  it('lists the embedded models, each with a checkpoint directory', () => {
    expect(EMBEDDED_MODELS).toEqual(['tiny-clip', 'tiny-blip-itm', 'tiny-blip-caption', 'tiny-blip-vqa']);
    for (const name of EMBEDDED_MODELS) expect(statSync(path.join(embeddedModelDir(name), 'config.json')).isFile()).toBe(true);
  });

  it('rejects an unknown name with a typed error listing the names', async () => {
    const error = await loadEmbeddedModel('huge-clip').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownEmbeddedModelError);
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((error as VlpError).message).toMatch(/"huge-clip".*tiny-clip/);
    expect((error as VlpError).expected).toEqual(['tiny-clip', 'tiny-blip-itm', 'tiny-blip-caption', 'tiny-blip-vqa']);
    expect(() => embeddedModelDir('nope')).toThrow(UnknownEmbeddedModelError);
  });
});
