import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend } from '@vlp/core';
import { BeamHypotheses } from './blip-beam-scorer.js';
import type { EarlyStopping } from './blip-beam-scorer.js';
import { beamSearch } from './blip-beam-search.js';
import { topIndices } from './blip-top-k.js';
import { type DecoderStep, greedyGenerate } from './blip-generate.js';
import { minLengthProcessor, noRepeatNgramProcessor } from './blip-logits-processors.js';

// Vocabulary of the mock decoder: 0 [PAD], 1 A, 2 B, 3 [SEP] (the stop token), 4 [DEC] (the prompt).
const PAD = 0;
const A = 1;
const B = 2;
const SEP = 3;
const DEC = 4;
const V = 5;

/** A Markov "decoder": the next-token logits are ln P(· | last token) (probability 0 → logit −1e4). */
function markovStep(table: Record<number, number[]>, calls = { n: 0 }): DecoderStep {
  return async (ids, _mask, position) => {
    calls.n++;
    const [rows, width] = ids.shape as [number, number];
    const data = ids.dataSync();
    const pos = position.dataSync();
    const out = new Float32Array(rows * V);
    for (let r = 0; r < rows; r++) {
      const probs = table[data[r * width + (pos[r] as number)] as number] ?? [1, 0, 0, 0, 0];
      probs.forEach((q, v) => (out[r * V + v] = q > 0 ? Math.log(q) : -1e4));
    }
    return tf.tensor2d(out, [rows, V]);
  };
}

const base = { prompt: Int32Array.of(DEC), promptMask: Int32Array.of(1), batch: 1, promptLength: 1, stopTokenId: SEP, padTokenId: PAD, maxPositions: 64 };

async function run(table: Record<number, number[]>, o: { numBeams: number; maxNewTokens: number; lengthPenalty?: number; earlyStopping?: EarlyStopping; calls?: { n: number } } & Partial<Parameters<typeof beamSearch>[0]>) {
  const out = await beamSearch({ ...base, ...o, outputScores: true, step: markovStep(table, o.calls) });
  const result = { sequence: (out.sequences.arraySync() as number[][])[0] as number[], score: (out.sequencesScores as tf.Tensor).dataSync()[0] as number, steps: out.scores?.length };
  tf.dispose([out.sequences, out.sequencesScores, ...(out.scores ?? [])].filter((t): t is tf.Tensor => t !== undefined));
  return result;
}

describe('BeamHypotheses (transformers v4.36.2, hand-computed)', () => {
  it('keeps the numBeams best length-penalised hypotheses and tracks the worst', () => {
    const h = new BeamHypotheses(2, 1, false, 10);
    h.add(Int32Array.of(4, 1), -1.2, 2); // −0.6
    expect(h.worstScore).toBeCloseTo(-0.6, 12);
    h.add(Int32Array.of(4, 2), -3, 3); // −1.0
    h.add(Int32Array.of(4, 1, 1), -1.5, 3); // −0.5 evicts −1.0
    expect(h.beams.map((b) => b.score)).toEqual([-0.6, -0.5]);
    expect(h.worstScore).toBeCloseTo(-0.6, 12);
    h.add(Int32Array.of(4, 2, 2), -2.0, 2); // −1.0 < worst: ignored
    expect(h.size).toBe(2);
    expect(Array.from(h.best().tokens)).toEqual([4, 1, 1]);
  });

  it('isDone: true stops once full; false compares with best / (cur − prompt)^lp; never with max_length', () => {
    const full = (early: EarlyStopping, lp = 1) => {
      const h = new BeamHypotheses(2, lp, early, 6);
      h.add(Int32Array.of(4, 1), -1.2, 2);
      h.add(Int32Array.of(4, 2), -1.6, 2); // worst −0.8
      return h;
    };
    expect(new BeamHypotheses(2, 1, true, 6).isDone(-0.1, 3, 1)).toBe(false); // not full
    expect(full(true).isDone(-0.1, 3, 1)).toBe(true);
    expect(full(false).isDone(-1.7, 3, 1)).toBe(true); // worst −0.8 ≥ −1.7 / (3 − 1) = −0.85
    expect(full(false).isDone(-1.5, 3, 1)).toBe(false); // −0.8 < −0.75
    // 'never', lp > 0: bound best / (max_length − prompt)^lp = −4 / 5 = −0.8 → done; −3.9/5 = −0.78 → not
    expect(full('never').isDone(-4, 3, 1)).toBe(true);
    expect(full('never').isDone(-3.9, 3, 1)).toBe(false);
    // 'never', lp ≤ 0: bound from cur_len: lp = 0 → best itself
    expect(full('never', 0).isDone(-1.6, 3, 1)).toBe(true);
  });
});

