import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import type { BlipModelBase } from './blip-model-base.js';

/**
 * Whether (and with which id) to replace the first token of the text ids by `[ENC]`, as the
 * official BLIP code does before every image-grounded text encoding (ITM, VQA questions);
 * transformers' BLIP classes use the ids as given. `true` = the tokenizer's `[ENC]`.
 */
export type EncTokenOption = boolean | number;

/** The `[ENC]` id to use for `option`, or null to keep the ids as given. */
export function resolveEncToken(model: BlipModelBase, option: EncTokenOption | undefined): number | null {
  if (option === undefined || option === false) return null;
  if (typeof option === 'number') {
    if (!Number.isInteger(option) || option < 0 || option >= model.config.text.vocabSize) {
      throw new InvalidArgumentError({ message: `encToken id ${option} is not a token id of this model (vocab_size ${model.config.text.vocabSize}).`, actual: option });
    }
    return option;
  }
  const id = model.tokenizer?.tokenToId('[ENC]');
  if (id === undefined) {
    throw new InvalidArgumentError({
      message: "encToken: true needs the checkpoint's tokenizer with an [ENC] token (added_tokens.json); pass the id instead (encToken: <id>).",
    });
  }
  return id;
}

/** `ids [N, T]` with column 0 set to `id` (a new int32 tensor), or `ids` itself when `id` is null. */
export function withFirstToken(ids: tf.Tensor, id: number | null): tf.Tensor {
  if (id === null) return ids;
  return tf.tidy(() => {
    const n = ids.shape[0] as number;
    return tf.concat([tf.fill([n, 1], id, 'int32'), ids.slice([0, 1], [-1, -1]).toInt()], 1);
  });
}
