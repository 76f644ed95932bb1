import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import type { ClipModel } from '@vlp/models';
import { loadEmbeddedModel } from '../embedded-models.js';
import { evaluateTinyClip, type ShapesVLClipMetrics } from './evaluate-tiny-clip.js';
import { renderMetricsSection } from './metrics-table.js';
import { TINY_CLIP_METRICS } from './tiny-clip-metrics.js';
import { TINY_CLIP_SUBSET } from './tiny-clip-subset.js';

const readme = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');

/** Every metric as a flat list of [name, value]. */
function flat(m: ShapesVLClipMetrics): Array<[string, number]> {
  const { zeroShot: z, retrieval: r } = m;
  return [
    ['zero-shot top-1', z.top1], ['zero-shot top-5', z.top5],
    ['i2t R@1', r.i2t.r1], ['i2t R@5', r.i2t.r5], ['i2t R@10', r.i2t.r10],
    ['t2i R@1', r.t2i.r1], ['t2i R@5', r.t2i.r5], ['t2i R@10', r.t2i.r10],
  ];
}

describe('tiny-clip metrics', () => {
  let model: ClipModel;
  beforeAll(async () => {
    await initBackend();
    model = await loadEmbeddedModel('tiny-clip');
  });
  afterAll(async () => {
    await model.dispose();
  });

  it('re-measures the recorded numbers of the test subset within one image', async () => {
    const recorded = TINY_CLIP_METRICS.subset;
    const measured = await evaluateTinyClip(model, { split: 'test', ...TINY_CLIP_SUBSET, templates: recorded.templates, engine: TINY_CLIP_METRICS.engine as 'onnx' | 'tfjs' });
    // one image's worth: one image (zero-shot, image→text) or its five captions of 5·count (text→image)
    const tolerance = 100 / TINY_CLIP_SUBSET.count + 1e-9;
    const expected = flat(recorded);
    flat(measured).forEach(([name, value], i) => expect(Math.abs(value - (expected[i]?.[1] as number)), `${name}: ${value} vs ${expected[i]?.[1]}`).toBeLessThanOrEqual(tolerance));
  });

  it('has the numbers in the README, for the full split and the subset', () => {
    expect(TINY_CLIP_METRICS.full.count).toBe(1000);
    expect(TINY_CLIP_METRICS.subset).toMatchObject(TINY_CLIP_SUBSET);
    expect(readFileSync(readme, 'utf8')).toContain(renderMetricsSection(TINY_CLIP_METRICS.full, TINY_CLIP_METRICS.subset, TINY_CLIP_METRICS.engine));
  });
});
