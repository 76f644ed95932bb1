import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import type { BlipForConditionalGeneration, BlipForImageTextRetrieval, BlipForQuestionAnswering } from '@vlp/models';
import { loadEmbeddedModel } from '../embedded-models.js';
import { evaluateTinyBlipCaptioning, evaluateTinyBlipRetrieval, evaluateTinyBlipVqa } from './evaluate-tiny-blip.js';
import { TINY_BLIP_METRICS } from './tiny-blip-metrics.js';
import { renderTinyBlipMetricsSection } from './tiny-blip-metrics-table.js';
import { TINY_BLIP_SUBSET } from './tiny-blip-subset.js';

const readme = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');
const { engine, subset: recorded } = TINY_BLIP_METRICS;
const options = { split: 'test', ...TINY_BLIP_SUBSET, engine: engine as 'onnx' | 'tfjs' } as const;
/** One image's worth in percent: one image (image→text), its 5 captions of 5·count (text→image), its 9 questions of 9·count (VQA). */
const onePercent = 100 / TINY_BLIP_SUBSET.count + 1e-9;

describe('tiny BLIP metrics on the test subset', () => {
  let itm: BlipForImageTextRetrieval;
  let caption: BlipForConditionalGeneration;
  let vqa: BlipForQuestionAnswering;
  beforeAll(async () => {
    await initBackend();
    [itm, caption, vqa] = [await loadEmbeddedModel('tiny-blip-itm'), await loadEmbeddedModel('tiny-blip-caption'), await loadEmbeddedModel('tiny-blip-vqa')];
  });
  afterAll(async () => {
    await Promise.all([itm?.dispose(), caption?.dispose(), vqa?.dispose()]);
  });

  it('re-measures retrieval (ITM-reranked and ITC only) within one image', async () => {
    const r = await evaluateTinyBlipRetrieval(itm, options);
    for (const dir of ['i2t', 't2i'] as const) {
      for (const k of ['r1', 'r5', 'r10'] as const) {
        expect(Math.abs(r[dir][k] - recorded.retrieval[dir][k]), `${dir} ${k}`).toBeLessThanOrEqual(onePercent);
        expect(Math.abs(r.itcOnly[dir][k] - recorded.retrieval.itcOnly[dir][k]), `ITC only ${dir} ${k}`).toBeLessThanOrEqual(onePercent);
      }
    }
  });

  it('re-measures captioning within one caption (CIDEr-D of one image is at most 10)', async () => {
    const c = await evaluateTinyBlipCaptioning(caption, options);
    expect(Math.abs(c.ciderD - recorded.captioning.ciderD)).toBeLessThanOrEqual(10 / TINY_BLIP_SUBSET.count + 1e-9);
    expect(Math.abs(c.bleu4 - recorded.captioning.bleu4)).toBeLessThanOrEqual(1 / TINY_BLIP_SUBSET.count + 1e-9);
    expect(c.captions).toHaveLength(TINY_BLIP_SUBSET.count);
  });

  it('re-measures VQA accuracy within one image', async () => {
    const v = await evaluateTinyBlipVqa(vqa, options);
    expect(v.questions).toBe(9 * TINY_BLIP_SUBSET.count);
    expect(Math.abs(v.accuracy - recorded.vqa.accuracy)).toBeLessThanOrEqual(onePercent);
  });

  it('has the numbers in the README, for the full split and the subset', () => {
    expect(TINY_BLIP_METRICS.full.count).toBe(1000);
    expect(recorded).toMatchObject(TINY_BLIP_SUBSET);
    expect(readFileSync(readme, 'utf8')).toContain(renderTinyBlipMetricsSection(TINY_BLIP_METRICS.full, recorded, engine));
  });
});
