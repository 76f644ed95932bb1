import type { DescribeContext } from '../ops/describe-context.js';
import { feedForward, gatedResidual, selfAttention } from '../ops/transformer-blocks.js';
import type { ClipArch, TowerArch } from './clip-arch.js';
import type { ClipConfig } from './clip-config.js';

/** Large negative additive mask value (masked probabilities are exactly 0 in float32). */
const MASKED = -1e9;

function encoderLayers<V>(ctx: DescribeContext<V>, tower: 'vision' | 'text', arch: TowerArch, x: V, tokens: number, mask: V | null, rowWeights: V | null): V {
  const g = ctx.g;
  const root = `${tower}_model.encoder.layers`;
  arch.layers.forEach((layer, position) => {
    const i = arch.layerIndices[position] as number;
    const p = `${root}.${i}`;
    const gatePrefix = `${tower}.${i}`;
    const attn = selfAttention(ctx, g.layerNorm(x, g.param(`${p}.layer_norm1.weight`), g.param(`${p}.layer_norm1.bias`), arch.eps), {
      prefix: `${p}.self_attn`,
      gatePrefix,
      names: {
        q: `${p}.self_attn.q_proj.weight`,
        k: `${p}.self_attn.k_proj.weight`,
        v: `${p}.self_attn.v_proj.weight`,
        out: `${p}.self_attn.out_proj.weight`,
      },
      shape: layer.attention,
      tokens,
      mask,
      rowWeights,
    });
    x = gatedResidual(ctx, x, attn, gatePrefix);
    const mlp = feedForward(ctx, g.layerNorm(x, g.param(`${p}.layer_norm2.weight`), g.param(`${p}.layer_norm2.bias`), arch.eps), {
      fc1: `${p}.mlp.fc1.weight`,
      fc2: `${p}.mlp.fc2.weight`,
      act: arch.act,
      neurons: layer.mlp,
      gatePrefix,
      rowWeights,
    });
    x = gatedResidual(ctx, x, mlp, gatePrefix);
    ctx.tapBlock(gatePrefix, x, rowWeights, tokens, arch.hidden);
    if (ctx.hiddenStates) g.output(`${tower}_model.hidden_states.${position + 1}`, g.reshape(x, [-1, tokens, arch.hidden]));
  });
  return x;
}

/**
 * CLIP vision tower + projection, as transformers' CLIPVisionTransformer: patch embedding (a
 * bias-free conv, here a matmul over patchified pixels), class token, position embedding,
 * `pre_layrnorm`, pre-LN layers, `post_layernorm` on the class token only, bias-free projection.
 * Inputs: `pixel_values [B, C, S, S]`. Outputs: `vision_model.last_hidden_state`,
 * `vision_model.pooler_output`, `image_features` (+ hidden states when asked).
 */
export function describeClipVision<V>(ctx: DescribeContext<V>, config: ClipConfig, arch: ClipArch): V {
  const g = ctx.g;
  const c = config.vision;
  const grid = c.imageSize / c.patchSize;
  const patches = grid * grid;
  const tokens = patches + 1;
  const d = arch.vision.hidden;
  const pixels = g.input('pixel_values', 'float32', ['batch', c.numChannels, c.imageSize, c.imageSize]);
  const patchified = g.reshape(
    g.transpose(g.reshape(pixels, [-1, c.numChannels, grid, c.patchSize, grid, c.patchSize]), [0, 2, 4, 1, 3, 5]),
    [-1, c.numChannels * c.patchSize * c.patchSize],
  );
  const patchEmbeds = g.linear(patchified, g.param('vision_model.embeddings.patch_embedding.weight', 'linear'), null);
  const withClassSlot = g.pad(g.reshape(patchEmbeds, [-1, patches, d]), [0, 1, 0, 0, 0, 0]);
  const classRow = g.pad(g.reshape(g.param('vision_model.embeddings.class_embedding'), [1, d]), [0, 0, patches, 0]);
  const positions = g.add(g.param('vision_model.embeddings.position_embedding.weight'), classRow);
  let x = g.reshape(g.add(withClassSlot, positions), [-1, d]);
  x = g.layerNorm(x, g.param('vision_model.pre_layrnorm.weight'), g.param('vision_model.pre_layrnorm.bias'), arch.vision.eps);
  if (ctx.hiddenStates) g.output('vision_model.hidden_states.0', g.reshape(x, [-1, tokens, d]));
  x = encoderLayers(ctx, 'vision', arch.vision, x, tokens, null, null);
  g.output('vision_model.last_hidden_state', g.reshape(x, [-1, tokens, d]));
  const cls = g.reshape(g.slice(g.reshape(x, [-1, tokens, d]), 1, 0, 1), [-1, d]);
  const pooled = g.layerNorm(cls, g.param('vision_model.post_layernorm.weight'), g.param('vision_model.post_layernorm.bias'), arch.vision.eps);
  g.output('vision_model.pooler_output', pooled);
  ctx.tapInput('visual_projection.weight', pooled, null);
  const features = g.linear(pooled, g.param('visual_projection.weight', 'linear'), null);
  g.output('image_features', features);
  return features;
}

