import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VlpError, initBackend } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference, relativeError } from '../testing/fixtures.js';
import type { ClipModel } from './clip-model.js';

const dir = path.join(HF_FIXTURES, 'clip-tiny');
const TOL = 2e-5;

describe('CLIPModel on clip-tiny', () => {
  let model: ClipModel;
  let inputs: Map<string, tf.Tensor>;
  let refs: Map<string, tf.Tensor>;

  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(dir)) as ClipModel;
    inputs = await readReference(path.join(dir, 'reference/inputs.safetensors'));
    refs = await readReference(path.join(dir, 'reference/outputs.safetensors'));
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values(), ...refs.values()]);
  });

  for (const engine of ['onnx', 'tfjs'] as const) {
    it(`matches every reference tensor on the ${engine} engine, hidden states included`, async () => {
      const out = await model.forward({
        pixelValues: inputs.get('pixel_values') as tf.Tensor,
        inputIds: inputs.get('input_ids') as tf.Tensor,
        attentionMask: inputs.get('attention_mask') as tf.Tensor,
        outputHiddenStates: true,
        engine,
      });
      const image = await model.getImageFeatures(inputs.get('pixel_values') as tf.Tensor, { engine });
      const text = await model.getTextFeatures(inputs.get('input_ids') as tf.Tensor, inputs.get('attention_mask') as tf.Tensor, { engine });
      const got: Record<string, tf.Tensor> = {
        image_embeds: out.imageEmbeds,
        text_embeds: out.textEmbeds,
        logits_per_image: out.logitsPerImage,
        logits_per_text: out.logitsPerText,
        image_features: image,
        text_features: text,
        'vision_model.last_hidden_state': out.visionModelOutput.lastHiddenState,
        'vision_model.pooler_output': out.visionModelOutput.poolerOutput,
        'text_model.last_hidden_state': out.textModelOutput.lastHiddenState,
        'text_model.pooler_output': out.textModelOutput.poolerOutput,
      };
      out.visionModelOutput.hiddenStates?.forEach((t, i) => (got[`vision_model.hidden_states.${i}`] = t));
      out.textModelOutput.hiddenStates?.forEach((t, i) => (got[`text_model.hidden_states.${i}`] = t));
      expect(Object.keys(got).sort()).toEqual([...refs.keys()].sort());
      for (const [name, ref] of refs) {
        expect(relativeError(got[name] as tf.Tensor, ref), `${engine}: ${name}`).toBeLessThanOrEqual(TOL);
      }
      tf.dispose(Object.values(got));
    });
  }

  it('differentiable tower features match the references and differentiate through their own tower only', () => {
    const px = inputs.get('pixel_values') as tf.Tensor;
    const ids = inputs.get('input_ids') as tf.Tensor;
    const mask = inputs.get('attention_mask') as tf.Tensor;
    const image = model.differentiableImageFeatures(px);
    const text = model.differentiableTextFeatures(ids, mask);
    expect(relativeError(image, refs.get('image_features') as tf.Tensor)).toBeLessThanOrEqual(TOL);
    expect(relativeError(text, refs.get('text_features') as tf.Tensor)).toBeLessThanOrEqual(TOL);
    const proj = model.params.get('visual_projection.weight');
    const w = tf.tensor(proj.data, [...proj.shape]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(model.differentiableImageFeatures(px, { weights: { 'visual_projection.weight': v } })))(w);
    expect(tf.max(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
    const before = tf.memory().numTensors;
    tf.dispose(model.differentiableTextFeatures(ids));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([image, text, w, g]);
  });

  it('reads the parsed config exactly as transformers fills it (config_full.json)', () => {
    const full = JSON.parse(readFileSync(path.join(dir, 'reference/config_full.json'), 'utf8'));
    const { text, vision } = model.config;
    expect(text).toMatchObject({
      vocabSize: full.text_config.vocab_size,
      hiddenSize: full.text_config.hidden_size,
      maxPositionEmbeddings: full.text_config.max_position_embeddings,
      hiddenAct: full.text_config.hidden_act,
      layerNormEps: full.text_config.layer_norm_eps,
      eosTokenId: full.text_config.eos_token_id,
      padTokenId: full.text_config.pad_token_id,
    });
    expect(vision).toMatchObject({
      hiddenAct: full.vision_config.hidden_act,
      layerNormEps: full.vision_config.layer_norm_eps,
      numChannels: full.vision_config.num_channels,
    });
    expect(model.config.projectionDim).toBe(full.projection_dim);
  });

  it('loads the attention key biases exactly (they cannot be observed through outputs)', async () => {
    const { readSafetensors } = await import('@vlp/core');
    const st = await readSafetensors(path.join(dir, 'model.safetensors'));
    const name = 'vision_model.encoder.layers.1.self_attn.k_proj.bias';
    expect(Array.from(model.params.get(name).data)).toEqual(Array.from(await st.readFloat32(name)));
    await st.close();
  });

  it('pools text at the first eos_token_id when the config is not legacy', async () => {
    // With eos_token_id 132 ("cat") the first row pools at position 5 instead of argmax (6).
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'vlp-clip-eos-'));
    try {
      cpSync(dir, tmp, { recursive: true });
      const cfg = JSON.parse(readFileSync(path.join(tmp, 'config.json'), 'utf8'));
      cfg.text_config.eos_token_id = 132;
      writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(cfg));
      const other = (await loadModel(tmp)) as ClipModel;
      const out = await other.forward({
        pixelValues: inputs.get('pixel_values') as tf.Tensor,
        inputIds: inputs.get('input_ids') as tf.Tensor,
        attentionMask: inputs.get('attention_mask') as tf.Tensor,
      });
      const last = out.textModelOutput.lastHiddenState;
      const expected = last.slice([0, 5, 0], [1, 1, -1]).reshape([-1]);
      const pooled = out.textModelOutput.poolerOutput.slice([0, 0], [1, -1]).reshape([-1]);
      expect(relativeError(pooled, expected)).toBeLessThan(1e-6);
      tf.dispose([expected, pooled, ...Object.values(out).filter((v): v is tf.Tensor => v instanceof tf.Tensor)]);
      await other.dispose();
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('loadModel errors', () => {
  const tmpDirs: string[] = [];
  const copy = (mutate: (d: string) => void) => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'vlp-clip-bad-'));
    tmpDirs.push(d);
    cpSync(dir, d, { recursive: true });
    mutate(d);
    return d;
  };
  afterAll(() => tmpDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const expectCode = async (d: string, code: string, ...mentions: string[]) => {
    const error = await loadModel(d).catch((e: unknown) => e);
    expect(VlpError.isInstance(error), String(error)).toBe(true);
    expect((error as VlpError).code).toBe(code);
    for (const m of mentions) expect((error as Error).message).toContain(m);
  };

  it('a missing directory or config.json is VLP_MODEL_FILE_NOT_FOUND naming the directory', async () => {
    await expectCode(path.join(os.tmpdir(), 'vlp-no-such-model'), 'VLP_MODEL_FILE_NOT_FOUND', 'vlp-no-such-model');
    const d = copy((x) => rmSync(path.join(x, 'config.json')));
    await expectCode(d, 'VLP_MODEL_FILE_NOT_FOUND', 'config.json', d);
  });

  it('missing weights name the files expected', async () => {
    const d = copy((x) => rmSync(path.join(x, 'model.safetensors')));
    await expectCode(d, 'VLP_MODEL_FILE_NOT_FOUND', 'model.safetensors', 'model.safetensors.index.json');
  });

  it('an unknown architecture lists the supported ones', async () => {
    const d = copy((x) => {
      const cfg = JSON.parse(readFileSync(path.join(x, 'config.json'), 'utf8'));
      cfg.architectures = ['LlamaForCausalLM'];
      writeFileSync(path.join(x, 'config.json'), JSON.stringify(cfg));
    });
    await expectCode(d, 'VLP_UNSUPPORTED_ARCHITECTURE', 'LlamaForCausalLM', 'CLIPModel');
  });

  it('missing, extra and mis-shaped tensors are reported by name', async () => {
    const d = copy((x) => {
      const cfg = JSON.parse(readFileSync(path.join(x, 'config.json'), 'utf8'));
      cfg.vision_config.intermediate_size = 96; // fc1/fc2 in the file are 128 wide
      cfg.text_config.num_hidden_layers = 3; // layer 2 is missing from the file
      writeFileSync(path.join(x, 'config.json'), JSON.stringify(cfg));
    });
    await expectCode(d, 'VLP_SHAPE_MISMATCH', 'vision_model.encoder.layers.0.mlp.fc1.weight: file [128, 64], model [96, 64]', 'missing: text_model.encoder.layers.2.');
    const e = copy((x) => {
      const cfg = JSON.parse(readFileSync(path.join(x, 'config.json'), 'utf8'));
      cfg.vision_config.num_hidden_layers = 2; // layer 2 in the file becomes unexpected
      writeFileSync(path.join(x, 'config.json'), JSON.stringify(cfg));
    });
    await expectCode(e, 'VLP_SHAPE_MISMATCH', 'unexpected: vision_model.encoder.layers.2.');
  });

  it('a corrupt weights file is VLP_BAD_SAFETENSORS', async () => {
    const d = copy((x) => writeFileSync(path.join(x, 'model.safetensors'), Buffer.from([1, 2, 3])));
    await expectCode(d, 'VLP_BAD_SAFETENSORS', 'model.safetensors');
  });
});
