import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { describeBlipCaption, describeBlipDecoderStep } from './blip-caption-describe.js';
import { generateWithDecoder } from './blip-decode.js';
import type { GenerateOutput, GenerationOptions } from './blip-generate.js';
import { BLIP_LM_LABEL_SMOOTHING } from './blip-lm-head.js';
import { type BlipCaptionLmBatch, type BlipLmLossOptions, blipCaptionLmLoss } from './blip-lm-loss.js';
import { type BlipCallOptions, BlipModelBase, type BlipVisionOutput, OutputBag, labelFeeds, withMask } from './blip-model-base.js';

/** Inputs of {@link BlipForConditionalGeneration.forward} (tensors stay owned by the caller). */
export interface BlipCaptionInput extends BlipCallOptions {
  /** `[B, 3, S, S]` float32. */
  readonly pixelValues: tf.Tensor;
  /** `[B, T]` int32 ids, first token `[DEC]` (bos_token_id) as BLIP's captioning expects. */
  readonly inputIds: tf.Tensor;
  /** `[B, T]` 0/1 (default all ones). */
  readonly attentionMask?: tf.Tensor;
  /** `[B, T]` int32 targets (usually the input ids; −100 = ignore) → `loss`. */
  readonly labels?: tf.Tensor;
  readonly outputHiddenStates?: boolean;
}

/** Outputs of {@link BlipForConditionalGeneration.forward} (owned by the caller). */
export interface BlipCaptionOutput {
  /** `[B, T, vocab]` LM logits (teacher forced). */
  readonly logits: tf.Tensor;
  /** Shifted LM loss with label smoothing 0.1 (mean over positions), 0-d, when labels were given. */
  readonly loss?: tf.Tensor;
  /** Vision last_hidden_state (a copy of `visionModelOutput.lastHiddenState`). */
  readonly imageEmbeds: tf.Tensor;
  readonly visionModelOutput: BlipVisionOutput;
  /** `text_decoder` hidden states (embeddings, then every layer) when asked. */
  readonly decoderHiddenStates?: readonly tf.Tensor[];
}

/** Options of {@link BlipForConditionalGeneration.generate}. */
export interface BlipCaptionGenerateOptions extends BlipCallOptions, GenerationOptions {
  /** Prompt ids `[B, P]` as tokenized (`[CLS] … [SEP]`): `[DEC]` replaces the first, the last is dropped. */
  readonly inputIds?: tf.Tensor;
  /** Prompt mask `[B, P]` (its last column is dropped with the last token). */
  readonly attentionMask?: tf.Tensor;
}

/** A loaded Hugging Face `BlipForConditionalGeneration` (image captioning). Returned tensors are owned by the caller. */
export class BlipForConditionalGeneration extends BlipModelBase {
  readonly task = 'captioning' as const;

  /** `BlipForConditionalGeneration.forward`: teacher-forced logits (+ loss with labels). */
  async forward(input: BlipCaptionInput): Promise<BlipCaptionOutput> {
    const batch = this.checkPixels(input.pixelValues);
    const tokens = this.checkTokens(input.inputIds, 'inputIds', batch);
    this.checkMask(input.attentionMask, input.inputIds, 'attentionMask');
    this.checkMask(input.labels, input.inputIds, 'labels');
    const loss = input.labels ? labelFeeds(input.labels) : undefined;
    const { outputs } = await withMask(input.attentionMask, input.inputIds, (mask) =>
      this.runner.run({
        key: `blip:caption:${tokens}:${loss ? 'loss' : 'logits'}`,
        describe: (ctx) => describeBlipCaption(ctx, this.config, this.arch, tokens, loss ? BLIP_LM_LABEL_SMOOTHING : null),
        options: { hiddenStates: input.outputHiddenStates ?? false },
        feeds: { pixel_values: input.pixelValues, input_ids: input.inputIds, attention_mask: mask, ...loss },
        engine: input.engine,
      }),
    ).finally(() => tf.dispose(loss ? Object.values(loss) : []));
    const bag = new OutputBag(outputs);
    const visionModelOutput = bag.vision(this.arch.vision.layers.length, input.outputHiddenStates);
    const result: BlipCaptionOutput = {
      logits: bag.take('logits'),
      ...(loss ? { loss: bag.take('loss') } : {}),
      imageEmbeds: visionModelOutput.lastHiddenState.clone(),
      visionModelOutput,
      decoderHiddenStates: bag.hiddenStates('text_decoder', this.arch.textDecoder?.layers.length ?? 0, input.outputHiddenStates),
    };
    bag.release();
    return result;
  }

