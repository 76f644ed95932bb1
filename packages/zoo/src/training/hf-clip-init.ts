import type { ClipModel } from '@vlp/models';

/** The standard deviation `createRandomClip` draws every weight with. */
const RANDOM_CLIP_STD = 0.02;

/**
 * The standard deviation transformers' `CLIPPreTrainedModel._init_weights` (v4.36) gives a weight,
 * or undefined for parameters it sets to constants (biases, LayerNorms, `logit_scale`) or draws with
 * `initializer_range = 0.02` (token, position and patch embeddings).
 */
function hfStd(name: string, model: ClipModel): number | undefined {
  const raw = model.config.raw.initializer_factor;
  const f = typeof raw === 'number' ? raw : 1;
  const tower = name.startsWith('vision_model.') ? model.config.vision : model.config.text;
  const d = tower.hiddenSize;
  const layers = tower.numHiddenLayers;
  if (name.endsWith('.bias')) return undefined;
  if (name === 'vision_model.embeddings.class_embedding') return d ** -0.5 * f;
  if (/\.self_attn\.(q|k|v)_proj\.weight$/.test(name)) return d ** -0.5 * (2 * layers) ** -0.5 * f;
  if (name.endsWith('.self_attn.out_proj.weight')) return d ** -0.5 * f;
  if (name.endsWith('.mlp.fc1.weight')) return (2 * d) ** -0.5 * f;
  if (name.endsWith('.mlp.fc2.weight')) return d ** -0.5 * (2 * layers) ** -0.5 * f;
  if (name === 'visual_projection.weight') return model.config.vision.hiddenSize ** -0.5 * f;
  if (name === 'text_projection.weight') return model.config.text.hiddenSize ** -0.5 * f;
  return undefined;
}

/**
 * Rescales the N(0, 0.02²) weights of a `createRandomClip` model to the standard deviations of
 * transformers' CLIP initialisation (attention and MLP weights scaled by width and depth, class
 * embedding and projections by `hidden^-0.5`), in place. Still a function of the seed alone. With
 * these scales a CLIP trained from scratch leaves the initial plateau of the contrastive loss
 * (every embedding alike, loss ≈ ln(batch)) much sooner than with 0.02 everywhere.
 */
export function applyHfClipInit(model: ClipModel): void {
  for (const name of model.params.names()) {
    const std = hfStd(name, model);
    if (std === undefined) continue;
    const scale = std / RANDOM_CLIP_STD;
    model.params.set(name, Float32Array.from(model.params.get(name).data, (x) => x * scale));
  }
}
