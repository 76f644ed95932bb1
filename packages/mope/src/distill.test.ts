import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend, readSafetensors } from '@vlp/core';
import { type ClipBatch, type ClipModel, compactClip, describeClip, loadModel } from '@vlp/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distillTerms, hiddenStatePairs, mopeDistill } from './distill.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/hf/clip-tiny');

describe('distillation terms', () => {
  it('maps kept student layers to the same teacher layers', () => {
    expect(hiddenStatePairs({ vision: [0, 2], text: [1] })).toEqual([
      { student: 'vision_model.hidden_states.1', teacher: 'vision_model.hidden_states.1' },
      { student: 'vision_model.hidden_states.2', teacher: 'vision_model.hidden_states.3' },
      { student: 'text_model.hidden_states.1', teacher: 'text_model.hidden_states.2' },
    ]);
  });

  it('splits the logit and hidden weights evenly and drops zero-weight terms', () => {
    const hidden = hiddenStatePairs({ vision: [0, 2] });
    expect(distillTerms({ hidden, hiddenWeight: 0.5, temperature: 2 })).toEqual([
      { output: 'logits_per_image', kind: 'kl', weight: 0.5, temperature: 2 },
      { output: 'logits_per_text', kind: 'kl', weight: 0.5, temperature: 2 },
      { output: 'vision_model.hidden_states.1', kind: 'mse', weight: 0.25 },
      { output: 'vision_model.hidden_states.2', kind: 'mse', weight: 0.25 },
    ]);
    expect(distillTerms({ logitWeight: 0, hidden: [] })).toEqual([]);
    expect(() => distillTerms({ logitWeight: -1 })).toThrow(/≥ 0/);
  });
});

describe('mopeDistill on clip-tiny', () => {
  let teacher: ClipModel;
  let batch: ClipBatch & { attentionMask: tf.Tensor };
  beforeAll(async () => {
    await initBackend();
    teacher = (await loadModel(dir)) as ClipModel;
    const st = await readSafetensors(path.join(dir, 'reference/inputs.safetensors'));
    const read = async (name: string, dtype: 'float32' | 'int32') => tf.tensor(dtype === 'int32' ? Int32Array.from(await st.readFloat32(name)) : await st.readFloat32(name), [...st.info(name).shape], dtype);
    batch = { pixelValues: await read('pixel_values', 'float32'), inputIds: await read('input_ids', 'int32'), attentionMask: await read('attention_mask', 'int32') };
  });
  afterAll(async () => {
    tf.dispose([batch.pixelValues, batch.inputIds, batch.attentionMask]);
    await teacher.dispose();
  });

  it('moves the pruned student towards the dense teacher (loss falls, teacher unchanged)', async () => {
    // student: vision layer 1 and two heads of text layer 0 removed
    const student = compactClip(teacher, { removed: ['vision.1.layer', 'text.0.attn.head.0', 'text.0.attn.head.3'] });
    const run = (model: ClipModel, b: typeof batch) => {
      const tokens = b.inputIds.shape[1] as number;
      return {
        key: `clip:full:${tokens}`,
        describe: <V>(ctx: Parameters<typeof describeClip<V>>[0]) => describeClip(ctx, model.config, model.arch, tokens),
        options: { hiddenStates: true },
        feeds: { pixel_values: b.pixelValues, input_ids: b.inputIds, attention_mask: b.attentionMask },
      };
    };
    const hidden = hiddenStatePairs({ vision: student.arch.vision.layerIndices, text: student.arch.text.layerIndices });
    expect(hidden.map((p) => p.teacher)).toEqual(['vision_model.hidden_states.1', 'vision_model.hidden_states.3', 'text_model.hidden_states.1', 'text_model.hidden_states.2']);
    const teacherBefore = Float32Array.from(teacher.params.get('vision_model.encoder.layers.1.mlp.fc1.weight').data);
    const studentBefore = Float32Array.from(student.params.get('vision_model.encoder.layers.2.mlp.fc1.weight').data);
    const result = await mopeDistill({
      params: student.params,
      student: (b, weights) => student.runner.runTfjs({ ...run(student, b), weights }),
      teacher: async (b) => (await teacher.runner.run({ ...run(teacher, b), engine: 'tfjs' })).outputs,
      // the same batch every step (the trainer's collate gets indices; one "example" = the batch)
      data: { size: 1, collate: () => batch },
      hidden,
      steps: 12,
      batchSize: 1,
      learningRate: 3e-3,
      seed: 0,
    });
    expect(result.losses).toHaveLength(12);
    expect(result.losses[0]).toBeGreaterThan(0);
    expect(result.losses[11]).toBeLessThan(0.7 * (result.losses[0] as number));
    expect(Array.from(teacher.params.get('vision_model.encoder.layers.1.mlp.fc1.weight').data)).toEqual(Array.from(teacherBefore));
    expect(Array.from(student.params.get('vision_model.encoder.layers.2.mlp.fc1.weight').data)).not.toEqual(Array.from(studentBefore));
    await student.dispose();
  }, 120_000);
});
