import { describe, expect, it } from 'vitest';
import { blipArchFromConfig, expectedBlipParams, parseBlipConfig } from '@vlp/models';
import { shapesVLBertTokenizerFiles } from '../tokenizer/bert-wordpiece-files.js';
import { TINY_BLIP_ARCHITECTURES, TINY_BLIP_MAX_TOKENS, TINY_BLIP_NAMES, tinyBlipConfig, tinyBlipSideFiles } from './tiny-blip-config.js';

const MB = 1024 * 1024;

describe('tinyBlipConfig', () => {
  it.each(TINY_BLIP_NAMES)('%s: a stock BLIP short config, 4 layers × 4 heads with MLP ratio 4 in every tower', (name) => {
    const raw = tinyBlipConfig(name);
    const config = parseBlipConfig(raw, TINY_BLIP_ARCHITECTURES[name]);
    expect(config.architecture).toBe(TINY_BLIP_ARCHITECTURES[name]);
    for (const tower of [config.vision, config.text]) {
      expect(tower.numHiddenLayers).toBeGreaterThanOrEqual(4);
      expect(tower.numAttentionHeads).toBeGreaterThanOrEqual(4);
      expect(tower.intermediateSize).toBe(4 * tower.hiddenSize);
    }
    expect(config.text.hiddenSize).toBe(config.vision.hiddenSize);
    expect(config.text.vocabSize).toBe(shapesVLBertTokenizerFiles(TINY_BLIP_MAX_TOKENS).vocabSize);
    expect(config.text.maxPositionEmbeddings).toBe(TINY_BLIP_MAX_TOKENS);
    // no hand-set defaults: hidden_act, layer_norm_eps, pad / eos ids come from the transformers classes
    expect(Object.keys(raw.text_config as object).sort()).toEqual(
      ['bos_token_id', 'encoder_hidden_size', 'hidden_size', 'intermediate_size', 'max_position_embeddings', 'model_type', 'num_attention_heads', 'num_hidden_layers', 'sep_token_id', 'vocab_size'],
    );
  });

  it('differs between the three checkpoints only in architectures, so weights move between them by name', () => {
    const [a, b, c] = TINY_BLIP_NAMES.map((n) => ({ ...tinyBlipConfig(n), architectures: [] }));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('keeps the three float32 checkpoints together under 12 MB', () => {
    const bytes = TINY_BLIP_NAMES.reduce((sum, name) => {
      const config = parseBlipConfig(tinyBlipConfig(name), TINY_BLIP_ARCHITECTURES[name]);
      const shapes = [...expectedBlipParams(config, blipArchFromConfig(config)).values()];
      return sum + 4 * shapes.reduce((s, shape) => s + shape.reduce((x, y) => x * y, 1), 0);
    }, 0);
    expect(bytes).toBeLessThan(12 * MB);
  });

  it('ships generation_config.json with the generating classes only', () => {
    expect(Object.keys(tinyBlipSideFiles('tiny-blip-itm')).sort()).toEqual(['added_tokens.json', 'preprocessor_config.json', 'special_tokens_map.json', 'tokenizer_config.json', 'vocab.txt']);
    expect(JSON.parse(tinyBlipSideFiles('tiny-blip-vqa')['generation_config.json'] as string)).toMatchObject({ bos_token_id: shapesVLBertTokenizerFiles(32).decTokenId, pad_token_id: 0 });
  });

  it('encQuestions: the VQA tokenizer files make [ENC] the cls_token, nothing else changes; other heads refuse it', () => {
    const plain = tinyBlipSideFiles('tiny-blip-vqa');
    const enc = tinyBlipSideFiles('tiny-blip-vqa', { encQuestions: true });
    expect(JSON.parse(enc['tokenizer_config.json'] as string).cls_token).toBe('[ENC]');
    expect(JSON.parse(enc['special_tokens_map.json'] as string).cls_token).toMatchObject({ content: '[ENC]' });
    for (const file of ['vocab.txt', 'added_tokens.json', 'preprocessor_config.json', 'generation_config.json']) expect(enc[file], file).toBe(plain[file]);
    expect(() => tinyBlipSideFiles('tiny-blip-itm', { encQuestions: true })).toThrow(/tiny-blip-vqa only/);
  });
});
