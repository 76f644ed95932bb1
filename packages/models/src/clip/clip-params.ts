import type { ClipArch, TowerArch } from './clip-arch.js';
import type { ClipConfig } from './clip-config.js';

/** Every parameter a CLIPModel of this geometry has, with its HF shape. */
export function expectedClipParams(config: ClipConfig, arch: ClipArch): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  const v = config.vision;
  const t = config.text;
  const dv = arch.vision.hidden;
  const dt = arch.text.hidden;
  const grid = v.imageSize / v.patchSize;
  shapes.set('vision_model.embeddings.class_embedding', [dv]);
  shapes.set('vision_model.embeddings.patch_embedding.weight', [dv, v.numChannels, v.patchSize, v.patchSize]);
  shapes.set('vision_model.embeddings.position_embedding.weight', [grid * grid + 1, dv]);
  shapes.set('vision_model.pre_layrnorm.weight', [dv]);
  shapes.set('vision_model.pre_layrnorm.bias', [dv]);
  tower(shapes, 'vision_model', arch.vision);
  shapes.set('vision_model.post_layernorm.weight', [dv]);
  shapes.set('vision_model.post_layernorm.bias', [dv]);
  shapes.set('text_model.embeddings.token_embedding.weight', [t.vocabSize, dt]);
  shapes.set('text_model.embeddings.position_embedding.weight', [t.maxPositionEmbeddings, dt]);
  tower(shapes, 'text_model', arch.text);
  shapes.set('text_model.final_layer_norm.weight', [dt]);
  shapes.set('text_model.final_layer_norm.bias', [dt]);
  shapes.set('visual_projection.weight', [config.projectionDim, dv]);
  shapes.set('text_projection.weight', [config.projectionDim, dt]);
  shapes.set('logit_scale', []);
  return shapes;
}

function tower(shapes: Map<string, number[]>, root: string, arch: TowerArch): void {
  const d = arch.hidden;
  arch.layers.forEach((layer, position) => {
    const p = `${root}.encoder.layers.${arch.layerIndices[position]}`;
    const inner = layer.attention.heads * layer.attention.headDim;
    for (const proj of ['q_proj', 'k_proj', 'v_proj']) {
      shapes.set(`${p}.self_attn.${proj}.weight`, [inner, d]);
      shapes.set(`${p}.self_attn.${proj}.bias`, [inner]);
    }
    shapes.set(`${p}.self_attn.out_proj.weight`, [d, layer.attention.heads * layer.attention.headDim]);
    shapes.set(`${p}.self_attn.out_proj.bias`, [d]);
    for (const ln of ['layer_norm1', 'layer_norm2']) {
      shapes.set(`${p}.${ln}.weight`, [d]);
      shapes.set(`${p}.${ln}.bias`, [d]);
    }
    shapes.set(`${p}.mlp.fc1.weight`, [layer.mlp, d]);
    shapes.set(`${p}.mlp.fc1.bias`, [layer.mlp]);
    shapes.set(`${p}.mlp.fc2.weight`, [d, layer.mlp]);
    shapes.set(`${p}.mlp.fc2.bias`, [d]);
  });
}