  /**
   * The LM loss of `forward(labels)` (label smoothing 0.1), synchronous on the tfjs engine so it can
   * be differentiated: `tf.grad((w) => model.lmLoss(batch, { weights: { [name]: w } }))`.
   */
  lmLoss(batch: BlipCaptionLmBatch, options: BlipLmLossOptions = {}): tf.Scalar {
    return blipCaptionLmLoss(this, batch, options);
  }

  /**
   * `BlipForConditionalGeneration.generate` exactly as transformers v4.36.2: the prompt defaults to
   * `[DEC]`; a given prompt gets `[DEC]` as its first token and loses its last one (the tokenizer's
   * `[SEP]`); greedy by default, beam search with `numBeams > 1`, logits processors as asked
   * (`minLength`, `repetitionPenalty`, `noRepeatNgramSize`, ...); generation stops on
   * `sep_token_id`, finished rows are padded with `pad_token_id`, the decoder cross-attends every
   * image token.
   */
  async generate(pixelValues: tf.Tensor, options: BlipCaptionGenerateOptions = {}): Promise<GenerateOutput> {
    const batch = this.checkPixels(pixelValues);
    const t = this.config.text;
    if (options.inputIds) {
      this.checkTokens(options.inputIds, 'inputIds', batch);
      this.checkMask(options.attentionMask, options.inputIds, 'attentionMask');
    }
    const { prompt, promptMask, promptLength } = options.inputIds
      ? await captionPrompt(options.inputIds, options.attentionMask, t.bosTokenId)
      : { prompt: new Int32Array(batch).fill(t.bosTokenId), promptMask: new Int32Array(batch).fill(1), promptLength: 1 };
    const vision = await this.vision(pixelValues, { engine: options.engine });
    const imageEmbeds = vision.lastHiddenState;
    vision.poolerOutput.dispose();
    try {
      return await generateWithDecoder({ model: this, encoderStates: imageEmbeds, prompt, promptMask, promptLength, options });
    } finally {
      imageEmbeds.dispose();
    }
  }
}

/**
 * BLIP's caption prompt rule: `[DEC]` replaces the first token and the last column (the
 * tokenizer's `[SEP]`) is dropped from the ids and the mask.
 */
async function captionPrompt(inputIds: tf.Tensor, attentionMask: tf.Tensor | undefined, bos: number): Promise<{ prompt: Int32Array; promptMask: Int32Array; promptLength: number }> {
  const [batch, full] = inputIds.shape as [number, number];
  if (full < 2) throw new InvalidArgumentError({ message: 'A caption prompt needs at least 2 tokens as tokenized ([CLS] … [SEP]): its last token is dropped.' });
  const promptLength = full - 1;
  const ids = Int32Array.from(await inputIds.data());
  const mask = attentionMask ? Int32Array.from(await attentionMask.data()) : new Int32Array(ids.length).fill(1);
  const prompt = new Int32Array(batch * promptLength);
  const promptMask = new Int32Array(batch * promptLength);
  for (let b = 0; b < batch; b++) {
    prompt.set(ids.subarray(b * full, b * full + promptLength), b * promptLength);
    promptMask.set(mask.subarray(b * full, b * full + promptLength), b * promptLength);
    prompt[b * promptLength] = bos;
  }
  return { prompt, promptMask, promptLength };
}
