import type * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, type Engine } from '@vlp/core';
import { ModelRunner } from '../engine/model-runner.js';
import type { OnnxEngineOptions } from '../engine/onnx-engine.js';
import type { ParamStore } from '../weights/param-store.js';
import type { ImageProcessor } from '../preprocess/types.js';
import type { VlpTokenizer } from '../tokenizer/types.js';
import type { ClipArch } from './clip-arch.js';
import type { ClipConfig } from './clip-config.js';
import { describeClip, describeClipText, describeClipVision } from './clip-describe.js';
import { clipContrastiveLoss } from './clip-loss.js';

export interface ClipTowerOutput {
  readonly lastHiddenState: tf.Tensor;
  readonly poolerOutput: tf.Tensor;
  /** `hiddenStates[0]` = embeddings output, `[i]` = layer i's output (when asked). */
  readonly hiddenStates?: readonly tf.Tensor[];
}

export interface ClipForwardOutput {
  readonly imageEmbeds: tf.Tensor;
  readonly textEmbeds: tf.Tensor;
  readonly logitsPerImage: tf.Tensor;
  readonly logitsPerText: tf.Tensor;
  readonly visionModelOutput: ClipTowerOutput;
  readonly textModelOutput: ClipTowerOutput;
}

/** Images and texts for {@link ClipModel.contrastiveLoss} / {@link ClipModel.contrastiveLogits}. */
export interface ClipContrastiveBatch {
  readonly pixelValues: tf.Tensor;
  readonly inputIds: tf.Tensor;
  readonly attentionMask?: tf.Tensor;
}

/** Parameter overrides (by HF name and layout) and gates (as in the view) of a differentiable call. */
export interface ClipDifferentiableOptions {
  readonly weights?: Readonly<Record<string, tf.Tensor>>;
  readonly gates?: Readonly<Record<string, tf.Tensor>>;
}

export interface ClipForwardInput {
  /** `[B, 3, S, S]` float32 (see the image processor). */
  readonly pixelValues: tf.Tensor;
  /** `[B, T]` int32 token ids. */
  readonly inputIds: tf.Tensor;
  /** `[B, T]` 0/1 (default all ones). */
  readonly attentionMask?: tf.Tensor;
  readonly outputHiddenStates?: boolean;
  /** Engine for this call (default: `VLP_EXECUTOR`, else ONNX Runtime). */
  readonly engine?: Engine;
}

/** A loaded Hugging Face `CLIPModel`. Returned tensors are owned by the caller. */
export class ClipModel {
  readonly architecture = 'clip' as const;
  readonly runner: ModelRunner;
  /** The checkpoint's tokenizer, when its files were found by `loadModel`. */
  tokenizer?: VlpTokenizer;
  /** The checkpoint's image processor, when `preprocessor_config.json` was found by `loadModel`. */
  imageProcessor?: ImageProcessor;

  constructor(
    readonly config: ClipConfig,
    readonly arch: ClipArch,
    readonly params: ParamStore,
    onnxOptions: OnnxEngineOptions = {},
    /** The checkpoint directory this model was loaded from (saveModel copies its tokenizer/preprocessor files). */
    readonly sourceDir?: string,
  ) {
    this.runner = new ModelRunner(params, onnxOptions);
  }

  private tokens(inputIds: tf.Tensor): number {
    const t = inputIds.shape[1] as number;
    if (inputIds.rank !== 2 || t > this.config.text.maxPositionEmbeddings) {
      throw new InvalidArgumentError({
        message: `inputIds must be [batch, tokens] with tokens ≤ ${this.config.text.maxPositionEmbeddings} (max_position_embeddings); got [${inputIds.shape.join(', ')}].`,
      });
    }
    return t;
  }

  private checkPixels(pixelValues: tf.Tensor): void {
    const v = this.config.vision;
    const want = [v.numChannels, v.imageSize, v.imageSize];
    if (pixelValues.rank !== 4 || pixelValues.shape.slice(1).some((d, i) => d !== want[i])) {
      throw new InvalidArgumentError({
        message: `pixelValues must be [batch, ${want.join(', ')}]; got [${pixelValues.shape.join(', ')}]. Use the model's image processor.`,
      });
    }
  }

  /** `CLIPModel.forward`: both towers, normalised embeddings and similarity logits. */
  async forward(input: ClipForwardInput): Promise<ClipForwardOutput> {
    this.checkPixels(input.pixelValues);
    const tokens = this.tokens(input.inputIds);
    const mask = input.attentionMask ?? input.inputIds.onesLike();
    const { outputs: o } = await this.runner
      .run({
        key: `clip:full:${tokens}`,
        describe: (ctx) => describeClip(ctx, this.config, this.arch, tokens),
        options: { hiddenStates: input.outputHiddenStates ?? false },
        feeds: { pixel_values: input.pixelValues, input_ids: input.inputIds, attention_mask: mask },
        engine: input.engine,
      })
      .finally(() => {
        if (!input.attentionMask) mask.dispose();
      });
    const tower = (root: 'vision_model' | 'text_model', layers: number): ClipTowerOutput => ({
      lastHiddenState: o[`${root}.last_hidden_state`] as tf.Tensor,
      poolerOutput: o[`${root}.pooler_output`] as tf.Tensor,
      hiddenStates: input.outputHiddenStates ? Array.from({ length: layers + 1 }, (_, i) => o[`${root}.hidden_states.${i}`] as tf.Tensor) : undefined,
    });
    const result: ClipForwardOutput = {
      imageEmbeds: o.image_embeds as tf.Tensor,
      textEmbeds: o.text_embeds as tf.Tensor,
      logitsPerImage: o.logits_per_image as tf.Tensor,
      logitsPerText: o.logits_per_text as tf.Tensor,
      visionModelOutput: tower('vision_model', this.arch.vision.layers.length),
      textModelOutput: tower('text_model', this.arch.text.layers.length),
    };
    o.image_features?.dispose();
    o.text_features?.dispose();
    return result;
  }

