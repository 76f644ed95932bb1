import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { generateWithDecoder } from './blip-decode.js';
import type { GenerateOutput, GenerationOptions } from './blip-generate.js';
import { type EncTokenOption, resolveEncToken, withFirstToken } from './blip-enc-token.js';
import { BLIP_LM_LABEL_SMOOTHING } from './blip-lm-head.js';
import { type BlipVqaLmBatch, type BlipVqaLmLossOptions, blipVqaLmLoss } from './blip-lm-loss.js';
import { type BlipAnswerRankingInput, type BlipRankAnswersOptions, type RankedAnswers, blipRankAnswers } from './blip-rank-answers.js';
import { type BlipCallOptions, BlipModelBase, type BlipVisionOutput, OutputBag, labelFeeds, withMask } from './blip-model-base.js';
import { describeBlipVqa, describeBlipVqaQuestion } from './blip-vqa-describe.js';

/** Inputs of {@link BlipForQuestionAnswering.forward} (tensors stay owned by the caller). */
export interface BlipVqaInput extends BlipCallOptions {
  /** `[B, 3, S, S]` float32. */
  readonly pixelValues: tf.Tensor;
  /** Question ids `[B, Tq]` int32. */
  readonly inputIds: tf.Tensor;
  /** Question mask `[B, Tq]` (default all ones). */
  readonly attentionMask?: tf.Tensor;
  /** Answer ids `[B, Ta]` starting with `[DEC]` (default: `labels`). */
  readonly decoderInputIds?: tf.Tensor;
  /** Answer mask `[B, Ta]` (default all ones). */
  readonly decoderAttentionMask?: tf.Tensor;
  /** Answer targets `[B, Ta]` (−100 = ignore) → `loss`. */
  readonly labels?: tf.Tensor;
  readonly outputHiddenStates?: boolean;
}

/** Outputs of {@link BlipForQuestionAnswering.forward} (owned by the caller). */
export interface BlipVqaOutput {
  /** Answer-decoder logits `[B, Ta, vocab]` (cross-attending the question with its attention mask). */
  readonly answerLogits: tf.Tensor;
  /** Shifted LM loss with label smoothing 0.1 (mean over positions, pads included), 0-d, when labels were given. */
  readonly loss?: tf.Tensor;
  /** Vision last_hidden_state (a copy of `visionModelOutput.lastHiddenState`). */
  readonly imageEmbeds: tf.Tensor;
  /** Text encoder output on the question, cross-attending the image `[B, Tq, D]`. */
  readonly questionEmbeds: tf.Tensor;
  readonly visionModelOutput: BlipVisionOutput;
  readonly textEncoderHiddenStates?: readonly tf.Tensor[];
  readonly decoderHiddenStates?: readonly tf.Tensor[];
}

/** Options of {@link BlipForQuestionAnswering.generate}. */
export interface BlipVqaGenerateOptions extends BlipCallOptions, GenerationOptions {
  /** Question mask `[B, Tq]` (default all ones). */
  readonly attentionMask?: tf.Tensor;
  /**
   * Encode the question with `[ENC]` as its first token, as the official BLIP VQA does (and as a
   * model trained with `blipVqaLmLoss(…, { encToken })` expects); default false: ids as given, as
   * transformers' `generate`.
   */
  readonly encToken?: EncTokenOption;
}

/** A loaded Hugging Face `BlipForQuestionAnswering`. Returned tensors are owned by the caller. */
export class BlipForQuestionAnswering extends BlipModelBase {
  readonly task = 'vqa' as const;

