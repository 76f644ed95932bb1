import * as tf from '@tensorflow/tfjs';
import type { SyntheticBatch } from './batch.js';
import type { SyntheticDims } from './dims.js';
import { type BlockRole, type Tower, TOWERS, headGroup, layerGroup, neuronGroup, unitName } from './layout.js';
import { type TapRecorder, type TokenMask, poolValid } from './taps.js';

/** Parameter lookup of one forward (unit weights with per-run overrides already resolved). */
export interface ForwardParams {
  weight(unit: string): tf.Tensor2D;
  bias(unit: string): tf.Tensor1D;
  /** Gate of a group, or undefined (all ones). */
  gate(group: string): tf.Tensor1D | undefined;
}

interface Tower2D {
  readonly tower: Tower;
  readonly x: tf.Tensor2D;
  readonly mask: TokenMask;
  /** `[B, 1, 1, T]` additive attention bias (−1e9 at padding keys), text only. */
  readonly keyBias?: tf.Tensor;
}

const layerNorm = (x: tf.Tensor2D): tf.Tensor2D => {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
};

const quickGelu = (x: tf.Tensor2D): tf.Tensor2D => tf.mul(x, tf.sigmoid(tf.mul(x, 1.702)));

function linear(p: ForwardParams, taps: TapRecorder, t: Tower2D, block: number, role: BlockRole, x: tf.Tensor2D): tf.Tensor2D {
  const unit = unitName(t.tower, block, role);
  taps.input(unit, x, t.mask);
  const y = tf.add(tf.matMul(x, p.weight(unit), false, true), p.bias(unit)) as tf.Tensor2D;
  taps.output(unit, y, t.mask);
  return y;
}

function attention(p: ForwardParams, taps: TapRecorder, t: Tower2D, block: number, dims: SyntheticDims): tf.Tensor2D {
  const { batch: b, tokens: n } = t.mask;
  const h = layerNorm(t.x);
  const heads = dims.heads;
  const hd = dims.hidden / heads;
  const split = (y: tf.Tensor2D) => tf.transpose(tf.reshape(y, [b, n, heads, hd]), [0, 2, 1, 3]);
  const q = split(linear(p, taps, t, block, 'attn.q', h));
  const k = split(linear(p, taps, t, block, 'attn.k', h));
  const v = split(linear(p, taps, t, block, 'attn.v', h));
  let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(hd));
  if (t.keyBias) scores = tf.add(scores, t.keyBias);
  let context = tf.matMul(tf.softmax(scores), v);
  const gate = p.gate(headGroup(t.tower, block));
  if (gate) context = tf.mul(context, tf.reshape(gate, [1, heads, 1, 1]));
  const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [b * n, dims.hidden]) as tf.Tensor2D;
  return linear(p, taps, t, block, 'attn.out', merged);
}

function mlp(p: ForwardParams, taps: TapRecorder, t: Tower2D, block: number): tf.Tensor2D {
  let a = quickGelu(linear(p, taps, t, block, 'mlp.fc1', layerNorm(t.x)));
  const gate = p.gate(neuronGroup(t.tower, block));
  if (gate) a = tf.mul(a, tf.reshape(gate, [1, -1]));
  return linear(p, taps, t, block, 'mlp.fc2', a);
}

function runTower(p: ForwardParams, taps: TapRecorder, start: Tower2D, dims: SyntheticDims): tf.Tensor2D {
  let x = start.x;
  const layerGate = p.gate(layerGroup(start.tower));
  for (let block = 0; block < dims.blocks; block++) {
    const scale = layerGate ? tf.slice(layerGate, [block], [1]) : undefined;
    const gated = (y: tf.Tensor2D) => (scale ? (tf.mul(y, scale) as tf.Tensor2D) : y);
    x = tf.add(x, gated(attention(p, taps, { ...start, x }, block, dims)));
    x = tf.add(x, gated(mlp(p, taps, { ...start, x }, block)));
    taps.block(`${start.tower}.${block}`, x, start.mask);
  }
  return layerNorm(x);
}

function towerInput(tower: Tower, batch: SyntheticBatch, dims: SyntheticDims): Tower2D {
  const b = batch.size;
  const n = tower === 'vision' ? dims.visionTokens : dims.textTokens;
  const valid = tower === 'vision' ? new Float32Array(b * n).fill(1) : Float32Array.from(batch.attentionMask);
  const perSample = Array.from({ length: b }, (_, i) => valid.subarray(i * n, (i + 1) * n).reduce((s, v) => s + v, 0));
  const mask: TokenMask = {
    batch: b,
    tokens: n,
    weights: tf.tensor2d(valid, [b * n, 1]),
    perSample,
    valid: perSample.reduce((s, v) => s + v, 0),
  };
  const x = tf.tensor2d(tower === 'vision' ? batch.vision : batch.text, [b * n, dims.hidden]);
  const keyBias = tower === 'text' ? tf.reshape(tf.mul(tf.sub(1, tf.tensor1d(valid)), -1e9), [b, 1, 1, n]) : undefined;
  return { tower, x, mask, keyBias };
}

const l2normalize = (x: tf.Tensor2D): tf.Tensor2D => tf.div(x, tf.add(tf.norm(x, 'euclidean', 1, true), 1e-12));

/**
 * One synchronous forward of both towers (call inside `tf.tidy`). Each tower: pre-LayerNorm
 * blocks of multi-head self-attention (padding keys masked) and a quick-GELU MLP, with head,
 * neuron and layer gates; then a final LayerNorm and mean pooling over valid tokens. Outputs:
 * `visionLastHiddenState` `[B, Tv, D]`, `textLastHiddenState` `[B, Tt, D]`, `imageEmbeds` and
 * `textEmbeds` `[B, D]` (L2-normalised), `logitsPerImage` and `logitsPerText` `[B, B]` (scale 10).
 */
export function syntheticForward(p: ForwardParams, taps: TapRecorder, batch: SyntheticBatch, dims: SyntheticDims): Record<string, tf.Tensor> {
  const outputs: Record<string, tf.Tensor> = {};
  const embeds: tf.Tensor2D[] = [];
  for (const tower of TOWERS) {
    const input = towerInput(tower, batch, dims);
    const hidden = runTower(p, taps, input, dims);
    outputs[`${tower}LastHiddenState`] = tf.reshape(hidden, [batch.size, input.mask.tokens, dims.hidden]);
    embeds.push(l2normalize(poolValid(hidden, input.mask)));
  }
  const [image, text] = embeds;
  outputs.imageEmbeds = image;
  outputs.textEmbeds = text;
  outputs.logitsPerImage = tf.mul(tf.matMul(image, text, false, true), 10);
  outputs.logitsPerText = tf.transpose(outputs.logitsPerImage);
  return outputs;
}
