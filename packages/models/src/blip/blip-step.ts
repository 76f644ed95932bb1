import type * as tf from '@tensorflow/tfjs';
import type { Engine } from '@vlp/core';
import { describeBlipDecoderStep } from './blip-caption-describe.js';
import type { DecoderStep } from './blip-generate.js';
import type { BlipModelBase } from './blip-model-base.js';

/**
 * The greedy step of a BLIP text decoder cross-attending `encoderStates [B, S, width]` (image or
 * question embeddings) with an all-ones mask, on the model's runner. The states stay owned by the
 * caller.
 */
export function decoderStep(model: BlipModelBase, encoderStates: tf.Tensor, engine: Engine | undefined): DecoderStep {
  const sourceTokens = encoderStates.shape[1] as number;
  return async (inputIds, attentionMask, position) => {
    const tokens = inputIds.shape[1] as number;
    const { outputs } = await model.runner.run({
      key: `blip:decoder-step:${tokens}:${sourceTokens}`,
      describe: (ctx) => describeBlipDecoderStep(ctx, model.arch, tokens, sourceTokens),
      feeds: { input_ids: inputIds, attention_mask: attentionMask, encoder_hidden_states: encoderStates, position },
      engine,
    });
    return outputs.next_token_logits as tf.Tensor;
  };
}
