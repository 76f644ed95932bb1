import { InvalidArgumentError } from '@vlp/core';
import { pyStrip } from './python-strings.js';
import { normalizeVqaAnswer } from './vqa-normalize.js';

/** One VQA question: the model's answer and the human answers (VQA v2 has 10). */
export interface VqaSample {
  readonly prediction: string;
  readonly answers: readonly string[];
}

/** VQA accuracy of a set of questions. */
export interface VqaAccuracyResult {
  /** Mean per-question accuracy in percent (the reference's `overall`, not rounded). */
  readonly accuracy: number;
  /** Per-question accuracy in [0, 1], in sample order. */
  readonly scores: readonly number[];
}

/** Newlines and tabs to spaces, then Python's `strip()`, as the reference cleans every answer. */
const clean = (answer: string): string => pyStrip(answer.replaceAll('\n', ' ').replaceAll('\t', ' '));

/**
 * The VQA soft accuracy of one answer, exactly as the official evaluation (GT-Vision-Lab/VQA
 * `PythonEvaluationTools/vqaEvaluation/vqaEval.py` at a013f00, `VQAEval.evaluate`):
 *
 * 1. every answer is cleaned (newlines and tabs to spaces, surrounding whitespace stripped);
 * 2. only when the human answers are not all identical, the human answers *and the prediction*
 *    are normalised ({@link normalizeVqaAnswer}). When all humans agree, the prediction is compared
 *    as it is: "two" against ten "2" scores 0, as in the reference;
 * 3. accuracy = mean over the human answers of `min(1, #matches among the other humans / 3)`
 *    (the "10 choose 9" subsets). With 10 answers: 1 match → 0.3, 2 → 0.6, 3 → 0.9, ≥ 4 → 1.
 *
 * @returns the accuracy in [0, 1].
 * @throws InvalidArgumentError when fewer than two human answers are given (with one, the
 *   leave-one-out rule always gives 0).
 */
export function vqaScore(prediction: string, answers: readonly string[]): number {
  if (typeof prediction !== 'string') {
    throw new InvalidArgumentError({ message: `vqaScore: the prediction must be a string, got ${typeof prediction}.` });
  }
  if (!Array.isArray(answers) || answers.length < 2 || answers.some((a) => typeof a !== 'string')) {
    throw new InvalidArgumentError({
      message: `vqaScore needs at least two human answers as strings (VQA v2 has 10), got ${Array.isArray(answers) ? answers.length : typeof answers}; with one answer the leave-one-out accuracy is always 0.`,
      actual: Array.isArray(answers) ? answers.length : typeof answers,
    });
  }
  let humans = answers.map(clean);
  let predicted = clean(prediction);
  if (new Set(humans).size > 1) {
    humans = humans.map(normalizeVqaAnswer);
    predicted = normalizeVqaAnswer(predicted);
  }
  const matches = humans.filter((h) => h === predicted).length;
  let sum = 0;
  for (const human of humans) {
    const others = matches - (human === predicted ? 1 : 0);
    sum += Math.min(1, others / 3);
  }
  return sum / humans.length;
}

/**
 * VQA v2 accuracy over questions: the mean of {@link vqaScore}, in percent (the official
 * evaluation's `overall`, which it rounds to 2 decimals; not rounded here).
 *
 * @throws InvalidArgumentError when `samples` is empty or a sample is invalid (see {@link vqaScore}).
 */
export function vqaAccuracy(samples: readonly VqaSample[]): VqaAccuracyResult {
  if (!Array.isArray(samples) || samples.length === 0) {
    throw new InvalidArgumentError({ message: 'vqaAccuracy needs at least one { prediction, answers } sample.' });
  }
  const scores = samples.map((s, i) => {
    try {
      return vqaScore(s?.prediction, s?.answers);
    } catch (error) {
      if (!InvalidArgumentError.isInstance(error)) throw error;
      throw new InvalidArgumentError({ message: `vqaAccuracy: samples[${i}]: ${error.message}`, actual: error.actual, cause: error });
    }
  });
  return { accuracy: (100 * scores.reduce((a, b) => a + b, 0)) / scores.length, scores };
}
