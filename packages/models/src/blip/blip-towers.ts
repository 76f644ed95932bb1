import { InvalidArgumentError } from '@vlp/core';
import type { DescribeContext } from '../ops/describe-context.js';
import type { BertTowerArch, BlipArch } from './blip-arch.js';
import { TEXT_DECODER_ROOT, TEXT_ENCODER_ROOT } from './blip-params.js';
import { type CrossSource, type TextTokens, type TextTowerSpec, describeBlipText } from './blip-text-describe.js';

/** The text encoder (`text_encoder.*`): bidirectional, gates `text.{i}`. */
export const TEXT_ENCODER_SPEC: TextTowerSpec = { root: TEXT_ENCODER_ROOT, gateRoot: 'text', outputRoot: 'text_encoder', causal: false };
/** The text decoder's BERT (`text_decoder.bert.*`): causal, gates `decoder.{i}`. */
export const TEXT_DECODER_SPEC: TextTowerSpec = { root: TEXT_DECODER_ROOT, gateRoot: 'decoder', outputRoot: 'text_decoder', causal: true };

/** Reads a `[batch, tokens]` id input and its 0/1 mask input (as float). */
export function textInputs<V>(ctx: DescribeContext<V>, names: { ids: string; mask: string }, tokens: number, batchDim = 'batch'): TextTokens<V> {
  const g = ctx.g;
  return {
    ids: g.input(names.ids, 'int64', [batchDim, tokens]),
    mask: g.toFloat(g.input(names.mask, 'int64', [batchDim, tokens])),
    tokens,
  };
}

/** The text encoder tower of `arch` (throws when the head class has none). */
export function encoderArch(arch: BlipArch): BertTowerArch {
  if (!arch.textEncoder) throw new InvalidArgumentError({ message: 'This BLIP head class has no text_encoder.' });
  return arch.textEncoder;
}

/** The text decoder tower of `arch` (throws when the head class has none). */
export function decoderArch(arch: BlipArch): BertTowerArch {
  if (!arch.textDecoder) throw new InvalidArgumentError({ message: 'This BLIP head class has no text_decoder.' });
  return arch.textDecoder;
}

/** The text encoder on `input`, cross-attending `source` when given → `[B·T, D]`. */
export function describeTextEncoder<V>(ctx: DescribeContext<V>, arch: BlipArch, input: TextTokens<V>, source: CrossSource<V> | null): V {
  return describeBlipText(ctx, encoderArch(arch), TEXT_ENCODER_SPEC, input, source);
}

/** The decoder's BERT on `input` (causal), cross-attending `source` → `[B·T, D]`. */
export function describeTextDecoder<V>(ctx: DescribeContext<V>, arch: BlipArch, input: TextTokens<V>, source: CrossSource<V>): V {
  return describeBlipText(ctx, decoderArch(arch), TEXT_DECODER_SPEC, input, source);
}
