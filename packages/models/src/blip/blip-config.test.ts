import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VlpError } from '@vlp/core';
import { HF_FIXTURES } from '../testing/fixtures.js';
import { blipArchFromConfig } from './blip-arch.js';
import { parseBlipConfig } from './blip-config.js';

/** config_full.json field → parsed field, per tower. */
const TEXT_FIELDS = {
  vocab_size: 'vocabSize',
  hidden_size: 'hiddenSize',
  encoder_hidden_size: 'encoderHiddenSize',
  intermediate_size: 'intermediateSize',
  projection_dim: 'projectionDim',
  num_hidden_layers: 'numHiddenLayers',
  num_attention_heads: 'numAttentionHeads',
  max_position_embeddings: 'maxPositionEmbeddings',
  hidden_act: 'hiddenAct',
  layer_norm_eps: 'layerNormEps',
  bos_token_id: 'bosTokenId',
  eos_token_id: 'eosTokenId',
  pad_token_id: 'padTokenId',
  sep_token_id: 'sepTokenId',
  is_decoder: 'isDecoder',
} as const;
const VISION_FIELDS = {
  hidden_size: 'hiddenSize',
  intermediate_size: 'intermediateSize',
  projection_dim: 'projectionDim',
  num_hidden_layers: 'numHiddenLayers',
  num_attention_heads: 'numAttentionHeads',
  image_size: 'imageSize',
  patch_size: 'patchSize',
  hidden_act: 'hiddenAct',
  layer_norm_eps: 'layerNormEps',
} as const;

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

describe('parseBlipConfig', () => {
  for (const fixture of ['blip-itm-tiny', 'blip-caption-tiny', 'blip-vqa-tiny']) {
    it(`fills ${fixture}'s short config.json exactly as transformers (reference/config_full.json)`, () => {
      const short = read(path.join(HF_FIXTURES, fixture, 'config.json'));
      const full = read(path.join(HF_FIXTURES, fixture, 'reference/config_full.json'));
      // The short file really omits the defaults the parser has to fill.
      expect(short.text_config.layer_norm_eps).toBeUndefined();
      expect(short.text_config.hidden_act).toBeUndefined();
      const config = parseBlipConfig(short);
      expect(config.architecture).toBe(full.architectures[0]);
      for (const [hf, ours] of Object.entries(TEXT_FIELDS)) expect(config.text[ours], `text_config.${hf}`).toBe(full.text_config[hf]);
      for (const [hf, ours] of Object.entries(VISION_FIELDS)) expect(config.vision[ours], `vision_config.${hf}`).toBe(full.vision_config[hf]);
      expect(config.projectionDim).toBe(full.projection_dim);
      expect(config.imageTextHiddenSize).toBe(full.image_text_hidden_size);
      expect(config.logitScaleInitValue).toBe(full.logit_scale_init_value);
    });
  }

  it('uses the class defaults for an empty config (BlipTextConfig has 8 heads, eps 1e-12; vision 384/16, eps 1e-5)', () => {
    const config = parseBlipConfig({ architectures: ['BlipForConditionalGeneration'] });
    expect(config.text).toMatchObject({ vocabSize: 30524, hiddenSize: 768, encoderHiddenSize: 768, intermediateSize: 3072, numHiddenLayers: 12, numAttentionHeads: 8 });
    expect(config.text).toMatchObject({ maxPositionEmbeddings: 512, hiddenAct: 'gelu', layerNormEps: 1e-12, bosTokenId: 30522, eosTokenId: 2, padTokenId: 0, sepTokenId: 102 });
    expect(config.vision).toMatchObject({ hiddenSize: 768, intermediateSize: 3072, numHiddenLayers: 12, numAttentionHeads: 12, imageSize: 384, patchSize: 16, hiddenAct: 'gelu', layerNormEps: 1e-5 });
    expect(config.projectionDim).toBe(512);
    expect(config.imageTextHiddenSize).toBe(256);
  });

  it("applies a real checkpoint's sparse overrides (text num_attention_heads 12) over the defaults", () => {
    const config = parseBlipConfig({ architectures: ['BlipForQuestionAnswering'], text_config: { num_attention_heads: 12 }, vision_config: { num_channels: 3 } });
    expect(config.text.numAttentionHeads).toBe(12);
    expect(blipArchFromConfig(config).textDecoder?.layers[0]?.attention).toEqual({ heads: 12, headDim: 64, scale: 64 ** -0.5 });
  });

  it('sets encoder_hidden_size to the vision width, as BlipConfig does', () => {
    const config = parseBlipConfig({ architectures: ['BlipForConditionalGeneration'], text_config: { encoder_hidden_size: 1024 }, vision_config: { hidden_size: 64, num_attention_heads: 4 } });
    expect(config.text.encoderHiddenSize).toBe(64);
  });

  it('reads legacy text_config_dict / vision_config_dict in place of text_config / vision_config', () => {
    const config = parseBlipConfig({
      architectures: ['BlipForImageTextRetrieval'],
      text_config: { hidden_size: 48, num_attention_heads: 4 },
      text_config_dict: { hidden_size: 96, num_attention_heads: 12, layer_norm_eps: 1e-6 },
      vision_config_dict: { image_size: 224 },
    });
    expect(config.text).toMatchObject({ hiddenSize: 96, numAttentionHeads: 12, layerNormEps: 1e-6 });
    expect(config.vision.imageSize).toBe(224);
  });

  it('rejects unsupported activations, indivisible heads and non-BLIP architectures with messages naming the field', () => {
    const expectError = (raw: Record<string, unknown>, text: string) => {
      let error: unknown;
      try {
        parseBlipConfig(raw);
      } catch (e) {
        error = e;
      }
      expect(VlpError.isInstance(error), String(error)).toBe(true);
      expect((error as Error).message).toContain(text);
    };
    expectError({ architectures: ['BlipForConditionalGeneration'], text_config: { hidden_act: 'gelu_new' } }, 'text_config.hidden_act "gelu_new"');
    expectError({ architectures: ['BlipForConditionalGeneration'], vision_config: { hidden_size: 100 } }, 'vision_config.hidden_size (100) must be divisible by num_attention_heads (12)');
    expectError({ architectures: ['BlipForConditionalGeneration'], vision_config: { patch_size: 10 } }, 'image_size (384) must be divisible by patch_size (10)');
    expectError({ architectures: ['BlipModel'] }, '"BlipModel" is not a BLIP head class');
    expectError({ architectures: ['BlipForQuestionAnswering'], text_config: { hidden_size: 48, num_attention_heads: 4 }, vision_config: { hidden_size: 64, num_attention_heads: 4 } }, 'text_config.hidden_size (48) = vision_config.hidden_size (64)');
    expectError({ architectures: ['BlipForConditionalGeneration'], text_config: { num_hidden_layers: 'two' } }, 'text_config.num_hidden_layers must be a number');
  });
});
