import { readSafetensors } from '@vlp/core';
import { readModelConfig } from '@vlp/models';
import type { ModelSize } from './estimate.js';

const PRUNABLE = /(q_proj|k_proj|v_proj|out_proj|fc1|fc2|qkv|projection|query|key|value|attention\.output\.dense|crossattention\.output\.dense|intermediate\.dense|output\.dense)\.weight$/;

const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);

/**
 * Parameter counts and tokens per example from config.json and the safetensors header only (no
 * weights are read), for estimates before loading a model.
 */
export async function modelSize(dir: string): Promise<ModelSize> {
  const config = readModelConfig(dir);
  const file = await readSafetensors(dir);
  let params = 0;
  let prunable = 0;
  let maxIn = 0;
  try {
    for (const name of file.names) {
      const info = file.info(name);
      if (info.dtype === 'I64') continue;
      const n = info.shape.reduce((a, b) => a * b, 1);
      params += n;
      if (info.shape.length === 2 && PRUNABLE.test(name) && !/embeddings|visual_projection|text_projection/.test(name)) {
        prunable += n;
        maxIn = Math.max(maxIn, info.shape[1] ?? 0);
      }
    }
  } finally {
    await file.close();
  }
  const vision = (config.vision_config ?? {}) as Record<string, unknown>;
  const text = (config.text_config ?? {}) as Record<string, unknown>;
  const isClip = String((config.architectures as string[] | undefined)?.[0] ?? config.model_type ?? '').toUpperCase().startsWith('CLIP');
  const imageTokens = (num(vision.image_size, isClip ? 224 : 384) / num(vision.patch_size, isClip ? 32 : 16)) ** 2 + 1;
  const textTokens = Math.min(num(text.max_position_embeddings, isClip ? 77 : 512), 77);
  return { params, prunable, tokensPerExample: imageTokens + textTokens, maxIn };
}
