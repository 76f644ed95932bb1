/**
 * The ONNX files `exportOnnx` writes for the three BLIP head classes, named like Hugging Face's
 * ONNX exports (Optimum's `pixel_values`, `input_ids`, `attention_mask`, `decoder_input_ids`,
 * `encoder_hidden_states`, `encoder_attention_mask` → `logits`, `last_hidden_state`, …; BLIP's own
 * output names `itm_score`, `image_embeds`, `question_embeds`, `image_feat`, `text_feat`).
 * B = batch_size, S = sequence_length, N+1 = image tokens (patches + class token), V = vocab.
 *
 * **BlipForImageTextRetrieval**
 *
 * | file | inputs | outputs |
 * | --- | --- | --- |
 * | `model.onnx` (`forward(use_itm_head=True)`) | `pixel_values [B, 3, P, P]`, `input_ids`, `attention_mask [B, S]` (pairs image i ↔ text i) | `itm_score [B, 2]` (ITM logits; softmax[:, 1] = match probability), `image_embeds [B, N+1, Dv]`, `question_embeds [B, S, Dt]` |
 * | `itc_model.onnx` (`forward(use_itm_head=False)`) | `pixel_values [image_batch_size, …]`, `input_ids`, `attention_mask [text_batch_size, S]` | `itm_score [image_batch_size, text_batch_size]` (cosine, no temperature), `image_feat`, `text_feat` (the normalised factors), `image_embeds`, `question_embeds` (text only) |
 * | `vision_model.onnx` | `pixel_values` | `last_hidden_state [B, N+1, Dv]` (= `image_embeds`, after post_layernorm), `pooler_output [B, Dv]`, `image_feat [B, H]` |
 * | `text_model.onnx` | `input_ids`, `attention_mask` | `last_hidden_state [B, S, Dt]` (text only), `text_feat [B, H]` |
 * | `text_encoder_model.onnx` | `input_ids`, `attention_mask`, `encoder_hidden_states [B, N+1, Dv]` (image_embeds) | `last_hidden_state [B, S, Dt]` (ITM `question_embeds`), `itm_score [B, 2]` |
 *
 * **BlipForConditionalGeneration**
 *
 * | file | inputs | outputs |
 * | --- | --- | --- |
 * | `model.onnx` (`forward`) | `pixel_values`, `input_ids`, `attention_mask [B, S]` (first id `[DEC]`) | `logits [B, S, V]` (teacher forced), `image_embeds` |
 * | `vision_model.onnx` | `pixel_values` | `last_hidden_state` (= `image_embeds`), `pooler_output` |
 * | `text_decoder_model.onnx` | `input_ids`, `attention_mask [B, S]`, `encoder_hidden_states [B, N+1, Dv]` | `logits [B, S, V]` |
 *
 * **BlipForQuestionAnswering**
 *
 * | file | inputs | outputs |
 * | --- | --- | --- |
 * | `model.onnx` (what `forward` computes) | `pixel_values`, `input_ids`, `attention_mask [B, S]` (question), `decoder_input_ids`, `decoder_attention_mask [B, decoder_sequence_length]` (answer, first id `[DEC]`) | `logits [B, decoder_sequence_length, V]` (answer decoder cross-attending the question with its mask), `image_embeds`, `question_embeds [B, S, D]` |
 * | `vision_model.onnx` | `pixel_values` | `last_hidden_state` (= `image_embeds`), `pooler_output` |
 * | `text_encoder_model.onnx` (question encoder) | `input_ids`, `attention_mask`, `encoder_hidden_states` (image_embeds) | `last_hidden_state [B, S, D]` (= `question_embeds`) |
 * | `text_decoder_model.onnx` (answer decoder) | `input_ids`, `attention_mask [B, S]`, `encoder_hidden_states [B, encoder_sequence_length, D]` (question_embeds), `encoder_attention_mask [B, encoder_sequence_length]` | `logits [B, S, V]` |
 *
 * Ids and masks are int64. Text axes are dynamic (`sequence_length`, `decoder_sequence_length`,
 * `encoder_sequence_length`) up to a static buffer the graph pads to (pad id / mask 0 / zero states;
 * the padding is masked, so results equal an unpadded run), or fixed when exported with
 * `sequenceLength: n`. The decoders compute logits for every position of that buffer: greedy
 * generation feeds the tokens so far and reads the last position.
 */
