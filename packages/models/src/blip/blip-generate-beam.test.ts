import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference, relativeError } from '../testing/fixtures.js';
import { beamSearch } from './blip-beam-search.js';
import { BlipForConditionalGeneration } from './blip-caption-model.js';
import type { GenerateOutput } from './blip-generate.js';
import { decoderStep } from './blip-step.js';
import { BlipForQuestionAnswering } from './blip-vqa-model.js';

const captionDir = path.join(HF_FIXTURES, 'blip-caption-tiny');
const vqaDir = path.join(HF_FIXTURES, 'blip-vqa-tiny');

/** Σ log p(token) over each row's generated part (up to and including the stop token) and its length. */
function generatedLogProbs(logits: number[][][], sequences: number[][], promptLength: number, stop: number): { sum: number; length: number }[] {
  return sequences.map((seq, b) => {
    let sum = 0;
    let length = 0;
    for (let t = promptLength; t < seq.length; t++) {
      const row = (logits[b] as number[][])[t - 1] as number[];
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
      sum += (row[seq[t] as number] as number) - lse;
      length++;
      if (seq[t] === stop) break;
    }
    return { sum, length };
  });
}

function disposeOutput(out: GenerateOutput): void {
  tf.dispose([out.sequences, out.sequencesScores, ...(out.scores ?? [])].filter((t): t is tf.Tensor => t !== undefined));
}