describe('topIndices', () => {
  it('returns the best entries first, ties in index order', () => {
    expect(topIndices(Float32Array.of(0.5, 2, -1, 2, 3, 0.5), 0, 6, 4)).toEqual([4, 1, 3, 0]);
    expect(topIndices(Float32Array.of(9, 1, 1, 1), 1, 3, 2)).toEqual([0, 1]);
  });
});

describe('beamSearch on a mock decoder (hand-derived and brute-forced)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  // P(· | [DEC]) = A .5, B .4, SEP .1; P(· | A) = A .35, B .35, SEP .3; P(· | B) = A .05, B .05, SEP .9
  const table = { [DEC]: [0, 0.5, 0.4, 0.1, 0], [A]: [0, 0.35, 0.35, 0.3, 0], [B]: [0, 0.05, 0.05, 0.9, 0] };

  it('finds [DEC] B [SEP] where greedy search takes A A A (2 beams, hand-derived)', async () => {
    // step 1: beams [DEC A] ln .5, [DEC B] ln .4
    // step 2: candidates SEP|B ln .36, A|A ln .175, B|A ln .175, SEP|A ln .15 → hypothesis [DEC B] with
    //         ln .36 / 2 (generated length counts the stop token); beams [DEC A A], [DEC A B] at ln .175
    // step 3: SEP after [DEC A B]: ln(.175 · .9) / 3 = −0.6161 joins; the scorer is done
    //         (worst −0.6161 ≥ best candidate −1.8483 / 3); the best is [DEC B SEP] at ln(.36) / 2.
    const beam = await run(table, { numBeams: 2, maxNewTokens: 3 });
    expect(beam.sequence).toEqual([DEC, B, SEP]);
    expect(beam.score).toBeCloseTo(Math.log(0.36) / 2, 5);
    expect(beam.steps).toBe(3);
    const greedy = await greedyGenerate({ ...base, maxNewTokens: 3, step: markovStep(table) });
    expect(greedy.sequences.arraySync()).toEqual([[DEC, A, A, A]]); // A wins the A/B tie (first index)
    greedy.sequences.dispose();
    // length penalty 0: raw sums, −1.0217 ([DEC B]) still beats −1.8483 ([DEC A B])
    const sums = await run(table, { numBeams: 2, maxNewTokens: 3, lengthPenalty: 0 });
    expect(sums.sequence).toEqual([DEC, B, SEP]);
    expect(sums.score).toBeCloseTo(Math.log(0.36), 5);
  });

  it('early stopping: true stops with numBeams hypotheses, false checks the heuristic bound (hand-derived)', async () => {
    // P(·|[DEC]) = A .5, B .5; P(·|A) = SEP .6, A .2, B .2; P(·|B) = SEP .55, A .25, B .2
    const t2 = { [DEC]: [0, 0.5, 0.5, 0, 0], [A]: [0, 0.2, 0.2, 0.6, 0], [B]: [0, 0.25, 0.2, 0.55, 0] };
    // step 2: SEP|A ln .3 and SEP|B ln .275 rank 0 and 1 → two hypotheses, −0.6020 and −0.6455.
    const eager = { n: 0 };
    const stopped = await run(t2, { numBeams: 2, maxNewTokens: 5, earlyStopping: true, calls: eager });
    expect(stopped.sequence).toEqual([DEC, A, SEP]);
    expect(stopped.score).toBeCloseTo(Math.log(0.3) / 2, 5);
    expect(eager.n).toBe(2);
    // false: −0.6455 ≥ ln .3 / (3 − 1) = −0.6020 fails → one more step; its best candidate
    // ln(.125 · .6) = −2.5903 bounds at −2.5903 / (4 − 1) = −0.8634 ≤ −0.6455 → done after step 3.
    const heuristic = { n: 0 };
    const later = await run(t2, { numBeams: 2, maxNewTokens: 5, earlyStopping: false, calls: heuristic });
    expect(later.sequence).toEqual([DEC, A, SEP]);
    expect(heuristic.n).toBe(3);
    // 'never' (lp 1 > 0) bounds with max_length: step 3 −2.5903 / (6 − 1) = −0.518 > −0.6455 → go on;
    // step 4's best ln(.125 · .2 · .6) = −4.1997 / 5 = −0.8399 → done after 4 steps.
    const never = { n: 0 };
    const exact = await run(t2, { numBeams: 2, maxNewTokens: 5, earlyStopping: 'never', calls: never });
    expect(exact.sequence).toEqual([DEC, A, SEP]);
    expect(never.n).toBe(4);
  });

  /** Every sequence of A/B/SEP after [DEC] (up to maxNew tokens), scored as a finished or a max-length hypothesis. */
  function bruteForce(t: Record<number, number[]>, maxNew: number, lp: number, allowed: (tokens: number[]) => boolean): { sequence: number[]; score: number } {
    let best = { sequence: [] as number[], score: Number.NEGATIVE_INFINITY };
    const visit = (tokens: number[], sum: number) => {
      const generated = tokens.length - 1;
      if (generated > 0 && (tokens.at(-1) === SEP || generated === maxNew)) {
        if (allowed(tokens)) {
          const score = sum / generated ** lp;
          if (score > best.score) best = { sequence: tokens, score };
        }
        return;
      }
      for (const next of [A, B, SEP]) {
        const q = (t[tokens.at(-1) as number] as number[])[next] as number;
        visit([...tokens, next], sum + Math.log(q));
      }
    };
    visit([DEC], 0);
    return best;
  }

  function randomTable(seed: number): Record<number, number[]> {
    const rng = createRng(seed);
    const row = () => {
      const w = [A, B, SEP].map(() => 0.05 + rng.nextFloat());
      const s = w.reduce((x, y) => x + y, 0);
      return [0, (w[0] as number) / s, (w[1] as number) / s, (w[2] as number) / s, 0];
    };
    return { [DEC]: row(), [A]: row(), [B]: row() };
  }

  it("with enough beams and earlyStopping 'never' returns the global optimum (brute force, several length penalties)", async () => {
    for (const seed of [1, 2, 3]) {
      const t = randomTable(seed);
      for (const lp of [1, 0.5, 2, 0, -1]) {
        const expected = bruteForce(t, 4, lp, () => true);
        // 24 beams ≥ the 3 · 2^t real candidates of every step, so no hypothesis is ever dropped
        const got = await run(t, { numBeams: 24, maxNewTokens: 4, lengthPenalty: lp, earlyStopping: 'never' });
        const finished = expected.sequence.at(-1) === SEP;
        expect(got.sequence.slice(0, expected.sequence.length), `seed ${seed} lp ${lp}`).toEqual(expected.sequence);
        expect(got.sequence.length).toBe(finished ? expected.sequence.length : 5);
        expect(got.score).toBeCloseTo(expected.score, 5);
      }
    }
  });

  it('honours logits processors: no repeated bigram, and min length via the brute-force constraint', async () => {
    const t = randomTable(2);
    const noRepeat = (tokens: number[]) => {
      const seen = new Set<string>();
      for (let i = 0; i + 1 < tokens.length; i++) {
        const key = `${tokens[i]},${tokens[i + 1]}`;
        if (seen.has(key)) return false;
        seen.add(key);
      }
      return true;
    };
    const expected = bruteForce(t, 4, 2, noRepeat);
    expect(bruteForce(t, 4, 2, () => true).sequence).toEqual([DEC, B, A, A, A]); // the constraint matters
    const got = await run(t, { numBeams: 24, maxNewTokens: 4, lengthPenalty: 2, earlyStopping: 'never', processors: [noRepeatNgramProcessor(2)] });
    expect(got.sequence.slice(0, expected.sequence.length)).toEqual(expected.sequence);
    expect(got.score).toBeCloseTo(expected.score, 5);
    // min length 4 (prompt included): [SEP] is banned while a row holds fewer than 4 tokens
    const long = (tokens: number[]) => tokens.at(-1) !== SEP || tokens.length - 1 >= 4;
    for (const seed of [1, 7]) {
      const tm = randomTable(seed);
      const want = bruteForce(tm, 4, 1, long);
      expect(bruteForce(tm, 4, 1, () => true).sequence.length, 'the constraint matters').toBeLessThan(5);
      const have = await run(tm, { numBeams: 24, maxNewTokens: 4, earlyStopping: 'never', processors: [minLengthProcessor(4, [SEP])] });
      expect(have.sequence.slice(0, want.sequence.length), `seed ${seed}`).toEqual(want.sequence);
      expect(have.score).toBeCloseTo(want.score, 5);
    }
  });

  it('pads finished batch items and keeps them apart from running ones', async () => {
    // item 0 starts from [DEC], item 1 from B (whose best continuation is SEP at once)
    const out = await beamSearch({
      ...base,
      prompt: Int32Array.of(DEC, B),
      promptMask: Int32Array.of(1, 1),
      batch: 2,
      numBeams: 2,
      maxNewTokens: 3,
      outputScores: true,
      step: markovStep(table),
    });
    expect(out.sequences.arraySync()).toEqual([
      [DEC, B, SEP],
      [B, SEP, PAD],
    ]);
    expect(Array.from((out.sequencesScores as tf.Tensor).dataSync())[1]).toBeCloseTo(Math.log(0.9), 5);
    tf.dispose([out.sequences, out.sequencesScores, ...(out.scores ?? [])].filter((t): t is tf.Tensor => t !== undefined));
  });
});
