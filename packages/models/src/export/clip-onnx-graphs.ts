/**
 * The three ONNX files `exportOnnx` writes for CLIP, named like Hugging Face's ONNX exports
 * (Optimum `CLIPOnnxConfig` for the full model; the `*WithProjection` text / vision exports that
 * transformers.js-style pipelines load as `text_model.onnx` / `vision_model.onnx`):
 *
 * | file | inputs | outputs |
 * | --- | --- | --- |
 * | `model.onnx` | `pixel_values [image_batch_size, C, S, S]`, `input_ids`, `attention_mask [text_batch_size, sequence_length]` | `logits_per_image [image_batch_size, text_batch_size]`, `logits_per_text`, `text_embeds [text_batch_size, P]`, `image_embeds [image_batch_size, P]` (L2-normalised, as `CLIPModel.forward`) |
 * | `vision_model.onnx` | `pixel_values [batch_size, C, S, S]` | `image_embeds [batch_size, P]` (projected, NOT normalised: `CLIPVisionModelWithProjection.image_embeds` = `get_image_features`), `last_hidden_state [batch_size, N+1, Dv]` (encoder output, no post_layernorm) |
 * | `text_model.onnx` | `input_ids`, `attention_mask [batch_size, sequence_length]` | `text_embeds [batch_size, P]` (projected, not normalised: `CLIPTextModelWithProjection.text_embeds`), `last_hidden_state [batch_size, sequence_length, Dt]` (after final_layer_norm) |
 *
 * Ids and masks are int64. `sequence_length` is dynamic up to `max_position_embeddings` (inputs are
 * padded inside the graph; CLIP's causal mask makes the result equal to an unpadded run), or a fixed
 * length when exported with `sequenceLength: n`. Optimum's text-with-projection export has no
 * `attention_mask` input; here it is required (it changes `last_hidden_state` at padded positions).
 */
import type { ClipModel } from '../clip/clip-model.js';
import { describeClip, describeClipText, describeClipVision } from '../clip/clip-describe.js';
import type { DescribeContext } from '../ops/describe-context.js';
import { type ExportGraphSpec, SEQUENCE_LENGTH } from './export-graph-builder.js';

/** The exported CLIP graphs, by file stem. */
export type ClipOnnxGraph = 'model' | 'vision_model' | 'text_model';

/** Every graph, in the order they are written. */
export const CLIP_ONNX_GRAPHS: readonly ClipOnnxGraph[] = ['model', 'vision_model', 'text_model'];

/** A graph to export: how to present it, and the description to record. */
export interface ClipGraphPlan {
  readonly spec: ExportGraphSpec;
  readonly describe: (ctx: DescribeContext<string>) => void;
}

/**
 * The plan of one CLIP graph. `tokens` is the text graphs' static length; `dynamic` makes the text
 * inputs accept any length up to it.
 */
export function clipGraphPlan(model: ClipModel, graph: ClipOnnxGraph, tokens: number, dynamic: boolean): ClipGraphPlan {
  const { config, arch } = model;
  const p = config.projectionDim;
  const seq = dynamic ? SEQUENCE_LENGTH : tokens;
  const grid = config.vision.imageSize / config.vision.patchSize;
  const eos = config.text.eosTokenId;
  // Any id but EOS: pooling (argmax of ids for legacy eos 2, else the first EOS) then ignores the padding.
  const dynamicText = dynamic ? { tokens, padId: eos === 0 ? 1 : 0 } : undefined;
  if (graph === 'model') {
    const [ib, tb] = ['image_batch_size', 'text_batch_size'];
    return {
      spec: {
        name: 'clip',
        batchDims: { pixel_values: ib, input_ids: tb, attention_mask: tb },
        outputs: [
          { from: 'logits_per_image', to: 'logits_per_image', shape: [ib, tb] },
          { from: 'logits_per_text', to: 'logits_per_text', shape: [tb, ib] },
          { from: 'text_embeds', to: 'text_embeds', shape: [tb, p] },
          { from: 'image_embeds', to: 'image_embeds', shape: [ib, p] },
        ],
        ...(dynamicText && { dynamicText }),
      },
      describe: (ctx) => describeClip(ctx, config, arch, tokens),
    };
  }
  if (graph === 'vision_model') {
    return {
      spec: {
        name: 'clip_vision_model',
        batchDims: { pixel_values: 'batch_size' },
        outputs: [
          { from: 'image_features', to: 'image_embeds', shape: ['batch_size', p] },
          { from: 'vision_model.last_hidden_state', to: 'last_hidden_state', shape: ['batch_size', grid * grid + 1, arch.vision.hidden] },
        ],
      },
      describe: (ctx) => void describeClipVision(ctx, config, arch),
    };
  }
  return {
    spec: {
      name: 'clip_text_model',
      batchDims: { input_ids: 'batch_size', attention_mask: 'batch_size' },
      outputs: [
        { from: 'text_features', to: 'text_embeds', shape: ['batch_size', p] },
        { from: 'text_model.last_hidden_state', to: 'last_hidden_state', shape: ['batch_size', seq, arch.text.hidden], tokenAxis: true },
      ],
      ...(dynamicText && { dynamicText }),
    },
    describe: (ctx) => void describeClipText(ctx, config, arch, tokens),
  };
}
