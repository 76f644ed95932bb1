/** SparseGPT end to end on the real clip-tiny checkpoint: input-gram taps, sequential calibration, updated weights applied. */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type PruneEvent, prune } from '@vlp/core';
import { type ClipBatch, type ClipModel, clipView, loadModel } from '@vlp/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HF_FIXTURES, readClipInputs, relativeError } from '../__tests__/hf-fixtures.js';
import { wanda } from '../wanda/wanda-pruner.js';
import { sparseGpt } from './sparsegpt-pruner.js';

const dir = path.join(HF_FIXTURES, 'clip-tiny');

describe('sparseGpt on clip-tiny', () => {
  let batch: ClipBatch & { attentionMask: tf.Tensor };
  const models: ClipModel[] = [];
  beforeAll(async () => {
    batch = await readClipInputs(path.join(dir, 'reference/inputs.safetensors'));
  });
  afterAll(async () => {
    for (const m of models) await m.dispose();
    tf.dispose([batch.pixelValues, batch.inputIds, batch.attentionMask]);
  });

  async function embeds(pruner?: Parameters<typeof prune>[0], config?: unknown, events?: PruneEvent[]): Promise<Float32Array> {
    const model = (await loadModel(dir)) as ClipModel;
    models.push(model);
    const calibration = { size: 1, batches: async function* () { yield batch; } };
    if (pruner) {
      const report = await prune(pruner, clipView(model), { sparsity: 0.5, seed: 0 }, { calibration, config: config as never, onEvent: (e) => events?.push(e) });
      expect(report.sparsity.total.sparsity).toBe(0.5);
    }
    const out = await model.forward(batch);
    const values = Float32Array.from([...(await out.imageEmbeds.data()), ...(await out.textEmbeds.data())]);
    const { visionModelOutput: v, textModelOutput: t } = out;
    tf.dispose([out.imageEmbeds, out.textEmbeds, out.logitsPerImage, out.logitsPerText, v.lastHiddenState, v.poolerOutput, t.lastHiddenState, t.poolerOutput]);
    return values;
  }

  it('calibrates block by block and keeps the embeddings closer to the dense model than Wanda', async () => {
    const dense = await embeds();
    const events: PruneEvent[] = [];
    const sparse = await embeds(sparseGpt(), {}, events);
    const byWanda = await embeds(wanda());
    expect(events.filter((e) => e.type === 'calibration-start')).toHaveLength(5); // 3 vision + 2 text blocks
    expect(sparse.every(Number.isFinite)).toBe(true);
    expect(relativeError(sparse, dense)).toBeLessThan(relativeError(byWanda, dense));
  });
});
