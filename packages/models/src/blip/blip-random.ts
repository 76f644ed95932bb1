import { createRng, type Rng } from '@vlp/core';
import type { OnnxEngineOptions } from '../engine/onnx-engine.js';
import { ParamStore, type StoredParam } from '../weights/param-store.js';
import { blipArchFromConfig } from './blip-arch.js';
import { BlipForConditionalGeneration } from './blip-caption-model.js';
import { type BlipArchitecture, type BlipConfig, parseBlipConfig } from './blip-config.js';
import { expectedBlipParams } from './blip-params.js';
import { BlipForImageTextRetrieval } from './blip-retrieval-model.js';
import { BlipForQuestionAnswering } from './blip-vqa-model.js';
import type { BlipModel } from './load-blip.js';

/** Standard deviation of the random linear and embedding weights (transformers' `initializer_range`). */
export const BLIP_RANDOM_STD = 0.02;

/** LayerNorm gains: `layer_norm1/2`, `post_layernorm`, BERT's `LayerNorm`. */
const NORM_WEIGHT = /(layer_norm\d?|layernorm)\.weight$/i;

/**
 * Fills `data` with U(−a, a), a = √3·std (variance std²): a mulberry32 stream seeded by the
 * (seed, name) child of `rng` — 32-bit integer arithmetic, ~5× faster than the 64-bit generator, which
 * matters for BLIP-base's ~250M parameters.
 */
function fillRandom(data: Float32Array, rng: Rng, name: string): void {
  let state = rng.split(name).nextUint32() | 0;
  const scale = (2 * Math.sqrt(3) * BLIP_RANDOM_STD) / 4294967296;
  const half = 2147483648;
  for (let i = 0; i < data.length; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    data[i] = (((t ^ (t >>> 14)) >>> 0) - half) * scale;
  }
}

/**
 * A randomly initialised BLIP head class (`architecture`) of the given config (HF short-config
 * JSON; `{}` = transformers' class defaults: BLIP-base widths, 384 px, patch 16 — but 8 text heads,
 * the `BlipTextConfig` default; real checkpoints such as blip-itm-base-coco set
 * `text_config.num_attention_heads: 12`). Linear and embedding weights are uniform with standard
 * deviation {@link BLIP_RANDOM_STD} (uniform rather than normal, for speed: BLIP-base has ~250M
 * parameters), LayerNorm gains 1, biases 0. Seeded: same seed, same weights; each
 * tensor has its own stream, so a config change leaves the other tensors' values alone. For
 * benchmarks and tests. Throws `InvalidArgumentError` for an invalid config (see `parseBlipConfig`).
 */
export function createRandomBlip(architecture: BlipArchitecture, rawConfig: Record<string, unknown> = {}, seed = 0, onnx: OnnxEngineOptions = {}): BlipModel {
  const config: BlipConfig = parseBlipConfig({ ...rawConfig, architectures: [architecture] }, architecture);
  const arch = blipArchFromConfig(config);
  const rng = createRng(seed);
  const params = new Map<string, StoredParam>();
  for (const [name, shape] of expectedBlipParams(config, arch)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (NORM_WEIGHT.test(name)) data.fill(1);
    else if (!name.endsWith('.bias')) fillRandom(data, rng, name);
    params.set(name, { shape, data });
  }
  const store = new ParamStore(params);
  switch (architecture) {
    case 'BlipForImageTextRetrieval':
      return new BlipForImageTextRetrieval(config, arch, store, onnx);
    case 'BlipForConditionalGeneration':
      return new BlipForConditionalGeneration(config, arch, store, onnx);
    case 'BlipForQuestionAnswering':
      return new BlipForQuestionAnswering(config, arch, store, onnx);
  }
}
