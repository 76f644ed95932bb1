import { InvalidArgumentError } from '@vlp/core';
import { pySplit } from './python-strings.js';
import { ptbTokenize } from './ptb/ptb-tokenize.js';

/** One image of a captioning evaluation: the generated caption and the human reference captions. */
export interface CaptionSample {
  /** The caption to score (one per image, as coco-caption requires). */
  readonly candidate: string;
  /** The reference captions of the same image (at least one; COCO has about five). */
  readonly references: readonly string[];
}

/**
 * How captions are tokenized before scoring: `'ptb'` (default) as coco-caption's `COCOEvalCap`
 * does ({@link ptbTokenize}: PTB tokens, lower case, punctuation removed), `'none'` to split
 * already tokenized captions on whitespace only (what the scorers do after tokenization).
 */
export type CaptionTokenization = 'ptb' | 'none';

/** A caption sample split into words. */
export interface TokenizedSample {
  readonly candidate: string[];
  readonly references: string[][];
}

/** Validates `samples` and splits every caption into words, tokenizing first when asked. */
export function tokenizeSamples(samples: readonly CaptionSample[], tokenize: CaptionTokenization, metric: string): TokenizedSample[] {
  if (!Array.isArray(samples) || samples.length === 0) {
    throw new InvalidArgumentError({ message: `${metric} needs at least one caption sample ({ candidate, references }), got ${Array.isArray(samples) ? 'an empty array' : typeof samples}.` });
  }
  if (tokenize !== 'ptb' && tokenize !== 'none') {
    throw new InvalidArgumentError({ message: `${metric}: tokenize must be 'ptb' or 'none', got ${JSON.stringify(tokenize)}.`, actual: tokenize });
  }
  const words = (caption: string) => pySplit(tokenize === 'ptb' ? ptbTokenize(caption) : caption);
  return samples.map((sample, i) => {
    if (typeof sample?.candidate !== 'string') {
      throw new InvalidArgumentError({ message: `${metric}: samples[${i}].candidate must be a string, got ${typeof sample?.candidate}.` });
    }
    const refs = sample.references;
    if (!Array.isArray(refs) || refs.length === 0 || refs.some((r) => typeof r !== 'string')) {
      throw new InvalidArgumentError({ message: `${metric}: samples[${i}].references must be a non-empty array of strings (the image's reference captions).` });
    }
    return { candidate: words(sample.candidate), references: refs.map(words) };
  });
}
