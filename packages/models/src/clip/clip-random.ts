import { createRng } from '@vlp/core';
import type { OnnxEngineOptions } from '../engine/onnx-engine.js';
import { ParamStore, type StoredParam } from '../weights/param-store.js';
import { clipArchFromConfig } from './clip-arch.js';
import { type ClipConfig, parseClipConfig } from './clip-config.js';
import { ClipModel } from './clip-model.js';
import { expectedClipParams } from './clip-params.js';

/**
 * A randomly initialised CLIP of the given config (HF short-config JSON; `{}` = ViT-B/32 defaults):
 * linear and embedding weights N(0, 0.02²), LayerNorm gains 1, biases 0, `logit_scale` =
 * `logit_scale_init_value`. Seeded: same seed, same weights. For benchmarks and tests.
 */
export function createRandomClip(rawConfig: Record<string, unknown> = {}, seed = 0, onnx: OnnxEngineOptions = {}): ClipModel {
  const config: ClipConfig = parseClipConfig({ architectures: ['CLIPModel'], ...rawConfig });
  const arch = clipArchFromConfig(config);
  const rng = createRng(seed);
  const params = new Map<string, StoredParam>();
  for (const [name, shape] of expectedClipParams(config, arch)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (name === 'logit_scale') data[0] = config.logitScaleInitValue;
    else if (/(layer_norm\d?|layernorm|layrnorm)\.weight$/.test(name)) data.fill(1);
    else if (!name.endsWith('.bias')) {
      rng.split(name).fillNormal(data);
      for (let i = 0; i < size; i++) data[i] = (data[i] as number) * 0.02;
    }
    params.set(name, { shape, data });
  }
  return new ClipModel(config, arch, new ParamStore(params), onnx);
}
