import type { DescribeContext } from '../ops/describe-context.js';
import type { AttentionShape } from '../ops/transformer-blocks.js';
import { attend, feedForward, mergeHeads, selfAttention, splitHeads } from '../ops/transformer-blocks.js';
import type { BertTowerArch } from './blip-arch.js';

/** BERT's additive mask value for masked self-attention keys (`(1 − mask) · −10000`, not −inf). */
export const BERT_MASKED = -10000;
/** `invert_attention_mask`'s value for masked cross-attention keys: `torch.finfo(float32).min`. */
export const CROSS_MASKED = -3.4028234663852886e38;

/** The token side of a text tower run. */
export interface TextTokens<V> {
  /** int ids `[B, T]`. */
  readonly ids: V;
  /** Float 0/1 attention mask `[B, T]`. */
  readonly mask: V;
  readonly tokens: number;
}

/** What the cross-attention layers attend to (image embeddings or question embeddings). */
export interface CrossSource<V> {
  /** `[B·S, encoder_hidden]` rows. */
  readonly states: V;
  readonly tokens: number;
  /** Additive mask `[B, 1, 1, S]`, or null for all-ones (adds exactly 0 in transformers). */
  readonly mask: V | null;
  /** Valid-token row weights `[B·S]` for taps when the source is text, null for image tokens. */
  readonly rowWeights: V | null;
}

/** Which text tower a run describes. */
export interface TextTowerSpec {
  /** Weight root: `text_encoder` or `text_decoder.bert`. */
  readonly root: string;
  /** Gate / block prefix: `text` (encoder) or `decoder`. */
  readonly gateRoot: 'text' | 'decoder';
  /** Output name root for hidden states (`text_encoder` / `text_decoder`). */
  readonly outputRoot: string;
  /** Causal self-attention (`is_decoder=True` at call time). */
  readonly causal: boolean;
}

/** `(1 − mask) · −10000` broadcast to `[B, 1, T, T]` (with the causal mask) or `[B, 1, 1, T]`. */
function selfMask<V>(ctx: DescribeContext<V>, mask: V, tokens: number, causal: boolean): V {
  const g = ctx.g;
  let keep = g.reshape(mask, [-1, 1, 1, tokens]);
  if (causal) {
    const lower = new Float32Array(tokens * tokens);
    for (let i = 0; i < tokens; i++) for (let j = 0; j <= i; j++) lower[i * tokens + j] = 1;
    keep = g.mul(g.constant(lower, [1, 1, tokens, tokens]), keep);
  }
  return g.scale(g.rsubScalar(keep, 1), BERT_MASKED);
}

/** `invert_attention_mask`: a 0/1 `[B, S]` mask → additive `[B, 1, 1, S]` with finfo.min. */
export function crossMask<V>(ctx: DescribeContext<V>, mask: V, tokens: number): V {
  const g = ctx.g;
  return g.scale(g.rsubScalar(g.reshape(mask, [-1, 1, 1, tokens]), 1), CROSS_MASKED);
}

/** `crossattention.self` + `.output.dense`: queries from the text rows, keys/values from the source. */
function crossAttention<V>(ctx: DescribeContext<V>, x: V, source: CrossSource<V>, a: { p: string; gatePrefix: string; shape: AttentionShape; tokens: number; rowWeights: V | null }): V {
  const { heads, headDim } = a.shape;
  const s = `${a.p}.crossattention.self`;
  const q = splitHeads(ctx, ctx.linear(`${s}.query.weight`, x, a.rowWeights), a.tokens, heads, headDim);
  const k = splitHeads(ctx, ctx.linear(`${s}.key.weight`, source.states, source.rowWeights), source.tokens, heads, headDim);
  const v = splitHeads(ctx, ctx.linear(`${s}.value.weight`, source.states, source.rowWeights), source.tokens, heads, headDim);
  const context = attend(ctx, q, k, v, { gatePrefix: a.gatePrefix, shape: a.shape, mask: source.mask, cross: true });
  return ctx.linear(`${a.p}.crossattention.output.dense.weight`, mergeHeads(ctx, context, a.tokens, heads, headDim), a.rowWeights);
}

function postNorm<V>(ctx: DescribeContext<V>, x: V, prefix: string, eps: number): V {
  return ctx.g.layerNorm(x, ctx.g.param(`${prefix}.weight`), ctx.g.param(`${prefix}.bias`), eps);
}

