import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { type PruneEvent, initBackend, prune, readSafetensors } from '@vlp/core';
import { type ClipBatch, type ClipModel, clipView, compactClip, loadModel } from '@vlp/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatedRetrievalTask } from './gated-tasks.js';
import { mope } from './mope-pruner.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/hf/clip-tiny');

async function readInputs(file: string): Promise<Map<string, tf.Tensor>> {
  const st = await readSafetensors(file);
  const out = new Map<string, tf.Tensor>();
  for (const name of st.names) {
    const info = st.info(name);
    const values = await st.readFloat32(name);
    out.set(name, info.dtype.startsWith('F') ? tf.tensor(values, [...info.shape]) : tf.tensor(Int32Array.from(values), [...info.shape], 'int32'));
  }
  return out;
}

describe('mope on clip-tiny (ONNX Runtime, gates as session inputs)', () => {
  let model: ClipModel;
  let inputs: Map<string, tf.Tensor>;
  let batch: ClipBatch;
  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(dir)) as ClipModel;
    inputs = await readInputs(path.join(dir, 'reference/inputs.safetensors'));
    batch = { pixelValues: inputs.get('pixel_values')!, inputIds: inputs.get('input_ids')!, attentionMask: inputs.get('attention_mask')! };
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values()]);
  });

  it('prunes the vision tower width then depth and the structure mask compacts', async () => {
    const view = clipView(model);
    const task = gatedRetrievalTask({ batches: [batch] });
    const events: PruneEvent[] = [];
    const report = await prune(
      mope({ neuronGroups: { kind: 'count', count: 4 } }),
      view,
      { sparsity: 0.4, seed: 0, scope: { modalities: ['vision'] } },
      { task, apply: false, onEvent: (e) => events.push(e) },
    );
    const removed = report.structureMask!.removed;
    expect(removed.length).toBeGreaterThan(0);
    expect(report.metrics.evaluations).toBeGreaterThan(1);
    expect(report.metrics.evaluations).toBeLessThan(report.metrics.modules + 3);
    expect(events.filter((e) => e.type === 'unit-score-end').length).toBe(report.metrics.modules);
    if (process.env.MOPE_PRINT) process.stdout.write(JSON.stringify({ metrics: report.metrics, notes: report.notes, sparsity: report.sparsity.total, removed }) + "\n");
    const small = compactClip(model, report.structureMask!);
    await small.dispose();
  });
});
