import { InvalidArgumentError } from '@vlp/core';

/** transformers' `early_stopping`: `true`, `false` (heuristic) or `'never'` (exact). */
export type EarlyStopping = boolean | 'never';

/** A finished (or final) hypothesis: its tokens (prompt included, stop token excluded) and score. */
export interface BeamHypothesis {
  /** `sum_logprobs / generated_len ** length_penalty`. */
  readonly score: number;
  readonly tokens: Int32Array;
}

/**
 * transformers v4.36.2 `BeamHypotheses`: the `numBeams` best finished hypotheses of one batch row,
 * scored `sumLogprobs / generatedLen ** lengthPenalty`, where `generatedLen` counts the tokens
 * after the prompt — the stop token included for a hypothesis ended by it (`cur_len −
 * decoder_prompt_len` in `process`), every token for one closed at `max_length` (`finalize`).
 */
export class BeamHypotheses {
  readonly beams: BeamHypothesis[] = [];
  worstScore = 1e9;

  constructor(
    readonly numBeams: number,
    readonly lengthPenalty: number,
    readonly earlyStopping: EarlyStopping,
    readonly maxLength: number,
  ) {}

  /** Number of hypotheses kept. */
  get size(): number {
    return this.beams.length;
  }

  /** Adds a hypothesis when the list is not full or it beats the worst one (which is then dropped). */
  add(tokens: Int32Array, sumLogprobs: number, generatedLen: number): void {
    const score = sumLogprobs / generatedLen ** this.lengthPenalty;
    if (this.beams.length < this.numBeams || score > this.worstScore) {
      this.beams.push({ score, tokens });
      if (this.beams.length > this.numBeams) {
        // Python's sorted((s, idx)): the worst score, the earliest added among equals.
        const order = this.beams.map((b, idx) => ({ s: b.score, idx })).sort((a, b) => a.s - b.s || a.idx - b.idx);
        this.beams.splice((order[0] as { idx: number }).idx, 1);
        this.worstScore = (order[1] as { s: number }).s;
      } else {
        this.worstScore = Math.min(score, this.worstScore);
      }
    }
  }

  /**
   * Whether no running beam can still beat the worst kept hypothesis. `bestSumLogprobs` is the best
   * candidate score of this step, `curLen` the length including the token being chosen.
   */
  isDone(bestSumLogprobs: number, curLen: number, promptLength: number): boolean {
    if (this.beams.length < this.numBeams) return false;
    if (this.earlyStopping === true) return true;
    let denominator = curLen - promptLength;
    if (this.earlyStopping === 'never' && this.lengthPenalty > 0) {
      if (this.maxLength <= promptLength) throw new InvalidArgumentError({ message: 'max_length is not larger than the decoder prompt length.' });
      denominator = this.maxLength - promptLength;
    }
    return this.worstScore >= bestSumLogprobs / denominator ** this.lengthPenalty;
  }

  /** The best hypothesis: the highest score, the last added among equals (transformers' stable sort + pop). */
  best(): BeamHypothesis {
    let best = this.beams[0] as BeamHypothesis;
    for (const b of this.beams) if (b.score >= best.score) best = b;
    return best;
  }
}

/** One step's top `2·numBeams` candidates of one batch row, best first. */
export interface BeamCandidates {
  readonly scores: readonly number[];
  readonly tokens: readonly number[];
  /** The beam (0..numBeams−1 within the row) each candidate extends. */
  readonly beams: readonly number[];
}

/** What {@link BeamSearchScorer.process} hands back: per beam slot (`batch · numBeams`), the beam it continues. */
export interface BeamStep {
  readonly beamScores: Float32Array;
  readonly beamTokens: Int32Array;
  /** Global row (`b · numBeams + k`) each slot continues; 0 for rows of finished batch items (as transformers). */
  readonly beamIndices: Int32Array;
}

/** Settings of a {@link BeamSearchScorer}. */
export interface BeamScorerOptions {
  readonly batch: number;
  readonly numBeams: number;
  readonly lengthPenalty: number;
  readonly earlyStopping: EarlyStopping;
  /** `max_length` (prompt included), used by `earlyStopping: 'never'` and to cap the output. */
  readonly maxLength: number;
  readonly padTokenId: number;
  readonly stopTokenId: number;
  readonly promptLength: number;
}