  /** What `BlipForQuestionAnswering.forward` computes: question embeddings, answer logits, loss with labels. */
  async forward(input: BlipVqaInput): Promise<BlipVqaOutput> {
    const batch = this.checkPixels(input.pixelValues);
    const questionTokens = this.checkTokens(input.inputIds, 'inputIds', batch);
    this.checkMask(input.attentionMask, input.inputIds, 'attentionMask');
    const answerIds = input.decoderInputIds ?? input.labels;
    if (!answerIds) throw new InvalidArgumentError({ message: 'BlipForQuestionAnswering.forward needs decoderInputIds or labels (the answer tokens).' });
    const answerTokens = this.checkTokens(answerIds, 'decoderInputIds', batch);
    this.checkMask(input.decoderAttentionMask, answerIds, 'decoderAttentionMask');
    this.checkMask(input.labels, answerIds, 'labels');
    const loss = input.labels ? labelFeeds(input.labels) : undefined;
    const { outputs } = await withMask(input.attentionMask, input.inputIds, (questionMask) =>
      withMask(input.decoderAttentionMask, answerIds, (answerMask) =>
        this.runner.run({
          key: `blip:vqa:${questionTokens}:${answerTokens}:${loss ? 'loss' : 'logits'}`,
          describe: (ctx) => describeBlipVqa(ctx, this.config, this.arch, questionTokens, answerTokens, loss ? BLIP_LM_LABEL_SMOOTHING : null),
          options: { hiddenStates: input.outputHiddenStates ?? false },
          feeds: {
            pixel_values: input.pixelValues,
            input_ids: input.inputIds,
            attention_mask: questionMask,
            decoder_input_ids: answerIds,
            decoder_attention_mask: answerMask,
            ...loss,
          },
          engine: input.engine,
        }),
      ),
    ).finally(() => tf.dispose(loss ? Object.values(loss) : []));
    const bag = new OutputBag(outputs);
    const visionModelOutput = bag.vision(this.arch.vision.layers.length, input.outputHiddenStates);
    const result: BlipVqaOutput = {
      answerLogits: bag.take('answer_logits'),
      ...(loss ? { loss: bag.take('loss') } : {}),
      imageEmbeds: visionModelOutput.lastHiddenState.clone(),
      questionEmbeds: bag.take('question_embeds'),
      visionModelOutput,
      textEncoderHiddenStates: bag.hiddenStates('text_encoder', this.arch.textEncoder?.layers.length ?? 0, input.outputHiddenStates),
      decoderHiddenStates: bag.hiddenStates('text_decoder', this.arch.textDecoder?.layers.length ?? 0, input.outputHiddenStates),
    };
    bag.release();
    return result;
  }

  /**
   * The answer LM loss of `forward(labels)` (label smoothing 0.1), synchronous on the tfjs engine so
   * it can be differentiated. See {@link blipVqaLmLoss}.
   */
  lmLoss(batch: BlipVqaLmBatch, options: BlipVqaLmLossOptions = {}): tf.Scalar {
    return blipVqaLmLoss(this, batch, options);
  }

  /** VQA by ranking a candidate answer list, BLIP's `rank_answer` protocol. See {@link blipRankAnswers}. */
  async rankAnswers(input: BlipAnswerRankingInput, options: BlipRankAnswersOptions = {}): Promise<RankedAnswers[]> {
    return blipRankAnswers(this, input, options);
  }

  /** The question embeddings `[B, Tq, D]` (text encoder cross-attending the image). */
  async encodeQuestion(inputIds: tf.Tensor, pixelValues: tf.Tensor, options: BlipCallOptions & { attentionMask?: tf.Tensor; encToken?: EncTokenOption } = {}): Promise<tf.Tensor> {
    const batch = this.checkPixels(pixelValues);
    const tokens = this.checkTokens(inputIds, 'inputIds', batch);
    this.checkMask(options.attentionMask, inputIds, 'attentionMask');
    const ids = withFirstToken(inputIds, resolveEncToken(this, options.encToken));
    const { outputs } = await withMask(options.attentionMask, inputIds, (mask) =>
      this.runner.run({
        key: `blip:vqa-question:${tokens}`,
        describe: (ctx) => void describeBlipVqaQuestion(ctx, this.config, this.arch, tokens),
        feeds: { pixel_values: pixelValues, input_ids: ids, attention_mask: mask },
        engine: options.engine,
      }),
    ).finally(() => {
      if (ids !== inputIds) ids.dispose();
    });
    const bag = new OutputBag(outputs);
    const question = bag.take('question_embeds');
    bag.release();
    return question;
  }

  /**
   * `BlipForQuestionAnswering.generate` exactly as transformers v4.36.2: the question is encoded
   * with its attention mask, then the answer decoder starts from `[DEC]` and cross-attends the
   * question embeddings with an **all-ones** mask (padding not masked); greedy by default, beam
   * search with `numBeams > 1`, logits processors as asked; stops on `sep_token_id`, finished rows
   * padded with `pad_token_id`. With `encToken` the question is encoded with `[ENC]` first (official BLIP).
   */
  async generate(inputIds: tf.Tensor, pixelValues: tf.Tensor, options: BlipVqaGenerateOptions = {}): Promise<GenerateOutput> {
    const question = await this.encodeQuestion(inputIds, pixelValues, options);
    const batch = question.shape[0] as number;
    const t = this.config.text;
    try {
      return await generateWithDecoder({
        model: this,
        encoderStates: question,
        prompt: new Int32Array(batch).fill(t.bosTokenId),
        promptMask: new Int32Array(batch).fill(1),
        promptLength: 1,
        options,
      });
    } finally {
      question.dispose();
    }
  }
}
