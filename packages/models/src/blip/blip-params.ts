import type { TowerArch } from '../clip/clip-arch.js';
import type { BertTowerArch, BlipArch } from './blip-arch.js';
import type { BlipConfig } from './blip-config.js';

/** Weight-name root of the text encoder (`BlipTextModel`, retrieval and VQA). */
export const TEXT_ENCODER_ROOT = 'text_encoder';
/** Weight-name root of the text decoder's BERT (`BlipTextLMHeadModel.bert`). */
export const TEXT_DECODER_ROOT = 'text_decoder.bert';
/** The LM head (`BlipTextOnlyMLMHead`) of the text decoder. */
export const LM_HEAD_ROOT = 'text_decoder.cls.predictions';

/**
 * Tied parameters a file may store under another name: `cls.predictions.decoder.bias` is the same
 * tensor as `cls.predictions.bias` (save_pretrained keeps only the latter).
 */
export const BLIP_PARAM_ALIASES: ReadonlyMap<string, string> = new Map([[`${LM_HEAD_ROOT}.bias`, `${LM_HEAD_ROOT}.decoder.bias`]]);

type Shapes = Map<string, number[]>;

function linear(shapes: Shapes, prefix: string, out: number, inp: number): void {
  shapes.set(`${prefix}.weight`, [out, inp]);
  shapes.set(`${prefix}.bias`, [out]);
}

function norm(shapes: Shapes, prefix: string, width: number): void {
  shapes.set(`${prefix}.weight`, [width]);
  shapes.set(`${prefix}.bias`, [width]);
}

function visionParams(shapes: Shapes, config: BlipConfig, arch: TowerArch): void {
  const v = config.vision;
  const d = arch.hidden;
  const grid = v.imageSize / v.patchSize;
  const e = 'vision_model.embeddings';
  shapes.set(`${e}.class_embedding`, [1, 1, d]);
  shapes.set(`${e}.patch_embedding.weight`, [d, v.numChannels, v.patchSize, v.patchSize]);
  shapes.set(`${e}.patch_embedding.bias`, [d]);
  shapes.set(`${e}.position_embedding`, [1, grid * grid + 1, d]);
  arch.layers.forEach((layer, position) => {
    const p = `vision_model.encoder.layers.${arch.layerIndices[position]}`;
    const inner = layer.attention.heads * layer.attention.headDim;
    linear(shapes, `${p}.self_attn.qkv`, 3 * inner, d);
    linear(shapes, `${p}.self_attn.projection`, d, inner);
    norm(shapes, `${p}.layer_norm1`, d);
    norm(shapes, `${p}.layer_norm2`, d);
    linear(shapes, `${p}.mlp.fc1`, layer.mlp, d);
    linear(shapes, `${p}.mlp.fc2`, d, layer.mlp);
  });
  norm(shapes, 'vision_model.post_layernorm', d);
}

function textParams(shapes: Shapes, config: BlipConfig, root: string, arch: BertTowerArch): void {
  const d = arch.hidden;
  shapes.set(`${root}.embeddings.word_embeddings.weight`, [config.text.vocabSize, d]);
  shapes.set(`${root}.embeddings.position_embeddings.weight`, [config.text.maxPositionEmbeddings, d]);
  norm(shapes, `${root}.embeddings.LayerNorm`, d);
  arch.layers.forEach((layer, position) => {
    const p = `${root}.encoder.layer.${arch.layerIndices[position]}`;
    const inner = layer.attention.heads * layer.attention.headDim;
    for (const name of ['query', 'key', 'value']) linear(shapes, `${p}.attention.self.${name}`, inner, d);
    linear(shapes, `${p}.attention.output.dense`, d, inner);
    norm(shapes, `${p}.attention.output.LayerNorm`, d);
    if (layer.cross) {
      const crossInner = layer.cross.heads * layer.cross.headDim;
      linear(shapes, `${p}.crossattention.self.query`, crossInner, d);
      linear(shapes, `${p}.crossattention.self.key`, crossInner, arch.encoderHidden);
      linear(shapes, `${p}.crossattention.self.value`, crossInner, arch.encoderHidden);
      linear(shapes, `${p}.crossattention.output.dense`, d, crossInner);
      norm(shapes, `${p}.crossattention.output.LayerNorm`, d);
    }
    linear(shapes, `${p}.intermediate.dense`, layer.mlp, d);
    linear(shapes, `${p}.output.dense`, d, layer.mlp);
    norm(shapes, `${p}.output.LayerNorm`, d);
  });
}

function lmHeadParams(shapes: Shapes, config: BlipConfig, arch: BertTowerArch): void {
  const d = arch.hidden;
  linear(shapes, `${LM_HEAD_ROOT}.transform.dense`, d, d);
  norm(shapes, `${LM_HEAD_ROOT}.transform.LayerNorm`, d);
  shapes.set(`${LM_HEAD_ROOT}.decoder.weight`, [config.text.vocabSize, d]);
  shapes.set(`${LM_HEAD_ROOT}.bias`, [config.text.vocabSize]);
}

/** Every parameter the BLIP head class of `config` has, with its HF shape. */
export function expectedBlipParams(config: BlipConfig, arch: BlipArch): Map<string, number[]> {
  const shapes: Shapes = new Map();
  visionParams(shapes, config, arch.vision);
  if (arch.textEncoder) textParams(shapes, config, TEXT_ENCODER_ROOT, arch.textEncoder);
  if (arch.textDecoder) {
    textParams(shapes, config, TEXT_DECODER_ROOT, arch.textDecoder);
    lmHeadParams(shapes, config, arch.textDecoder);
  }
  if (config.architecture === 'BlipForImageTextRetrieval' && arch.textEncoder) {
    linear(shapes, 'vision_proj', config.imageTextHiddenSize, arch.vision.hidden);
    linear(shapes, 'text_proj', config.imageTextHiddenSize, arch.textEncoder.hidden);
    linear(shapes, 'itm_head', 2, arch.textEncoder.hidden);
  }
  return shapes;
}
