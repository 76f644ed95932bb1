import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, throwIfAborted } from '@vlp/core';
import type { BlipForQuestionAnswering, EncTokenOption, RgbImage } from '@vlp/models';
import { vqaAccuracy } from '../metrics/vqa-accuracy.js';
import { pixelBatch, processorsOf, textBatch } from './blip-inputs.js';
import type { EvalOptions } from './eval-events.js';

export interface VqaSet {
  readonly images: readonly RgbImage[];
  readonly questions: readonly { readonly imageIndex: number; readonly question: string; readonly answers: readonly string[] }[];
}

export interface VqaEvalOptions extends EvalOptions {
  /** `generate` (HF `generate`, greedy) or `rank` (BLIP's `rank_answer` over `candidates`). Default `generate`. */
  readonly mode?: 'generate' | 'rank';
  /** The answer list ranked in `rank` mode (VQA v2 uses the 3,128 most frequent answers). */
  readonly candidates?: readonly string[];
  /** Candidates kept by first-token probability in `rank` mode (official 128). */
  readonly k?: number;
  /** Generated answer length (default 10). */
  readonly maxNewTokens?: number;
  /**
   * Encode each question with `[ENC]` as its first token, as the official BLIP VQA does, in both
   * modes (default false: the tokenizer's `[CLS]`, as transformers). Use it for checkpoints trained that way.
   */
  readonly encToken?: EncTokenOption;
}

/** VQA v2 soft accuracy (official normalisation) of BLIP's answers, by generation or by ranking a candidate list. */
export async function evaluateBlipVqa(model: BlipForQuestionAnswering, set: VqaSet, options: VqaEvalOptions = {}): Promise<{ accuracy: number; predictions: string[] }> {
  const start = performance.now();
  const { tokenizer, imageProcessor } = processorsOf(model);
  const mode = options.mode ?? 'generate';
  if (mode === 'rank' && !options.candidates?.length) throw new InvalidArgumentError({ message: 'VQA evaluation in rank mode needs a non-empty candidates list.' });
  const batch = options.batchSize ?? 32;
  const total = Math.ceil(set.questions.length / batch);
  options.onEvent?.({ type: 'eval-start', task: 'vqa', batches: total });
  const answers = mode === 'rank' ? textBatch(tokenizer, options.candidates as string[]) : undefined;
  const predictions: string[] = [];
  try {
    for (let i = 0; i < set.questions.length; i += batch) {
      throwIfAborted(options.signal, 'VQA evaluation');
      const chunk = set.questions.slice(i, i + batch);
      const pixels = pixelBatch(imageProcessor, chunk.map((q) => set.images[q.imageIndex] as RgbImage));
      const question = textBatch(tokenizer, chunk.map((q) => q.question));
      try {
        if (mode === 'rank') {
          const ranked = await model.rankAnswers(
            { pixelValues: pixels, inputIds: question.inputIds, attentionMask: question.attentionMask, answerIds: (answers as { inputIds: tf.Tensor }).inputIds, answerAttentionMask: answers?.attentionMask },
            { k: options.k, engine: options.engine, encToken: options.encToken },
          );
          for (const r of ranked) predictions.push((options.candidates as string[])[r.best] as string);
        } else {
          const out = await model.generate(question.inputIds, pixels, { attentionMask: question.attentionMask, maxNewTokens: options.maxNewTokens ?? 10, engine: options.engine, encToken: options.encToken });
          const rows = (out.sequences as tf.Tensor).arraySync() as number[][];
          tf.dispose(Object.values(out).filter((v): v is tf.Tensor => v instanceof tf.Tensor));
          for (const row of rows) predictions.push(tokenizer.decode(row, { skipSpecialTokens: true }).trim());
        }
      } finally {
        tf.dispose([pixels, question.inputIds, question.attentionMask]);
      }
      options.onEvent?.({ type: 'eval-batch-end', task: 'vqa', index: i / batch, total });
    }
  } finally {
    if (answers) tf.dispose([answers.inputIds, answers.attentionMask]);
  }
  const { accuracy } = vqaAccuracy(predictions.map((prediction, i) => ({ prediction, answers: set.questions[i]?.answers ?? [] })));
  options.onEvent?.({ type: 'eval-end', task: 'vqa', durationMs: performance.now() - start });
  return { accuracy, predictions };
}