/**
 * CLIP text tower + projection, as transformers' CLIPTextTransformer: token + position embeddings,
 * causal **and** padding masks, pre-LN layers, `final_layer_norm`, pooling at the EOS position
 * (`argmax(input_ids)` for legacy configs with `eos_token_id == 2`, else the first `eos_token_id`),
 * bias-free projection. Inputs: `input_ids [B, T]`, `attention_mask [B, T]` (T static per graph).
 */
export function describeClipText<V>(ctx: DescribeContext<V>, config: ClipConfig, arch: ClipArch, tokens: number): V {
  const g = ctx.g;
  const d = arch.text.hidden;
  const ids = g.input('input_ids', 'int64', ['batch', tokens]);
  const attentionMask = g.toFloat(g.input('attention_mask', 'int64', ['batch', tokens]));
  const rowWeights = g.reshape(attentionMask, [-1]);
  const positions = g.slice(g.param('text_model.embeddings.position_embedding.weight'), 0, 0, tokens);
  const embedded = g.add(g.gather(g.param('text_model.embeddings.token_embedding.weight'), ids), positions);
  let x = g.reshape(embedded, [-1, d]);
  if (ctx.hiddenStates) g.output('text_model.hidden_states.0', g.reshape(x, [-1, tokens, d]));
  const causal = new Float32Array(tokens * tokens);
  for (let i = 0; i < tokens; i++) for (let j = i + 1; j < tokens; j++) causal[i * tokens + j] = MASKED;
  const padding = g.scale(g.rsubScalar(g.reshape(attentionMask, [-1, 1, 1, tokens]), 1), MASKED);
  const mask = g.add(g.constant(causal, [1, 1, tokens, tokens]), padding);
  x = encoderLayers(ctx, 'text', arch.text, x, tokens, mask, rowWeights);
  x = g.layerNorm(x, g.param('text_model.final_layer_norm.weight'), g.param('text_model.final_layer_norm.bias'), arch.text.eps);
  g.output('text_model.last_hidden_state', g.reshape(x, [-1, tokens, d]));
  const eos = config.text.eosTokenId;
  const eosIndex = eos === 2 ? g.argmax(ids, 1) : g.argmax(g.equalScalar(ids, eos), 1);
  const pooled = g.pickRows(x, eosIndex, tokens);
  g.output('text_model.pooler_output', pooled);
  ctx.tapInput('text_projection.weight', pooled, null);
  const features = g.linear(pooled, g.param('text_projection.weight', 'linear'), null);
  g.output('text_features', features);
  return features;
}

/**
 * The full CLIPModel forward: both towers, L2-normalised embeddings, and
 * `logits_per_text = exp(logit_scale) · text_embeds · image_embedsᵀ` (`logits_per_image` its transpose).
 */
export function describeClip<V>(ctx: DescribeContext<V>, config: ClipConfig, arch: ClipArch, tokens: number): void {
  const g = ctx.g;
  const imageEmbeds = g.l2Normalize(describeClipVision(ctx, config, arch));
  const textEmbeds = g.l2Normalize(describeClipText(ctx, config, arch, tokens));
  g.output('image_embeds', imageEmbeds);
  g.output('text_embeds', textEmbeds);
  const logitScale = g.exp(g.param('logit_scale'));
  const logitsPerText = g.mul(g.matmul(textEmbeds, imageEmbeds, true), logitScale);
  g.output('logits_per_text', logitsPerText);
  g.output('logits_per_image', g.transpose(logitsPerText, [1, 0]));
}