/**
 * transformers v4.36.2 `BeamSearchScorer` (one group, `num_return_sequences` 1): per step, the
 * candidates ending in the stop token and ranked within the first `numBeams` become finished
 * hypotheses, the best `numBeams` others continue; a row is done when its hypotheses can no longer
 * improve; `finalize` adds the open beams and returns the best hypothesis per row with the stop
 * token appended when it fits, shorter rows padded.
 */
export class BeamSearchScorer {
  readonly hyps: BeamHypotheses[];
  readonly done: boolean[];

  constructor(readonly o: BeamScorerOptions) {
    if (!Number.isInteger(o.numBeams) || o.numBeams < 1) throw new InvalidArgumentError({ message: `numBeams must be a positive integer, got ${o.numBeams}.` });
    this.hyps = Array.from({ length: o.batch }, () => new BeamHypotheses(o.numBeams, o.lengthPenalty, o.earlyStopping, o.maxLength));
    this.done = new Array<boolean>(o.batch).fill(false);
  }

  /** Whether every batch item is done. */
  get isDone(): boolean {
    return this.done.every(Boolean);
  }

  /**
   * `process`: `rows[b·numBeams + k]` are the running beams (length `curLen`), `candidates[b]` the
   * row's top `2·numBeams` continuations.
   */
  process(rows: readonly Int32Array[], candidates: readonly BeamCandidates[], curLen: number): BeamStep {
    const { batch, numBeams: k, promptLength } = this.o;
    const beamScores = new Float32Array(batch * k);
    const beamTokens = new Int32Array(batch * k);
    const beamIndices = new Int32Array(batch * k);
    const nextLen = curLen + 1; // the length the candidate scores were computed for
    for (let b = 0; b < batch; b++) {
      if (this.done[b]) {
        beamTokens.fill(this.o.padTokenId, b * k, (b + 1) * k);
        continue;
      }
      const c = candidates[b] as BeamCandidates;
      let slot = 0;
      for (let rank = 0; rank < c.tokens.length && slot < k; rank++) {
        const row = b * k + (c.beams[rank] as number);
        if (c.tokens[rank] === this.o.stopTokenId) {
          if (rank >= k) continue;
          (this.hyps[b] as BeamHypotheses).add((rows[row] as Int32Array).slice(0, curLen), c.scores[rank] as number, nextLen - promptLength);
        } else {
          beamScores[b * k + slot] = c.scores[rank] as number;
          beamTokens[b * k + slot] = c.tokens[rank] as number;
          beamIndices[b * k + slot] = row;
          slot++;
        }
      }
      if (slot < k) throw new InvalidArgumentError({ message: `Beam search found fewer than ${k} continuations that are not the stop token.` });
      this.done[b] = (this.hyps[b] as BeamHypotheses).isDone(Math.max(...c.scores), nextLen, promptLength);
    }
    return { beamScores, beamTokens, beamIndices };
  }

  /**
   * `finalize`: the open beams of unfinished rows join their hypotheses; returns per batch row the
   * best hypothesis (stop token appended when shorter than the longest and `maxLength`), rows padded
   * with `padTokenId` to a common length, and its score.
   */
  finalize(rows: readonly Int32Array[], beamScores: Float32Array, curLen: number): { sequences: Int32Array[]; width: number; scores: number[] } {
    const { batch, numBeams: k, promptLength } = this.o;
    for (let b = 0; b < batch; b++) {
      if (this.done[b]) continue;
      for (let j = 0; j < k; j++) {
        (this.hyps[b] as BeamHypotheses).add((rows[b * k + j] as Int32Array).slice(0, curLen), beamScores[b * k + j] as number, curLen - promptLength);
      }
    }
    const best = this.hyps.map((h) => h.best());
    const lengths = best.map((h) => h.tokens.length);
    const width = Math.min(Math.max(...lengths) + 1, this.o.maxLength);
    const sequences = best.map((h) => {
      const out = new Int32Array(width).fill(this.o.padTokenId);
      out.set(h.tokens.subarray(0, width));
      if (h.tokens.length < width) out[h.tokens.length] = this.o.stopTokenId;
      return out;
    });
    return { sequences, width, scores: best.map((h) => h.score) };
  }
}
