import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initBackend, readSafetensors } from '@vlp/core';
import { BlipForConditionalGeneration, BlipForImageTextRetrieval, BlipForQuestionAnswering, blipArchFromConfig, expectedBlipParams, parseBlipConfig } from '@vlp/models';
import { embeddedModelDir, loadEmbeddedModel } from '../embedded-models.js';
import { TINY_BLIP_ARCHITECTURES, TINY_BLIP_NAMES, tinyBlipConfig, tinyBlipSideFiles } from './tiny-blip-config.js';
import { TINY_BLIP_RECIPES } from './train-tiny-blip.js';

const MB = 1024 * 1024;
const CLASSES = { 'tiny-blip-itm': BlipForImageTextRetrieval, 'tiny-blip-caption': BlipForConditionalGeneration, 'tiny-blip-vqa': BlipForQuestionAnswering } as const;

function dirBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? dirBytes(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size), 0);
}

describe.each(TINY_BLIP_NAMES)('the embedded %s checkpoint', (name) => {
  const dir = embeddedModelDir(name);
  // the side files the shipped recipe writes (the VQA tokenizer starts questions with [ENC])
  const sideFiles = tinyBlipSideFiles(name, { encQuestions: TINY_BLIP_RECIPES[name].encQuestions === 1 });

  it('is in the stock Hugging Face layout: the short config, the side files, HF tensor names, F32, format pt', async () => {
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'model.safetensors', ...Object.keys(sideFiles)].sort());
    expect(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'))).toEqual(tinyBlipConfig(name));
    for (const [file, text] of Object.entries(sideFiles)) expect(readFileSync(path.join(dir, file), 'utf8'), file).toBe(text);
    const config = parseBlipConfig(tinyBlipConfig(name), TINY_BLIP_ARCHITECTURES[name]);
    const expected = expectedBlipParams(config, blipArchFromConfig(config));
    const file = await readSafetensors(path.join(dir, 'model.safetensors'));
    try {
      expect([...file.names].sort()).toEqual([...expected.keys()].sort());
      expect(file.metadata).toEqual({ format: 'pt' });
      for (const tensor of file.names) {
        expect(file.info(tensor).dtype, tensor).toBe('F32');
        expect([...file.info(tensor).shape], tensor).toEqual(expected.get(tensor));
      }
    } finally {
      await file.close();
    }
  });

  it('loads through loadEmbeddedModel as its BLIP class with tokenizer and image processor', async () => {
    await initBackend();
    const model = await loadEmbeddedModel(name);
    try {
      expect(model).toBeInstanceOf(CLASSES[name]);
      expect(model.sourceDir).toBe(dir);
      expect(model.tokenizer?.kind).toBe('bert-wordpiece');
      expect(model.tokenizer?.specialTokenIds.bos).toBe(model.config.text.bosTokenId);
      expect(model.imageProcessor?.config.size).toEqual({ height: 64, width: 64 });
    } finally {
      await model.dispose();
    }
  });
});

describe('the tiny BLIP checkpoints together', () => {
  it('stay under 12 MB, and the whole zoo under 20 MB', () => {
    const blip = TINY_BLIP_NAMES.reduce((sum, name) => sum + dirBytes(embeddedModelDir(name)), 0);
    expect(blip).toBeLessThan(12 * MB);
    expect(dirBytes(path.dirname(embeddedModelDir('tiny-blip-itm')))).toBeLessThan(20 * MB);
  });
});