import type { BlipArchitecture } from '../blip/blip-config.js';
import { describeBlipCaption } from '../blip/blip-caption-describe.js';
import { describeBlipItc, describeBlipItm } from '../blip/blip-retrieval-describe.js';
import { blipImageTokens } from '../blip/blip-vision-describe.js';
import { describeBlipVqa } from '../blip/blip-vqa-describe.js';
import type { BlipModel } from '../blip/load-blip.js';
import type { Dim } from '../onnx/graph-builder.js';
import type { DescribeContext } from '../ops/describe-context.js';
import type { BlipExportedOutput, BlipGraphSpec, PaddedInput } from './blip-export-graph-builder.js';
import { describeTextDecoderExport, describeTextEncoderExport, describeTextOnlyExport, describeVisionExport } from './blip-onnx-describe.js';

/** The exported BLIP graphs, by file stem. */
export type BlipOnnxGraph = 'model' | 'itc_model' | 'vision_model' | 'text_model' | 'text_encoder_model' | 'text_decoder_model';

/** The graphs of each BLIP head class, in the order they are written. */
export const BLIP_ONNX_GRAPHS: Readonly<Record<BlipArchitecture, readonly BlipOnnxGraph[]>> = {
  BlipForImageTextRetrieval: ['model', 'itc_model', 'vision_model', 'text_model', 'text_encoder_model'],
  BlipForConditionalGeneration: ['model', 'vision_model', 'text_decoder_model'],
  BlipForQuestionAnswering: ['model', 'vision_model', 'text_encoder_model', 'text_decoder_model'],
};

/** A graph to export: how to present it, and the description to record. */
export interface BlipGraphPlan {
  readonly spec: BlipGraphSpec;
  readonly describe: (ctx: DescribeContext<string>) => void;
}

const B = 'batch_size';
const SEQ = 'sequence_length';
const DEC_SEQ = 'decoder_sequence_length';
const ENC_SEQ = 'encoder_sequence_length';

/** `batch_size` for each named input. */
const batchOf = (...inputs: string[]): Record<string, string> => Object.fromEntries(inputs.map((i) => [i, B]));

/** The shared pieces of every plan of one model and buffer length. */
function planKit(model: BlipModel, tokens: number, dynamic: boolean) {
  const { config, arch } = model;
  const imageTokens = blipImageTokens(config.vision);
  const dv = arch.vision.hidden;
  return {
    imageTokens,
    dv,
    dt: (arch.textEncoder ?? arch.textDecoder)?.hidden ?? config.text.hiddenSize,
    vocab: config.text.vocabSize,
    h: config.imageTextHiddenSize,
    /** A text axis: its symbolic name when dynamic, else the static length. */
    axis: (name: string): Dim => (dynamic ? name : tokens),
    /** The padded inputs, when dynamic. */
    padded: (entries: Record<string, PaddedInput>): { padded?: Record<string, PaddedInput> } => (dynamic ? { padded: entries } : {}),
    /** Cut an output's axis 1 back to `input`'s length, when dynamic. */
    cut: (input: string): { cutBy?: string } => (dynamic ? { cutBy: input } : {}),
    /** `input_ids` padded with pad_token_id, `attention_mask` with 0. */
    text: { input_ids: { axis: SEQ, value: config.text.padTokenId }, attention_mask: { axis: SEQ, value: 0 } } as Record<string, PaddedInput>,
    imageEmbeds: (batch: string): BlipExportedOutput => ({ from: 'vision_model.last_hidden_state', to: 'image_embeds', shape: [batch, imageTokens, dv] }),
  };
}

type PlanKit = ReturnType<typeof planKit>;

/**
 * The plan of one BLIP graph. `tokens` is the static length of every text axis (the buffer);
 * `dynamic` makes those axes accept any length up to it.
 */
