import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VlpError, readSafetensors, writeSafetensors } from '@vlp/core';
import { SUPPORTED_ARCHITECTURES, loadModel } from '../load-model.js';
import { HF_FIXTURES } from '../testing/fixtures.js';
import { BlipForConditionalGeneration } from './blip-caption-model.js';

const dir = path.join(HF_FIXTURES, 'blip-caption-tiny');
const DECODER_BIAS = 'text_decoder.cls.predictions.decoder.bias';
const PREDICTIONS_BIAS = 'text_decoder.cls.predictions.bias';

describe('loadModel on BLIP checkpoints', () => {
  const tmpDirs: string[] = [];
  afterAll(() => tmpDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A copy of the caption fixture whose weights are rewritten by `edit` (names → F32 tensors). */
  const copyWith = async (edit: (tensors: Map<string, { dtype: 'F32'; shape: number[]; data: Float32Array }>) => void, config?: (c: Record<string, any>) => void) => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'vlp-blip-load-'));
    tmpDirs.push(d);
    cpSync(dir, d, { recursive: true });
    const st = await readSafetensors(path.join(dir, 'model.safetensors'));
    const tensors = new Map<string, { dtype: 'F32'; shape: number[]; data: Float32Array }>();
    for (const name of st.names) tensors.set(name, { dtype: 'F32', shape: [...st.info(name).shape], data: await st.readFloat32(name) });
    await st.close();
    edit(tensors);
    rmSync(path.join(d, 'model.safetensors'));
    await writeSafetensors(path.join(d, 'model.safetensors'), tensors, { format: 'pt' });
    if (config) {
      const c = JSON.parse(readFileSync(path.join(d, 'config.json'), 'utf8'));
      config(c);
      writeFileSync(path.join(d, 'config.json'), JSON.stringify(c));
    }
    return d;
  };

  const expectShapeError = async (d: string, ...mentions: string[]) => {
    const error = await loadModel(d).catch((e: unknown) => e);
    expect(VlpError.isInstance(error), String(error)).toBe(true);
    expect((error as VlpError).code).toBe('VLP_SHAPE_MISMATCH');
    for (const m of mentions) expect((error as Error).message).toContain(m);
  };

  it('lists the BLIP head classes as supported and attaches the tokenizer and image processor', async () => {
    expect(SUPPORTED_ARCHITECTURES).toEqual(expect.arrayContaining(['BlipForImageTextRetrieval', 'BlipForConditionalGeneration', 'BlipForQuestionAnswering']));
    const model = await loadModel(dir);
    expect(model).toBeInstanceOf(BlipForConditionalGeneration);
    expect(model.tokenizer).toBeDefined();
    expect(model.imageProcessor).toBeDefined();
    expect(model.params.names()).not.toContain(DECODER_BIAS);
    await model.dispose();
  });

  it('reports a missing tensor by name', async () => {
    const d = await copyWith((t) => t.delete('text_decoder.bert.encoder.layer.1.crossattention.self.value.weight'));
    await expectShapeError(d, 'missing: text_decoder.bert.encoder.layer.1.crossattention.self.value.weight');
  });

  it('reports a mis-shaped tensor with both shapes and an unexpected one by name', async () => {
    const d = await copyWith((t) => {
      const pos = t.get('vision_model.embeddings.position_embedding');
      if (pos) t.set('vision_model.embeddings.position_embedding', { ...pos, shape: [1, 1, 17 * 64] });
      t.set('text_decoder.bert.pooler.dense.bias', { dtype: 'F32', shape: [48], data: new Float32Array(48) });
    });
    await expectShapeError(d, 'vision_model.embeddings.position_embedding: file [1, 1, 1088], model [1, 17, 64]', 'unexpected: text_decoder.bert.pooler.dense.bias');
  });

  it('reports cross-attention keys sized by the wrong encoder width', async () => {
    const d = await copyWith(
      () => undefined,
      (c) => {
        c.vision_config.hidden_size = 32; // encoder_hidden_size follows the vision width
      },
    );
    await expectShapeError(d, 'text_decoder.bert.encoder.layer.0.crossattention.self.key.weight: file [48, 64], model [48, 32]');
  });

  it('accepts a file that stores the tied decoder.bias too (or only it)', async () => {
    const both = await copyWith((t) => {
      const bias = t.get(PREDICTIONS_BIAS);
      if (bias) t.set(DECODER_BIAS, bias);
    });
    const onlyDecoder = await copyWith((t) => {
      const bias = t.get(PREDICTIONS_BIAS);
      if (bias) t.set(DECODER_BIAS, bias);
      t.delete(PREDICTIONS_BIAS);
    });
    const reference = await loadModel(dir);
    for (const d of [both, onlyDecoder]) {
      const model = await loadModel(d);
      expect(Array.from(model.params.get(PREDICTIONS_BIAS).data)).toEqual(Array.from(reference.params.get(PREDICTIONS_BIAS).data));
      await model.dispose();
    }
    await reference.dispose();
  });
});
