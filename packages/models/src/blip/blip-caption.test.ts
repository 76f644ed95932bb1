import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, readSafetensors } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference, relativeError } from '../testing/fixtures.js';
import { BlipForConditionalGeneration } from './blip-caption-model.js';

const dir = path.join(HF_FIXTURES, 'blip-caption-tiny');
const TOL = 2e-5;

describe('BlipForConditionalGeneration on blip-caption-tiny', () => {
  let model: BlipForConditionalGeneration;
  let inputs: Map<string, tf.Tensor>;
  let refs: Map<string, tf.Tensor>;
  const input = (name: string) => inputs.get(name) as tf.Tensor;
  const ref = (name: string) => refs.get(name) as tf.Tensor;

  beforeAll(async () => {
    await initBackend();
    const loaded = await loadModel(dir);
    if (!(loaded instanceof BlipForConditionalGeneration)) throw new Error('expected BlipForConditionalGeneration');
    model = loaded;
    inputs = await readReference(path.join(dir, 'reference/inputs.safetensors'));
    refs = await readReference(path.join(dir, 'reference/outputs.safetensors'));
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values(), ...refs.values()]);
  });

  for (const engine of ['onnx', 'tfjs'] as const) {
    it(`matches the teacher-forced references on the ${engine} engine (logits, vision and decoder hidden states)`, async () => {
      const out = await model.forward({
        pixelValues: input('pixel_values'),
        inputIds: input('input_ids'),
        attentionMask: input('attention_mask'),
        outputHiddenStates: true,
        engine,
      });
      const got: Record<string, tf.Tensor> = {
        logits: out.logits,
        image_embeds: out.imageEmbeds,
        'vision_model.pooler_output': out.visionModelOutput.poolerOutput,
      };
      out.visionModelOutput.hiddenStates?.forEach((t, i) => (got[`vision_model.hidden_states.${i}`] = t));
      out.decoderHiddenStates?.forEach((t, i) => (got[`text_decoder.hidden_states.${i}`] = t));
      const expected = [...refs.keys()].filter((n) => !n.startsWith('generate.'));
      expect(Object.keys(got).sort()).toEqual(expected.sort());
      for (const name of expected) expect(relativeError(got[name] as tf.Tensor, ref(name)), `${engine}: ${name}`).toBeLessThanOrEqual(TOL);
      tf.dispose([...Object.values(got), out.visionModelOutput.lastHiddenState]);
    });

    it(`generates the greedy references token for token on the ${engine} engine (unconditional and prompted)`, async () => {
      const plain = await model.generate(input('pixel_values'), { maxNewTokens: 8, outputScores: true, engine });
      const prompted = await model.generate(input('pixel_values'), {
        inputIds: ref('generate.prompted.prompt_input_ids'),
        attentionMask: ref('generate.prompted.prompt_attention_mask'),
        maxNewTokens: 8,
        outputScores: true,
        engine,
      });
      for (const [name, out] of [['unconditional', plain], ['prompted', prompted]] as const) {
        expect(out.sequences.arraySync(), name).toEqual(ref(`generate.${name}.sequences`).arraySync());
        const scores = tf.stack(out.scores ?? []);
        expect(relativeError(scores, ref(`generate.${name}.scores`)), `${engine}: ${name} scores`).toBeLessThanOrEqual(TOL);
        tf.dispose([scores, out.sequences, ...(out.scores ?? [])]);
      }
    });
  }

  it('computes the shifted LM loss with label smoothing 0.1 (mean over every position, pads included)', async () => {
    const ids = input('input_ids');
    const out = await model.forward({ pixelValues: input('pixel_values'), inputIds: ids, attentionMask: input('attention_mask'), labels: ids });
    // Reference computed on the host from the reference logits: CE with ε = 0.1 over logits[:, :-1] vs ids[:, 1:].
    const logits = ref('logits').arraySync() as number[][][];
    const labels = ids.arraySync() as number[][];
    let total = 0;
    let count = 0;
    for (let b = 0; b < logits.length; b++) {
      for (let t = 0; t + 1 < (labels[b] as number[]).length; t++) {
        const row = (logits[b] as number[][])[t] as number[];
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
        const logp = row.map((v) => v - lse);
        total += -0.9 * (logp[(labels[b] as number[])[t + 1] as number] as number) - (0.1 / row.length) * logp.reduce((s, v) => s + v, 0);
        count++;
      }
    }
    expect(out.loss?.shape).toEqual([]);
    expect(Math.abs((out.loss?.dataSync()[0] as number) - total / count)).toBeLessThan(2e-5);
    tf.dispose([out.logits, out.loss, out.imageEmbeds, out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput].filter((t): t is tf.Tensor => t !== undefined));
  });

  it('stops rows at sep_token_id and pads them with pad_token_id; stops when every row is done', async () => {
    // Row 0 of the unconditional reference generates 12 at step 3, row 1 generates 177 at step 3.
    const sequences = ref('generate.unconditional.sequences').arraySync() as number[][];
    const withStop = (sep: number) => new BlipForConditionalGeneration({ ...model.config, text: { ...model.config.text, sepTokenId: sep } }, model.arch, model.params);
    const one = withStop(12);
    const out = await one.generate(input('pixel_values'), { maxNewTokens: 8, engine: 'onnx' });
    expect(out.sequences.arraySync()).toEqual([[...(sequences[0] as number[]).slice(0, 4), 0, 0, 0, 0, 0], sequences[1]]);
    out.sequences.dispose();
    await one.dispose();
    const both = withStop(37); // both rows produce 37 first
    const early = await both.generate(input('pixel_values'), { maxNewTokens: 8, outputScores: true, engine: 'onnx' });
    expect(early.sequences.arraySync()).toEqual([[206, 37], [206, 37]]);
    expect(early.scores?.length).toBe(1);
    tf.dispose([early.sequences, ...(early.scores ?? [])]);
    await both.dispose();
  });

  it('defaults to max_length 20 and refuses lengths beyond max_position_embeddings', async () => {
    const out = await model.generate(input('pixel_values'), { engine: 'onnx' });
    expect(out.sequences.shape).toEqual([2, 20]);
    out.sequences.dispose();
    await expect(model.generate(input('pixel_values'), { maxNewTokens: 30 })).rejects.toThrow(/max_position_embeddings = 24/);
  });

  it('leaves no tensors behind on tfjs (forward with loss, generate with scores)', async () => {
    const run = async () => {
      const out = await model.forward({ pixelValues: input('pixel_values'), inputIds: input('input_ids'), labels: input('input_ids'), outputHiddenStates: true, engine: 'tfjs' });
      tf.dispose([out.logits, out.loss, out.imageEmbeds, out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput, ...(out.visionModelOutput.hiddenStates ?? []), ...(out.decoderHiddenStates ?? [])].filter((t): t is tf.Tensor => t !== undefined));
      const gen = await model.generate(input('pixel_values'), { maxNewTokens: 3, outputScores: true, engine: 'tfjs' });
      tf.dispose([gen.sequences, ...(gen.scores ?? [])]);
    };
    await run(); // warms the tfjs parameter cache
    const before = tf.memory().numTensors;
    await run();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the LM decoder weight untied and reads cls.predictions.bias as its bias', async () => {
    const st = await readSafetensors(path.join(dir, 'model.safetensors'));
    expect(st.names).not.toContain('text_decoder.cls.predictions.decoder.bias');
    const decoder = 'text_decoder.cls.predictions.decoder.weight';
    expect(Array.from(model.params.get(decoder).data)).toEqual(Array.from(await st.readFloat32(decoder)));
    expect(Array.from(model.params.get(decoder).data)).not.toEqual(Array.from(model.params.get('text_decoder.bert.embeddings.word_embeddings.weight').data));
    const key = 'text_decoder.bert.encoder.layer.0.crossattention.self.key.bias';
    expect(Array.from(model.params.get(key).data)).toEqual(Array.from(await st.readFloat32(key)));
    await st.close();
  });
});