export function blipGraphPlan(model: BlipModel, graph: BlipOnnxGraph, tokens: number, dynamic: boolean): BlipGraphPlan {
  const { config, arch } = model;
  const k = planKit(model, tokens, dynamic);
  const retrieval = config.architecture === 'BlipForImageTextRetrieval';
  const name = `blip_${graph}`;
  switch (graph) {
    case 'model':
      return modelPlan(model, tokens, k);
    case 'vision_model':
      return {
        spec: {
          name,
          batchDims: batchOf('pixel_values'),
          outputs: [
            { from: 'vision_model.last_hidden_state', to: 'last_hidden_state', shape: [B, k.imageTokens, k.dv] },
            { from: 'vision_model.pooler_output', to: 'pooler_output', shape: [B, k.dv] },
            ...(retrieval ? [{ from: 'image_feat', to: 'image_feat', shape: [B, k.h] }] : []),
          ],
        },
        describe: (ctx) => describeVisionExport(ctx, config, arch),
      };
    case 'text_model':
      return {
        spec: {
          name,
          batchDims: batchOf('input_ids', 'attention_mask'),
          outputs: [
            { from: 'last_hidden_state', to: 'last_hidden_state', shape: [B, k.axis(SEQ), k.dt], ...k.cut('input_ids') },
            { from: 'text_feat', to: 'text_feat', shape: [B, k.h] },
          ],
          ...k.padded(k.text),
        },
        describe: (ctx) => describeTextOnlyExport(ctx, arch, tokens),
      };
    case 'text_encoder_model':
      return {
        spec: {
          name,
          batchDims: batchOf('input_ids', 'attention_mask', 'encoder_hidden_states'),
          outputs: [
            { from: 'last_hidden_state', to: 'last_hidden_state', shape: [B, k.axis(SEQ), k.dt], ...k.cut('input_ids') },
            ...(retrieval ? [{ from: 'itm_score', to: 'itm_score', shape: [B, 2] }] : []),
          ],
          ...k.padded(k.text),
        },
        describe: (ctx) => describeTextEncoderExport(ctx, config, arch, tokens),
      };
    case 'text_decoder_model': {
      const vqa = config.architecture === 'BlipForQuestionAnswering';
      const source: Record<string, PaddedInput> = vqa ? { encoder_hidden_states: { axis: ENC_SEQ, value: 0 }, encoder_attention_mask: { axis: ENC_SEQ, value: 0 } } : {};
      return {
        spec: {
          name,
          batchDims: batchOf('input_ids', 'attention_mask', 'encoder_hidden_states', 'encoder_attention_mask'),
          outputs: [{ from: 'logits', to: 'logits', shape: [B, k.axis(SEQ), k.vocab], ...k.cut('input_ids') }],
          ...k.padded({ ...k.text, ...source }),
        },
        describe: (ctx) => describeTextDecoderExport(ctx, config, arch, tokens, tokens),
      };
    }
    case 'itc_model': {
      const [ib, tb] = ['image_batch_size', 'text_batch_size'];
      return {
        spec: {
          name,
          batchDims: { pixel_values: ib, input_ids: tb, attention_mask: tb },
          outputs: [
            { from: 'itm_score', to: 'itm_score', shape: [ib, tb] },
            { from: 'image_feat', to: 'image_feat', shape: [ib, k.h] },
            { from: 'text_feat', to: 'text_feat', shape: [tb, k.h] },
            k.imageEmbeds(ib),
            { from: 'question_embeds', to: 'question_embeds', shape: [tb, k.axis(SEQ), k.dt], ...k.cut('input_ids') },
          ],
          ...k.padded(k.text),
        },
        describe: (ctx) => describeBlipItc(ctx, config, arch, tokens),
      };
    }
  }
}

/** `model.onnx`: the head class's own forward description. */
function modelPlan(model: BlipModel, tokens: number, k: PlanKit): BlipGraphPlan {
  const { config, arch } = model;
  const name = 'blip_model';
  const batchDims = batchOf('pixel_values', 'input_ids', 'attention_mask', 'decoder_input_ids', 'decoder_attention_mask');
  const questionEmbeds: BlipExportedOutput = { from: 'question_embeds', to: 'question_embeds', shape: [B, k.axis(SEQ), k.dt], ...k.cut('input_ids') };
  switch (config.architecture) {
    case 'BlipForImageTextRetrieval':
      return {
        spec: { name, batchDims, outputs: [{ from: 'itm_score', to: 'itm_score', shape: [B, 2] }, k.imageEmbeds(B), questionEmbeds], ...k.padded(k.text) },
        describe: (ctx) => describeBlipItm(ctx, config, arch, tokens),
      };
    case 'BlipForConditionalGeneration':
      return {
        spec: { name, batchDims, outputs: [{ from: 'logits', to: 'logits', shape: [B, k.axis(SEQ), k.vocab], ...k.cut('input_ids') }, k.imageEmbeds(B)], ...k.padded(k.text) },
        describe: (ctx) => describeBlipCaption(ctx, config, arch, tokens, null),
      };
    case 'BlipForQuestionAnswering': {
      const answer: Record<string, PaddedInput> = {
        decoder_input_ids: { axis: DEC_SEQ, value: config.text.padTokenId },
        decoder_attention_mask: { axis: DEC_SEQ, value: 0 },
      };
      return {
        spec: {
          name,
          batchDims,
          outputs: [{ from: 'answer_logits', to: 'logits', shape: [B, k.axis(DEC_SEQ), k.vocab], ...k.cut('decoder_input_ids') }, k.imageEmbeds(B), questionEmbeds],
          ...k.padded({ ...k.text, ...answer }),
        },
        describe: (ctx) => describeBlipVqa(ctx, config, arch, tokens, tokens, null),
      };
    }
  }
}
