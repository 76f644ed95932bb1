import type { DescribeContext } from '../ops/describe-context.js';
import type { BertTowerArch } from './blip-arch.js';
import { LM_HEAD_ROOT } from './blip-params.js';

/**
 * Label smoothing of the BLIP LM loss: transformers v4.36.2 hard-codes
 * `CrossEntropyLoss(reduction, label_smoothing=0.1)` in `BlipTextLMHeadModel.forward`.
 */
export const BLIP_LM_LABEL_SMOOTHING = 0.1;

/**
 * BlipTextOnlyMLMHead on rows `x [N, D]` → logits `[N, vocab]`: `transform.dense` → hidden_act →
 * `transform.LayerNorm` → `decoder` (its own, untied weight) + `cls.predictions.bias`.
 */
export function describeLmHead<V>(ctx: DescribeContext<V>, arch: BertTowerArch, x: V): V {
  const g = ctx.g;
  const p = LM_HEAD_ROOT;
  let h = g.linear(x, g.param(`${p}.transform.dense.weight`, 'linear'), g.param(`${p}.transform.dense.bias`));
  h = arch.act === 'gelu' ? g.gelu(h) : g.quickGelu(h);
  h = g.layerNorm(h, g.param(`${p}.transform.LayerNorm.weight`), g.param(`${p}.transform.LayerNorm.bias`), arch.eps);
  return g.linear(h, g.param(`${p}.decoder.weight`, 'linear'), g.param(`${p}.bias`));
}

/**
 * The shifted LM loss of `BlipTextLMHeadModel` (reduction "mean"): logits at positions 0..T−2
 * predict labels at 1..T−1, cross-entropy with label smoothing `smoothing`
 * (`(1−ε)·(−log p_y) + ε·mean_c(−log p_c)`), averaged over the positions whose weight is 1 —
 * every position, pads included, unless the caller passed `-100` labels (weight 0, as
 * `ignore_index`). `logits [B, T, V]`, `labels` int `[B, T]` (ignored ones already replaced by 0),
 * `weights [B, T]` float. Returns a 0-d loss.
 */
export function describeLmLoss<V>(ctx: DescribeContext<V>, logits: V, labels: V, weights: V, tokens: number, vocab: number, smoothing: number): V {
  const g = ctx.g;
  const logp = g.logSoftmax(g.reshape(g.slice(logits, 1, 0, tokens - 1), [-1, vocab])); // [N, V]
  const target = g.reshape(g.slice(labels, 1, 1, tokens), [-1]); // [N]
  const w = g.reshape(g.slice(weights, 1, 1, tokens), [1, -1]); // [1, N]
  const picked = g.pickRows(g.reshape(logp, [-1, 1]), target, vocab); // [N, 1] = log p_y
  const total = g.matmul(logp, g.constant(new Float32Array(vocab).fill(1), [vocab, 1])); // [N, 1] = Σ_c log p_c
  const perRow = g.add(g.scale(picked, -(1 - smoothing)), g.scale(total, -smoothing / vocab));
  return g.div(g.sumAll(g.matmul(w, perRow)), g.sumAll(w));
}
