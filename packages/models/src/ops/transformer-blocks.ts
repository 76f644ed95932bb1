import type { DescribeContext } from './describe-context.js';

/** Per-layer attention geometry (may differ per layer after structured compaction). */
export interface AttentionShape {
  readonly heads: number;
  /** Channels per head for q/k/v (UPop may slice them). */
  readonly headDim: number;
  /** Multiplier of q before QKᵀ: HF uses the *original* head_dim^-0.5. */
  readonly scale: number;
}

export interface SelfAttentionArgs<V> {
  /** Weight-name prefix of the module, e.g. `vision_model.encoder.layers.0.self_attn`. */
  readonly prefix: string;
  /** Gate group prefix, e.g. `vision.0`. */
  readonly gatePrefix: string;
  readonly names: { readonly q: string; readonly k: string; readonly v: string; readonly out: string };
  readonly shape: AttentionShape;
  /** Tokens per sequence (static). */
  readonly tokens: number;
  /** Additive mask broadcastable to `[B, H, T, T]`, or null. */
  readonly mask: V | null;
  /** Valid-token row weights `[B·T]` for taps, or null. */
  readonly rowWeights: V | null;
}

/** `[B·T, H·d]` → `[B, H, T, d]`. */
export function splitHeads<V>(ctx: DescribeContext<V>, x: V, tokens: number, heads: number, headDim: number): V {
  const g = ctx.g;
  return g.transpose(g.reshape(x, [-1, tokens, heads, headDim]), [0, 2, 1, 3]);
}

/** `[B, H, T, d]` → `[B·T, H·d]`. */
export function mergeHeads<V>(ctx: DescribeContext<V>, x: V, tokens: number, heads: number, headDim: number): V {
  const g = ctx.g;
  return g.reshape(g.transpose(x, [0, 2, 1, 3]), [-1, heads * headDim]);
}

/**
 * Scaled dot-product attention on split heads with the two gates of the prunable view:
 * `<gatePrefix>.attn.channels` (`[headDim]`, UPop's per-head channels shared by all heads,
 * multiplying q, k and v after the head split) and `<gatePrefix>.attn.heads` (`[heads]`,
 * multiplying each head's context).
 */
export function attend<V>(
  ctx: DescribeContext<V>,
  q: V,
  k: V,
  v: V,
  args: { gatePrefix: string; shape: AttentionShape; mask: V | null; cross?: boolean },
): V {
  const g = ctx.g;
  const { heads, headDim, scale } = args.shape;
  const kind = args.cross ? 'cross' : 'attn';
  const channels = ctx.gate(`${args.gatePrefix}.${kind}.channels`, headDim);
  if (channels) {
    const c = g.reshape(channels, [1, 1, 1, headDim]);
    q = g.mul(q, c);
    k = g.mul(k, c);
    v = g.mul(v, c);
  }
  let scores = g.matmul(g.scale(q, scale), k, true);
  if (args.mask) scores = g.add(scores, args.mask);
  let context = g.matmul(g.softmax(scores), v);
  const headGate = ctx.gate(`${args.gatePrefix}.${kind}.heads`, heads);
  if (headGate) context = g.mul(context, g.reshape(headGate, [1, heads, 1, 1]));
  return context;
}

/** Self-attention with separate q/k/v/out linears on `x [B·T, D]` → `[B·T, D]`. */
export function selfAttention<V>(ctx: DescribeContext<V>, x: V, a: SelfAttentionArgs<V>): V {
  const { heads, headDim } = a.shape;
  const q = splitHeads(ctx, ctx.linear(a.names.q, x, a.rowWeights), a.tokens, heads, headDim);
  const k = splitHeads(ctx, ctx.linear(a.names.k, x, a.rowWeights), a.tokens, heads, headDim);
  const v = splitHeads(ctx, ctx.linear(a.names.v, x, a.rowWeights), a.tokens, heads, headDim);
  const context = attend(ctx, q, k, v, { gatePrefix: a.gatePrefix, shape: a.shape, mask: a.mask });
  return ctx.linear(a.names.out, mergeHeads(ctx, context, a.tokens, heads, headDim), a.rowWeights);
}

/**
 * Feed-forward `fc2(act(fc1(x)))` with the neuron gate `<gatePrefix>.mlp` (`[neurons]`) multiplying
 * fc1's output before the activation (UPop's convention; act(0) = 0 for GELU and quick-GELU).
 */
export function feedForward<V>(
  ctx: DescribeContext<V>,
  x: V,
  a: { fc1: string; fc2: string; act: 'gelu' | 'quick_gelu'; neurons: number; gatePrefix: string; rowWeights: V | null },
): V {
  const g = ctx.g;
  let h = ctx.linear(a.fc1, x, a.rowWeights);
  const gate = ctx.gate(`${a.gatePrefix}.mlp`, a.neurons);
  if (gate) h = g.mul(h, g.reshape(gate, [1, a.neurons]));
  h = a.act === 'gelu' ? g.gelu(h) : g.quickGelu(h);
  return ctx.linear(a.fc2, h, a.rowWeights);
}

/** `residual + gate·branch` with the whole-layer gate `<gatePrefix>.layer` (`[1]`) when gated. */
export function gatedResidual<V>(ctx: DescribeContext<V>, residual: V, branch: V, gatePrefix: string): V {
  const g = ctx.g;
  const gate = ctx.gate(`${gatePrefix}.layer`, 1);
  return g.add(residual, gate ? g.mul(branch, gate) : branch);
}
