import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { beamSearch } from './blip-beam-search.js';
import { type GenerateOutput, type GenerationOptions, greedyGenerate } from './blip-generate.js';
import { buildLogitsProcessors } from './blip-logits-processors.js';
import type { BlipCallOptions, BlipModelBase } from './blip-model-base.js';
import { decoderStep } from './blip-step.js';

/** A generation request of a BLIP head class: the decoder's cross-attention source and its prompt. */
export interface DecodeRequest {
  readonly model: BlipModelBase;
  /** `[batch, S, encoder_hidden]` image or question embeddings (all-ones cross mask); owned by the caller. */
  readonly encoderStates: tf.Tensor;
  /** Prompt ids / mask, row-major `[batch, promptLength]`. */
  readonly prompt: Int32Array;
  readonly promptMask: Int32Array;
  readonly promptLength: number;
  readonly options: GenerationOptions & BlipCallOptions;
}

function checkBeamOptions(o: GenerationOptions): number {
  const numBeams = o.numBeams ?? 1;
  if (!Number.isInteger(numBeams) || numBeams < 1) throw new InvalidArgumentError({ message: `numBeams must be a positive integer, got ${numBeams}.`, actual: numBeams });
  if (o.lengthPenalty !== undefined && !Number.isFinite(o.lengthPenalty)) {
    throw new InvalidArgumentError({ message: `lengthPenalty must be a finite number, got ${o.lengthPenalty}.`, actual: o.lengthPenalty });
  }
  if (o.earlyStopping !== undefined && o.earlyStopping !== true && o.earlyStopping !== false && o.earlyStopping !== 'never') {
    throw new InvalidArgumentError({ message: `earlyStopping must be true, false or 'never', got ${String(o.earlyStopping)}.`, actual: o.earlyStopping });
  }
  return numBeams;
}

/**
 * Runs BLIP's text-decoder generation as transformers v4.36.2 `generate()` dispatches it: greedy
 * search for `numBeams` 1, beam search otherwise (the encoder states repeated per beam, as
 * `_expand_inputs_for_generation`), with the logits processors the options ask for; the stop token
 * is `sep_token_id`, the pad token `pad_token_id`.
 */
export async function generateWithDecoder(req: DecodeRequest): Promise<GenerateOutput> {
  const { model, options } = req;
  const t = model.config.text;
  const numBeams = checkBeamOptions(options);
  const batch = req.encoderStates.shape[0] as number;
  const common = {
    maxNewTokens: options.maxNewTokens,
    maxLength: options.maxLength,
    outputScores: options.outputScores,
    prompt: req.prompt,
    promptMask: req.promptMask,
    batch,
    promptLength: req.promptLength,
    stopTokenId: t.sepTokenId,
    padTokenId: t.padTokenId,
    maxPositions: t.maxPositionEmbeddings,
    processors: buildLogitsProcessors(options, { promptLength: req.promptLength, stopIds: [t.sepTokenId] }),
  };
  if (numBeams === 1) return greedyGenerate({ ...common, step: decoderStep(model, req.encoderStates, options.engine) });
  const expanded = tf.tidy(() => tf.gather(req.encoderStates, tf.tensor1d(Array.from({ length: batch * numBeams }, (_, r) => Math.floor(r / numBeams)), 'int32')));
  try {
    return await beamSearch({
      ...common,
      numBeams,
      lengthPenalty: options.lengthPenalty,
      earlyStopping: options.earlyStopping,
      step: decoderStep(model, expanded, options.engine),
    });
  } finally {
    expanded.dispose();
  }
}
