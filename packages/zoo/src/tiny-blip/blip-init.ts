import type { BlipModel } from '@vlp/models';
import { BLIP_RANDOM_STD } from '@vlp/models';

/**
 * The standard deviation of a weight under CLIP-style scaled initialisation (transformers'
 * `CLIPPreTrainedModel._init_weights`, mapped onto BLIP's layer names), or undefined to keep the
 * `initializer_range` draw (embeddings, patch embedding) or the constant (biases, LayerNorms).
 */
function scaledStd(name: string, model: BlipModel): number | undefined {
  const vision = name.startsWith('vision_model.');
  const tower = vision ? model.config.vision : model.config.text;
  const d = tower.hiddenSize;
  const depth = (2 * tower.numHiddenLayers) ** -0.5;
  if (name.endsWith('.bias') || !name.endsWith('.weight') && name !== 'vision_model.embeddings.class_embedding') return undefined;
  if (name === 'vision_model.embeddings.class_embedding') return d ** -0.5;
  if (/\.self_attn\.qkv\.weight$/.test(name) || /\.(attention|crossattention)\.self\.(query|key|value)\.weight$/.test(name)) return d ** -0.5 * depth;
  if (/\.self_attn\.projection\.weight$/.test(name) || /\.(attention|crossattention)\.output\.dense\.weight$/.test(name)) return d ** -0.5;
  if (/\.mlp\.fc1\.weight$/.test(name) || /\.intermediate\.dense\.weight$/.test(name)) return (2 * d) ** -0.5;
  if (/\.mlp\.fc2\.weight$/.test(name) || /\.layer\.\d+\.output\.dense\.weight$/.test(name)) return d ** -0.5 * depth;
  if (name === 'vision_proj.weight' || name === 'text_proj.weight' || name === 'itm_head.weight') return d ** -0.5;
  return undefined;
}

/**
 * Rescales the `initializer_range` (0.02) weights of a `createRandomBlip` model, in place, to
 * CLIP's width- and depth-scaled standard deviations (attention and MLP weights by `hidden^-0.5`
 * and `(2·layers)^-0.5`, class embedding and projection heads by `hidden^-0.5`); embeddings, biases
 * and LayerNorms keep theirs. Still a function of the seed alone. At width 64 the 0.02 draws leave
 * every image and caption embedding alike and the ITC loss on its ln(batch) plateau (measured: no
 * progress in the first 44 steps of the retrieval recipe); with these scales it leaves it at once.
 */
export function applyScaledBlipInit(model: BlipModel): void {
  for (const name of model.params.names()) {
    const std = scaledStd(name, model);
    if (std === undefined) continue;
    const scale = std / BLIP_RANDOM_STD;
    model.params.set(name, Float32Array.from(model.params.get(name).data, (x) => x * scale));
  }
}