/**
 * A post-LN sub-block `LayerNorm(x + branch)` under the whole-layer gate `<gatePrefix>.layer`
 * (`[1]`), which scales the sub-block's update: `x + g·(LayerNorm(x + branch) − x)`. g = 1 is the
 * plain sub-block and g = 0 the identity — what removing the layer does (unlike a gate on the
 * branch alone, which would leave `LayerNorm(x)` behind).
 */
function gatedPostNorm<V>(ctx: DescribeContext<V>, x: V, branch: V, prefix: string, eps: number, gatePrefix: string): V {
  const g = ctx.g;
  const y = postNorm(ctx, g.add(x, branch), prefix, eps);
  const gate = ctx.gate(`${gatePrefix}.layer`, 1);
  return gate ? g.add(x, g.mul(g.sub(y, x), gate)) : y;
}

/**
 * A BLIP text tower (BlipTextModel, BERT post-LN) as transformers v4.36.2 computes it: word +
 * absolute position embeddings → LayerNorm; per layer self-attention (bidirectional or causal, with
 * the padding mask, additive −10000), optional cross-attention to `source`, intermediate/output
 * dense, each sub-block `LayerNorm(x + branch)`. Returns the sequence output `[B·T, D]`.
 * Gates: `<gateRoot>.{i}.attn.*`, `.cross.*`, `.mlp`, `.layer` (g = 0 makes the layer the identity,
 * see {@link gatedPostNorm}); taps see `mask` as row weights.
 */
export function describeBlipText<V>(ctx: DescribeContext<V>, arch: BertTowerArch, spec: TextTowerSpec, input: TextTokens<V>, source: CrossSource<V> | null): V {
  const g = ctx.g;
  const { tokens } = input;
  const d = arch.hidden;
  const e = `${spec.root}.embeddings`;
  const rowWeights = g.reshape(input.mask, [-1]);
  const positions = g.slice(g.param(`${e}.position_embeddings.weight`), 0, 0, tokens);
  const embedded = g.add(g.gather(g.param(`${e}.word_embeddings.weight`), input.ids), positions);
  let x = postNorm(ctx, g.reshape(embedded, [-1, d]), `${e}.LayerNorm`, arch.eps);
  if (ctx.hiddenStates) g.output(`${spec.outputRoot}.hidden_states.0`, g.reshape(x, [-1, tokens, d]));
  const mask = selfMask(ctx, input.mask, tokens, spec.causal);
  arch.layers.forEach((layer, position) => {
    const i = arch.layerIndices[position] as number;
    const p = `${spec.root}.encoder.layer.${i}`;
    const gatePrefix = `${spec.gateRoot}.${i}`;
    const attn = selfAttention(ctx, x, {
      prefix: `${p}.attention.self`,
      gatePrefix,
      names: {
        q: `${p}.attention.self.query.weight`,
        k: `${p}.attention.self.key.weight`,
        v: `${p}.attention.self.value.weight`,
        out: `${p}.attention.output.dense.weight`,
      },
      shape: layer.attention,
      tokens,
      mask,
      rowWeights,
    });
    x = gatedPostNorm(ctx, x, attn, `${p}.attention.output.LayerNorm`, arch.eps, gatePrefix);
    if (source && layer.cross) {
      const cross = crossAttention(ctx, x, source, { p, gatePrefix, shape: layer.cross, tokens, rowWeights });
      x = gatedPostNorm(ctx, x, cross, `${p}.crossattention.output.LayerNorm`, arch.eps, gatePrefix);
    }
    const ff = feedForward(ctx, x, {
      fc1: `${p}.intermediate.dense.weight`,
      fc2: `${p}.output.dense.weight`,
      act: arch.act,
      neurons: layer.mlp,
      gatePrefix,
      rowWeights,
    });
    x = gatedPostNorm(ctx, x, ff, `${p}.output.LayerNorm`, arch.eps, gatePrefix);
    ctx.tapBlock(gatePrefix, x, rowWeights, tokens, d);
    if (ctx.hiddenStates) g.output(`${spec.outputRoot}.hidden_states.${position + 1}`, g.reshape(x, [-1, tokens, d]));
  });
  return x;
}
