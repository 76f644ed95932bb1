import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, type Engine } from '@vlp/core';
import { ModelRunner } from '../engine/model-runner.js';
import type { OnnxEngineOptions } from '../engine/onnx-engine.js';
import type { ImageProcessor } from '../preprocess/types.js';
import type { VlpTokenizer } from '../tokenizer/types.js';
import type { ParamStore } from '../weights/param-store.js';
import type { BlipArch } from './blip-arch.js';
import type { BlipConfig } from './blip-config.js';
import { describeBlipVision } from './blip-vision-describe.js';

/** BlipVisionModel outputs. */
export interface BlipVisionOutput {
  /** post_layernorm(encoder output) `[B, N+1, D]` (what the heads call `image_embeds`). */
  readonly lastHiddenState: tf.Tensor;
  /** post_layernorm applied again to the class row `[B, D]`. */
  readonly poolerOutput: tf.Tensor;
  /** `hiddenStates[0]` = embeddings, `[i]` = layer i's output, before post_layernorm (when asked). */
  readonly hiddenStates?: readonly tf.Tensor[];
}

/** Options every BLIP call takes. */
export interface BlipCallOptions {
  /** Engine for this call (default: `VLP_EXECUTOR`, else ONNX Runtime). */
  readonly engine?: Engine;
}

/** Graph outputs by name; {@link OutputBag.take} hands one to the caller, {@link OutputBag.release} frees the rest. */
export class OutputBag {
  private readonly taken = new Set<string>();

  constructor(private readonly outputs: Record<string, tf.Tensor>) {}

  take(name: string): tf.Tensor {
    const t = this.outputs[name];
    if (!t) throw new InvalidArgumentError({ message: `The graph has no output "${name}".` });
    this.taken.add(name);
    return t;
  }

  /** `root.hidden_states.{0..layers}` when `asked`, else undefined. */
  hiddenStates(root: string, layers: number, asked: boolean | undefined): tf.Tensor[] | undefined {
    return asked ? Array.from({ length: layers + 1 }, (_, i) => this.take(`${root}.hidden_states.${i}`)) : undefined;
  }

  /** The vision outputs (`vision_model.*`). */
  vision(layers: number, asked: boolean | undefined): BlipVisionOutput {
    return {
      lastHiddenState: this.take('vision_model.last_hidden_state'),
      poolerOutput: this.take('vision_model.pooler_output'),
      hiddenStates: this.hiddenStates('vision_model', layers, asked),
    };
  }

  /** Disposes every output not taken. */
  release(): void {
    for (const [name, t] of Object.entries(this.outputs)) if (!this.taken.has(name)) t.dispose();
  }
}

/**
 * What the three BLIP head classes share: config, geometry, parameters, the engine runner, input
 * checks and the vision tower. Returned tensors are owned by the caller.
 */
export abstract class BlipModelBase {
  readonly architecture = 'blip' as const;
  readonly runner: ModelRunner;
  /** The checkpoint's tokenizer, when its files were found by `loadModel`. */
  tokenizer?: VlpTokenizer;
  /** The checkpoint's image processor, when `preprocessor_config.json` was found by `loadModel`. */
  imageProcessor?: ImageProcessor;

  constructor(
    readonly config: BlipConfig,
    readonly arch: BlipArch,
    readonly params: ParamStore,
    onnxOptions: OnnxEngineOptions = {},
    /** The checkpoint directory this model was loaded from. */
    readonly sourceDir?: string,
  ) {
    this.runner = new ModelRunner(params, onnxOptions);
  }

  /** Throws unless `pixelValues` is `[B, 3, S, S]`. */
  protected checkPixels(pixelValues: tf.Tensor): number {
    const v = this.config.vision;
    const want = [v.numChannels, v.imageSize, v.imageSize];
    if (pixelValues.rank !== 4 || pixelValues.shape.slice(1).some((d, i) => d !== want[i])) {
      throw new InvalidArgumentError({
        message: `pixelValues must be [batch, ${want.join(', ')}]; got [${pixelValues.shape.join(', ')}]. Use the model's image processor.`,
      });
    }
    return pixelValues.shape[0] as number;
  }

  /** Throws unless `ids` is `[batch, tokens]` with 1 ≤ tokens ≤ max_position_embeddings; returns tokens. */
  protected checkTokens(ids: tf.Tensor, what: string, batch?: number): number {
    const max = this.config.text.maxPositionEmbeddings;
    const t = ids.shape[1] as number;
    if (ids.rank !== 2 || t < 1 || t > max || (batch !== undefined && ids.shape[0] !== batch)) {
      throw new InvalidArgumentError({
        message: `${what} must be [${batch ?? 'batch'}, tokens] with 1 ≤ tokens ≤ ${max} (max_position_embeddings); got [${ids.shape.join(', ')}].`,
      });
    }
    return t;
  }

