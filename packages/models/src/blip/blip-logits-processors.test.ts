import { describe, expect, it } from 'vitest';
import {
  bannedNgramTokens,
  buildLogitsProcessors,
  minLengthProcessor,
  minNewTokensProcessor,
  noRepeatNgramProcessor,
  repetitionPenaltyProcessor,
} from './blip-logits-processors.js';

const NEG = Number.NEGATIVE_INFINITY;

describe('logits processors (transformers v4.36.2 semantics, hand-computed)', () => {
  it('RepetitionPenalty multiplies negative and divides positive scores of ids already present, once per id', () => {
    const scores = Float32Array.from([1.0, -2.0, 0.5, 3.0, -1.5, 0.25, 4.0, -0.5]);
    // row 0 saw ids 0, 1, 1 (the duplicate is penalised once); row 1 saw id 2 (0.25) and 3 (−0.5)
    repetitionPenaltyProcessor(2).apply([[0, 1, 1], [2, 3]], scores, 4);
    expect(Array.from(scores)).toEqual([0.5, -4.0, 0.5, 3.0, -1.5, 0.25, 2.0, -1.0]);
    const odd = Float32Array.from([0.3, -0.3]);
    repetitionPenaltyProcessor(1.2).apply([[0, 1]], odd, 2);
    // float32 arithmetic like torch: fround(0.3) / fround(1.2), fround(−0.3) · fround(1.2)
    expect(odd[0]).toBe(Math.fround(Math.fround(0.3) / Math.fround(1.2)));
    expect(odd[1]).toBe(Math.fround(Math.fround(-0.3) * Math.fround(1.2)));
  });

  it('NoRepeatNGram bans the ids that would complete an n-gram already in the row', () => {
    expect(bannedNgramTokens([5, 1, 2, 1], 2)).toEqual([2]); // bigram (1, 2) exists, row ends in 1
    expect(bannedNgramTokens([1, 2, 3, 1, 2], 3)).toEqual([3]); // trigram (1, 2, 3), row ends in (1, 2)
    expect(bannedNgramTokens([1, 2, 1, 4, 1], 2)).toEqual([2, 4]);
    expect(bannedNgramTokens([3, 3, 1], 1)).toEqual([3, 3, 1]); // n = 1: every id seen
    expect(bannedNgramTokens([1, 2], 4)).toEqual([]); // shorter than n − 1
    const scores = Float32Array.from([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]);
    noRepeatNgramProcessor(2).apply([[5, 1, 2, 1], [0, 1]], scores, 6);
    expect(Array.from(scores)).toEqual([0, 1, NEG, 3, 4, 5, 0, 1, 2, 3, 4, 5]);
  });

  it('MinLength sets the stop ids to −∞ while a row (prompt included) is shorter than minLength', () => {
    const scores = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.3, 0.4]);
    minLengthProcessor(3, [3]).apply([[9, 1], [9, 1, 2]], scores, 4);
    expect(Array.from(scores)).toEqual([0.1, 0.2, 0.3, NEG, 0.1, 0.2, 0.3, 0.4].map(Math.fround));
  });

  it('MinNewTokens counts only the tokens after the prompt', () => {
    const scores = Float32Array.from([1, 2, 3, 1, 2, 3]);
    minNewTokensProcessor(2, 2, [0]).apply([[7, 7, 1], [7, 7, 1, 2]], scores, 3);
    expect(Array.from(scores)).toEqual([NEG, 2, 3, 1, 2, 3]);
  });

  it('builds the processors in transformers order and none for default options; rejects bad values', () => {
    const ctx = { promptLength: 1, stopIds: [3] };
    expect(buildLogitsProcessors({}, ctx)).toEqual([]);
    expect(buildLogitsProcessors({ minLength: 0, repetitionPenalty: 1, noRepeatNgramSize: 0, minNewTokens: 0 }, ctx)).toEqual([]);
    const names = buildLogitsProcessors({ minNewTokens: 1, minLength: 5, noRepeatNgramSize: 3, repetitionPenalty: 1.5 }, ctx).map((p) => p.name);
    expect(names).toEqual(['RepetitionPenaltyLogitsProcessor', 'NoRepeatNGramLogitsProcessor', 'MinLengthLogitsProcessor', 'MinNewTokensLengthLogitsProcessor']);
    expect(() => buildLogitsProcessors({ repetitionPenalty: 0 }, ctx)).toThrow(/repetitionPenalty must be a strictly positive/);
    expect(() => buildLogitsProcessors({ noRepeatNgramSize: 1.5 }, ctx)).toThrow(/noRepeatNgramSize must be an integer/);
    expect(() => buildLogitsProcessors({ minLength: -1 }, ctx)).toThrow(/minLength must be an integer ≥ 0/);
  });
});
