import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { type BlipItcLossBatch, type BlipItcLossOptions, blipItcLoss } from './blip-itc-loss.js';
import { type BlipItmLossBatch, type BlipItmLossOptions, blipItmLoss } from './blip-itm-loss.js';
import { type BlipCallOptions, BlipModelBase, type BlipVisionOutput, OutputBag, withMask } from './blip-model-base.js';
import { describeBlipTextFeatures } from './blip-itm-describe.js';
import type { DifferentiableOptions } from './blip-loss-common.js';
import { describeBlipItc, describeBlipItm } from './blip-retrieval-describe.js';

/** Inputs of {@link BlipForImageTextRetrieval.forward} (tensors stay owned by the caller). */
export interface BlipRetrievalInput extends BlipCallOptions {
  /** `[Bi, 3, S, S]` float32 (see the image processor). */
  readonly pixelValues: tf.Tensor;
  /** `[Bt, T]` int32 token ids (`[CLS] … [SEP] [PAD]…`; BLIP's own ITM code swaps `[CLS]` for `[ENC]` first). */
  readonly inputIds: tf.Tensor;
  /** `[Bt, T]` 0/1 (default all ones). */
  readonly attentionMask?: tf.Tensor;
  /** true (default, as transformers): ITM logits of pairs image i ↔ text i (Bi = Bt); false: ITC cosine scores `[Bi, Bt]`. */
  readonly useItmHead?: boolean;
  readonly outputHiddenStates?: boolean;
}

/** Outputs of {@link BlipForImageTextRetrieval.forward} (owned by the caller). */
export interface BlipRetrievalOutput {
  /** ITM logits `[B, 2]` (use_itm_head) or ITC cosine similarities `[Bi, Bt]`. */
  readonly itmScore: tf.Tensor;
  /** Vision last_hidden_state `[Bi, N+1, Dv]` (a copy of `visionModelOutput.lastHiddenState`). */
  readonly imageEmbeds: tf.Tensor;
  /** Text encoder output `[Bt, T, Dt]` (with cross-attention to the image for ITM, text only for ITC). */
  readonly questionEmbeds: tf.Tensor;
  /** ITC only: `normalize(vision_proj(image_embeds[:, 0]))` `[Bi, H]`. */
  readonly imageFeat?: tf.Tensor;
  /** ITC only: `normalize(text_proj(question_embeds[:, 0]))` `[Bt, H]`. */
  readonly textFeat?: tf.Tensor;
  readonly visionModelOutput: BlipVisionOutput;
  /** Text encoder hidden states (embeddings, then every layer) when asked. */
  readonly textEncoderHiddenStates?: readonly tf.Tensor[];
}

/** A loaded Hugging Face `BlipForImageTextRetrieval`. Returned tensors are owned by the caller. */
export class BlipForImageTextRetrieval extends BlipModelBase {
  readonly task = 'retrieval' as const;

  /** `BlipForImageTextRetrieval.forward`: ITM logits or ITC scores (see {@link BlipRetrievalInput.useItmHead}). */
  async forward(input: BlipRetrievalInput): Promise<BlipRetrievalOutput> {
    const images = this.checkPixels(input.pixelValues);
    const useItm = input.useItmHead ?? true;
    const tokens = this.checkTokens(input.inputIds, 'inputIds', useItm ? images : undefined);
    this.checkMask(input.attentionMask, input.inputIds, 'attentionMask');
    if (useItm && this.arch.textEncoder?.layers.some((l) => !l.cross)) {
      throw new InvalidArgumentError({ message: 'useItmHead needs cross-attention in the text encoder, but text_config.is_decoder is false.' });
    }
    const { outputs } = await withMask(input.attentionMask, input.inputIds, (mask) =>
      this.runner.run({
        key: `blip:${useItm ? 'itm' : 'itc'}:${tokens}`,
        describe: (ctx) => (useItm ? describeBlipItm : describeBlipItc)(ctx, this.config, this.arch, tokens),
        options: { hiddenStates: input.outputHiddenStates ?? false },
        feeds: { pixel_values: input.pixelValues, input_ids: input.inputIds, attention_mask: mask },
        engine: input.engine,
      }),
    );
    const bag = new OutputBag(outputs);
    const visionModelOutput = bag.vision(this.arch.vision.layers.length, input.outputHiddenStates);
    const result: BlipRetrievalOutput = {
      itmScore: bag.take('itm_score'),
      imageEmbeds: visionModelOutput.lastHiddenState.clone(),
      questionEmbeds: bag.take('question_embeds'),
      ...(useItm ? {} : { imageFeat: bag.take('image_feat'), textFeat: bag.take('text_feat') }),
      visionModelOutput,
      textEncoderHiddenStates: bag.hiddenStates('text_encoder', this.arch.textEncoder?.layers.length ?? 0, input.outputHiddenStates),
    };
    bag.release();
    return result;
  }

  /**
   * The ITM loss (cross-entropy of the ITM head on given pairs, or with BLIP's hard-negative
   * mining), synchronous on the tfjs engine so it can be differentiated:
   * `tf.grad((w) => model.itmLoss(batch, { weights: { [name]: w } }))`. See {@link blipItmLoss}.
   */
  itmLoss(batch: BlipItmLossBatch, options: BlipItmLossOptions = {}): tf.Scalar {
    return blipItmLoss(this, batch, options);
  }

  /**
   * BLIP's in-batch image–text contrastive loss with temperature (default 0.07), synchronous on the
   * tfjs engine. See {@link blipItcLoss}.
   */
  itcLoss(batch: BlipItcLossBatch, options: BlipItcLossOptions = {}): tf.Scalar {
    return blipItcLoss(this, batch, options);
  }

  /**
   * The ITC text features `normalize(text_proj(text_encoder(ids)[:, 0]))` `[B, H]` (text only, no
   * cross-attention), synchronous on the tfjs engine so they can be differentiated (e.g. to distil
   * another model's text features into the text encoder). The caller owns the result.
   */
  differentiableTextFeatures(inputIds: tf.Tensor, attentionMask?: tf.Tensor, options: DifferentiableOptions = {}): tf.Tensor2D {
    const tokens = this.checkTokens(inputIds, 'inputIds');
    this.checkMask(attentionMask, inputIds, 'attentionMask');
    const mask = attentionMask ?? tf.onesLike(inputIds);
    try {
      const outputs = this.runner.runTfjs({
        key: `blip:text-feat:${tokens}`,
        describe: (ctx) => describeBlipTextFeatures(ctx, this.arch, tokens),
        options: { gates: new Set(Object.keys(options.gates ?? {})) },
        feeds: { input_ids: inputIds, attention_mask: mask },
        weights: options.weights,
        gates: options.gates,
      });
      const feat = outputs.text_feat as tf.Tensor2D;
      for (const t of Object.values(outputs)) if (t !== feat) t.dispose();
      return feat;
    } finally {
      if (!attentionMask) mask.dispose();
    }
  }
}