describe('BLIP generation options on the fixtures', () => {
  let caption: BlipForConditionalGeneration;
  let vqa: BlipForQuestionAnswering;
  let inputs: Map<string, tf.Tensor>;
  let refs: Map<string, tf.Tensor>;
  let vqaInputs: Map<string, tf.Tensor>;
  const input = (name: string) => inputs.get(name) as tf.Tensor;
  const ref = (name: string) => refs.get(name) as tf.Tensor;

  beforeAll(async () => {
    await initBackend();
    caption = (await loadModel(captionDir)) as BlipForConditionalGeneration;
    vqa = (await loadModel(vqaDir)) as BlipForQuestionAnswering;
    inputs = await readReference(path.join(captionDir, 'reference/inputs.safetensors'));
    refs = await readReference(path.join(captionDir, 'reference/outputs.safetensors'));
    vqaInputs = await readReference(path.join(vqaDir, 'reference/inputs.safetensors'));
  });
  afterAll(async () => {
    await caption.dispose();
    await vqa.dispose();
    tf.dispose([...inputs.values(), ...refs.values(), ...vqaInputs.values()]);
  });

  /** A copy of the caption model that stops on `sep` (the fixture's greedy captions never emit sep 3). */
  const withStop = (sep: number) => new BlipForConditionalGeneration({ ...caption.config, text: { ...caption.config.text, sepTokenId: sep } }, caption.arch, caption.params);

  it('numBeams 1 is greedy; the beam-search core with one beam reproduces the greedy references and scores', async () => {
    const greedy = await caption.generate(input('pixel_values'), { numBeams: 1, maxNewTokens: 8, engine: 'onnx' });
    expect(greedy.sequences.arraySync()).toEqual(ref('generate.unconditional.sequences').arraySync());
    disposeOutput(greedy);
    const vision = await caption.vision(input('pixel_values'), { engine: 'onnx' });
    const out = await beamSearch({
      prompt: Int32Array.of(206, 206),
      promptMask: Int32Array.of(1, 1),
      batch: 2,
      promptLength: 1,
      numBeams: 1,
      maxNewTokens: 8,
      stopTokenId: 3,
      padTokenId: 0,
      maxPositions: 24,
      outputScores: true,
      step: decoderStep(caption, vision.lastHiddenState, 'onnx'),
    });
    const sequences = ref('generate.unconditional.sequences').arraySync() as number[][];
    expect(out.sequences.arraySync()).toEqual(sequences);
    // unfinished hypotheses: score = Σ log-softmax(reference logits)[token] / 8 new tokens
    const steps = ref('generate.unconditional.scores').arraySync() as number[][][]; // [step][row][vocab]
    const byRow = sequences.map((_, b) => steps.map((s) => s[b] as number[]));
    const expected = generatedLogProbs(byRow, sequences, 1, 3).map((r) => r.sum / 8);
    const got = Array.from((out.sequencesScores as tf.Tensor).dataSync());
    got.forEach((g, b) => expect(g).toBeCloseTo(expected[b] as number, 4));
    disposeOutput(out);
    tf.dispose([vision.lastHiddenState, vision.poolerOutput]);
  });

  it('beam search (3 beams) returns sequences whose score is the teacher-forced log-prob sum / generated length^lp', async () => {
    const model = withStop(141); // with stop token 141 some hypotheses finish, some reach the length budget
    const lengths = new Set<number>();
    for (const lengthPenalty of [1, 0.5]) {
      for (const prompted of [false, true]) {
        const options = prompted ? { inputIds: ref('generate.prompted.prompt_input_ids'), attentionMask: ref('generate.prompted.prompt_attention_mask') } : {};
        const out = await model.generate(input('pixel_values'), { ...options, numBeams: 3, maxNewTokens: 6, lengthPenalty, outputScores: true, engine: 'onnx' });
        const sequences = out.sequences.arraySync() as number[][];
        const p = prompted ? 4 : 1;
        const forced = await caption.forward({ pixelValues: input('pixel_values'), inputIds: out.sequences, engine: 'onnx' });
        const recomputed = generatedLogProbs(forced.logits.arraySync() as number[][][], sequences, p, 141);
        const scores = Array.from((out.sequencesScores as tf.Tensor).dataSync());
        recomputed.forEach((r, b) => {
          expect(scores[b], `lp ${lengthPenalty} prompted ${prompted} row ${b}`).toBeCloseTo(r.sum / r.length ** lengthPenalty, 4);
          expect(sequences[b]?.[0]).toBe(206);
          lengths.add(r.length);
        });
        expect(out.scores?.[0]?.shape).toEqual([6, 208]); // [batch · beams, vocab]
        disposeOutput(out);
        tf.dispose([forced.logits, forced.imageEmbeds, forced.visionModelOutput.lastHiddenState, forced.visionModelOutput.poolerOutput]);
      }
    }
    expect(lengths.has(6) && [...lengths].some((l) => l < 6), 'both finished and max-length hypotheses were returned').toBe(true);
    await model.dispose();
  });

  it('greedy honours minLength, repetitionPenalty and noRepeatNgramSize on the real decoder', async () => {
    const model = withStop(37); // both rows would stop at once: 37 is the first greedy token
    const out = await model.generate(input('pixel_values'), { maxNewTokens: 6, minLength: 3, outputScores: true, engine: 'onnx' });
    const first = (out.scores?.[0] as tf.Tensor).arraySync() as number[][];
    const reference = (ref('generate.unconditional.scores').arraySync() as number[][][])[0] as number[][];
    first.forEach((row, b) => {
      expect(row[37]).toBe(Number.NEGATIVE_INFINITY);
      const others = row.map((v, i) => (i === 37 ? 0 : v));
      const refOthers = (reference[b] as number[]).map((v, i) => (i === 37 ? 0 : v));
      expect(relativeError(tf.tensor(others), tf.tensor(refOthers))).toBeLessThan(2e-5);
    });
    const sequences = out.sequences.arraySync() as number[][];
    for (const seq of sequences) {
      expect(seq[1]).not.toBe(37);
      expect(seq[2]).not.toBe(37); // length 2 < 3 still banned
    }
    disposeOutput(out);
    await model.dispose();

    const plain = ref('generate.unconditional.sequences').arraySync() as number[][]; // row 1 repeats 37 37
    const penalised = await caption.generate(input('pixel_values'), { maxNewTokens: 8, repetitionPenalty: 1.5, noRepeatNgramSize: 2, engine: 'onnx' });
    const rows = penalised.sequences.arraySync() as number[][];
    expect(rows).not.toEqual(plain);
    for (const seq of rows) {
      const bigrams = seq.slice(1).map((t, i) => `${seq[i]},${t}`);
      expect(new Set(bigrams).size).toBe(bigrams.length);
    }
    disposeOutput(penalised);
  });

  it('VQA beam search: sequence scores match the decoder step recomputation (all-ones question mask)', async () => {
    const ids = vqaInputs.get('input_ids') as tf.Tensor;
    const pixels = vqaInputs.get('pixel_values') as tf.Tensor;
    const mask = vqaInputs.get('attention_mask') as tf.Tensor;
    const out = await vqa.generate(ids, pixels, { attentionMask: mask, numBeams: 2, maxNewTokens: 5, outputScores: true, engine: 'onnx' });
    const sequences = out.sequences.arraySync() as number[][];
    const question = await vqa.encodeQuestion(ids, pixels, { attentionMask: mask, engine: 'onnx' });
    const step = decoderStep(vqa, question, 'onnx');
    const width = sequences[0]?.length as number;
    const logits: number[][][] = sequences.map(() => []);
    for (let pos = 0; pos + 1 < width; pos++) {
      const [seqT, maskT, posT] = [tf.tensor2d(sequences, undefined, 'int32'), tf.ones([2, width], 'int32'), tf.fill([2], pos, 'int32')];
      const l = await step(seqT, maskT, posT);
      (l.arraySync() as number[][]).forEach((row, b) => logits[b]?.push(row));
      tf.dispose([seqT, maskT, posT, l]);
    }
    const recomputed = generatedLogProbs(logits, sequences, 1, 3);
    const scores = Array.from((out.sequencesScores as tf.Tensor).dataSync());
    recomputed.forEach((r, b) => expect(scores[b]).toBeCloseTo(r.sum / r.length, 4));
    disposeOutput(out);
    question.dispose();
  });

  it('leaves no tensors behind on tfjs (beam search with scores, greedy with processors)', async () => {
    const run = async () => {
      disposeOutput(await caption.generate(input('pixel_values'), { numBeams: 2, maxNewTokens: 3, outputScores: true, engine: 'tfjs' }));
      disposeOutput(await caption.generate(input('pixel_values'), { maxNewTokens: 3, repetitionPenalty: 1.2, outputScores: true, engine: 'tfjs' }));
    };
    await run(); // warms the tfjs parameter cache
    const before = tf.memory().numTensors;
    await run();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects invalid beam options', async () => {
    await expect(caption.generate(input('pixel_values'), { numBeams: 0 })).rejects.toThrow(/numBeams must be a positive integer/);
    await expect(caption.generate(input('pixel_values'), { numBeams: 2, earlyStopping: 'sometimes' as never })).rejects.toThrow(/earlyStopping must be/);
  });
});