  /** `get_image_features`: projected, unnormalised image features `[B, projection_dim]`. */
  async getImageFeatures(pixelValues: tf.Tensor, options: { engine?: Engine } = {}): Promise<tf.Tensor> {
    this.checkPixels(pixelValues);
    const { outputs } = await this.runner.run({
      key: 'clip:vision',
      describe: (ctx) => void describeClipVision(ctx, this.config, this.arch),
      feeds: { pixel_values: pixelValues },
      engine: options.engine,
    });
    return keepOnly(outputs, 'image_features');
  }

  /** `get_text_features`: projected, unnormalised text features `[B, projection_dim]`. */
  async getTextFeatures(inputIds: tf.Tensor, attentionMask?: tf.Tensor, options: { engine?: Engine } = {}): Promise<tf.Tensor> {
    const tokens = this.tokens(inputIds);
    const mask = attentionMask ?? inputIds.onesLike();
    const { outputs } = await this.runner
      .run({
        key: `clip:text:${tokens}`,
        describe: (ctx) => void describeClipText(ctx, this.config, this.arch, tokens),
        feeds: { input_ids: inputIds, attention_mask: mask },
        engine: options.engine,
      })
      .finally(() => {
        if (!attentionMask) mask.dispose();
      });
    return keepOnly(outputs, 'text_features');
  }

  /**
   * {@link getImageFeatures} computed synchronously on the tfjs engine, so it can be differentiated
   * (the vision tower alone: the text tower's parameters are not read). `weights` overrides
   * parameters by HF name and layout; `gates` as in the view. The caller owns the result.
   */
  differentiableImageFeatures(pixelValues: tf.Tensor, options: ClipDifferentiableOptions = {}): tf.Tensor2D {
    this.checkPixels(pixelValues);
    const outputs = this.runner.runTfjs({
      key: 'clip:vision',
      describe: (ctx) => void describeClipVision(ctx, this.config, this.arch),
      options: { gates: new Set(Object.keys(options.gates ?? {})) },
      feeds: { pixel_values: pixelValues },
      weights: options.weights,
      gates: options.gates,
    });
    return keepOnly(outputs, 'image_features') as tf.Tensor2D;
  }

  /** {@link getTextFeatures} computed synchronously on the tfjs engine, as {@link differentiableImageFeatures}. */
  differentiableTextFeatures(inputIds: tf.Tensor, attentionMask?: tf.Tensor, options: ClipDifferentiableOptions = {}): tf.Tensor2D {
    const tokens = this.tokens(inputIds);
    const mask = attentionMask ?? inputIds.onesLike();
    try {
      const outputs = this.runner.runTfjs({
        key: `clip:text:${tokens}`,
        describe: (ctx) => void describeClipText(ctx, this.config, this.arch, tokens),
        options: { gates: new Set(Object.keys(options.gates ?? {})) },
        feeds: { input_ids: inputIds, attention_mask: mask },
        weights: options.weights,
        gates: options.gates,
      });
      return keepOnly(outputs, 'text_features') as tf.Tensor2D;
    } finally {
      if (!attentionMask) mask.dispose();
    }
  }

  /**
   * The symmetric InfoNCE loss on matching pairs (image i ↔ text i); texts past the images (more
   * `inputIds` rows than images) are extra hard negatives of the image-to-text term (NegCLIP, see
   * `clipContrastiveLoss`). Computed synchronously on the tfjs engine so it can be differentiated:
   * `tf.grad((w) => model.contrastiveLoss(batch, { weights: { [name]: w } }))`. `weights` overrides
   * parameters by HF name and layout; `gates` as in the view.
   */
  contrastiveLoss(batch: ClipContrastiveBatch, options: ClipDifferentiableOptions = {}): tf.Scalar {
    const logits = this.contrastiveLogits(batch, options);
    try {
      return clipContrastiveLoss(logits);
    } finally {
      logits.dispose();
    }
  }

  /**
   * `logits_per_text` (`[texts, images]`, `exp(logit_scale) · text_embeds · image_embedsᵀ`) computed
   * synchronously on the tfjs engine, so that other losses over the same similarities can be
   * differentiated (the number of texts need not equal the number of images). Options as in
   * {@link contrastiveLoss}. The caller owns the result.
   */
  contrastiveLogits(batch: ClipContrastiveBatch, options: ClipDifferentiableOptions = {}): tf.Tensor2D {
    const tokens = this.tokens(batch.inputIds);
    const mask = batch.attentionMask ?? batch.inputIds.onesLike();
    try {
      const outputs = this.runner.runTfjs({
        key: `clip:full:${tokens}`,
        describe: (ctx) => describeClip(ctx, this.config, this.arch, tokens),
        options: { gates: new Set(Object.keys(options.gates ?? {})) },
        feeds: { pixel_values: batch.pixelValues, input_ids: batch.inputIds, attention_mask: mask },
        weights: options.weights,
        gates: options.gates,
      });
      return keepOnly(outputs, 'logits_per_text') as tf.Tensor2D;
    } finally {
      if (!batch.attentionMask) mask.dispose();
    }
  }

  /** Releases engine caches (tfjs parameter copies, ONNX sessions). */
  async dispose(): Promise<void> {
    await this.runner.dispose();
  }
}

function keepOnly(outputs: Record<string, tf.Tensor>, name: string): tf.Tensor {
  for (const [k, t] of Object.entries(outputs)) if (k !== name) t.dispose();
  return outputs[name] as tf.Tensor;
}