  /** Throws unless `mask` has the shape of `ids`. */
  protected checkMask(mask: tf.Tensor | undefined, ids: tf.Tensor, what: string): void {
    if (mask && mask.shape.join() !== ids.shape.join()) {
      throw new InvalidArgumentError({ message: `${what} must have the shape of its ids [${ids.shape.join(', ')}]; got [${mask.shape.join(', ')}].` });
    }
  }

  /** BlipVisionModel on `pixelValues [B, 3, S, S]`. */
  async vision(pixelValues: tf.Tensor, options: BlipCallOptions & { outputHiddenStates?: boolean } = {}): Promise<BlipVisionOutput> {
    this.checkPixels(pixelValues);
    const { outputs } = await this.runner.run({
      key: 'blip:vision',
      describe: (ctx) => void describeBlipVision(ctx, this.config.vision, this.arch.vision),
      options: { hiddenStates: options.outputHiddenStates ?? false },
      feeds: { pixel_values: pixelValues },
      engine: options.engine,
    });
    const bag = new OutputBag(outputs);
    const out = bag.vision(this.arch.vision.layers.length, options.outputHiddenStates);
    bag.release();
    return out;
  }

  /**
   * {@link vision} computed synchronously on the tfjs engine, so it can be differentiated (e.g. to
   * train or distil the vision tower alone): `lastHiddenState [B, S, D]` (`image_embeds`) and, with
   * `hiddenStates`, the embeddings and every layer's output `[B, S, D]` (before `post_layernorm`).
   * `weights` overrides parameters by HF name and layout; `gates` as in the view (`vision.{i}` groups).
   * The caller owns the results.
   */
  differentiableVision(
    pixelValues: tf.Tensor,
    options: { weights?: Readonly<Record<string, tf.Tensor>>; gates?: Readonly<Record<string, tf.Tensor>>; hiddenStates?: boolean } = {},
  ): { lastHiddenState: tf.Tensor3D; hiddenStates: tf.Tensor3D[] } {
    this.checkPixels(pixelValues);
    const outputs = this.runner.runTfjs({
      key: 'blip:vision',
      describe: (ctx) => void describeBlipVision(ctx, this.config.vision, this.arch.vision),
      options: { hiddenStates: options.hiddenStates ?? false, gates: new Set(Object.keys(options.gates ?? {})) },
      feeds: { pixel_values: pixelValues },
      weights: options.weights,
      gates: options.gates,
    });
    const layers = this.arch.vision.layers.length;
    const hiddenStates = options.hiddenStates ? Array.from({ length: layers + 1 }, (_, i) => outputs[`vision_model.hidden_states.${i}`] as tf.Tensor3D) : [];
    const lastHiddenState = outputs['vision_model.last_hidden_state'] as tf.Tensor3D;
    const kept = new Set<tf.Tensor>([lastHiddenState, ...hiddenStates]);
    for (const t of Object.values(outputs)) if (!kept.has(t)) t.dispose();
    return { lastHiddenState, hiddenStates };
  }

  /** Releases engine caches (tfjs parameter copies, ONNX sessions). */
  async dispose(): Promise<void> {
    await this.runner.dispose();
  }
}

/** Runs `fn` with `mask`, or an all-ones mask like `ids` created (and disposed) for the call. */
export async function withMask<T>(mask: tf.Tensor | undefined, ids: tf.Tensor, fn: (mask: tf.Tensor) => Promise<T>): Promise<T> {
  if (mask) return fn(mask);
  const ones = tf.onesLike(ids);
  try {
    return await fn(ones);
  } finally {
    ones.dispose();
  }
}

/**
 * The loss feeds of `labels [B, T]`: `labels` with transformers' ignore index −100 replaced by 0
 * and `label_weights` = 0 there, 1 elsewhere (HF BLIP masks nothing itself: pads count).
 */
export function labelFeeds(labels: tf.Tensor): { labels: tf.Tensor; label_weights: tf.Tensor } {
  return tf.tidy(() => {
    const ignored = tf.equal(labels, tf.scalar(-100, labels.dtype));
    return {
      labels: tf.where(ignored, tf.zerosLike(labels), labels).toInt(),
      label_weights: tf.logicalNot(ignored).toFloat(),
    };
  });
}
