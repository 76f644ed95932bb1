import { InvalidArgumentError, type Rng } from '@vlp/core';

/** The negatives picked for a batch of B matching pairs (image i ↔ text i). */
export interface HardNegatives {
  /** For each text b, the index of the negative image paired with it. */
  readonly imageForText: number[];
  /** For each image b, the index of the negative text paired with it. */
  readonly textForImage: number[];
}

/** One draw of `torch.multinomial(weights, 1)`: an index with probability ∝ its (unnormalised) weight. */
export function sampleIndex(weights: readonly number[], rng: Rng): number {
  const total = weights.reduce((s, w) => s + w, 0);
  if (!(total > 0)) throw new InvalidArgumentError({ message: 'Hard-negative sampling found no candidate: every other sample of the batch shares the group id.' });
  const u = rng.nextFloat() * total;
  let acc = 0;
  let last = 0;
  for (let i = 0; i < weights.length; i++) {
    if (!((weights[i] as number) > 0)) continue;
    acc += weights[i] as number;
    last = i;
    if (u < acc) return i;
  }
  return last;
}

/** Row-wise softmax of `sim / temperature`, with the entries of `masked(i, j)` set to 0 afterwards. */
function maskedSoftmaxRows(sim: readonly number[][], temperature: number, masked: (i: number, j: number) => boolean): number[][] {
  return sim.map((row, i) => {
    const scaled = row.map((s) => s / temperature);
    const max = Math.max(...scaled);
    const e = scaled.map((s) => Math.exp(s - max));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((v, j) => (masked(i, j) ? 0 : v / z));
  });
}

/**
 * BLIP's hard-negative mining for ITM (`BLIP_Retrieval.forward`, single rank): from the normalised
 * ITC features `imageFeat` / `textFeat` (`[B][H]`), `weights_t2i = softmax(text · imageᵀ / temp)`
 * and `weights_i2t = softmax(image · textᵀ / temp)` with the entries of the same group
 * (`groupIds`, default each pair its own) set to 0; one negative image per text is drawn from
 * `weights_t2i`, then one negative text per image from `weights_i2t`. The draws use `rng` (seeded,
 * not torch's generator), so the picks follow the same distribution, not the same numbers.
 */
export function mineHardNegatives(imageFeat: readonly number[][], textFeat: readonly number[][], options: { temperature: number; rng: Rng; groupIds?: readonly number[] }): HardNegatives {
  const n = imageFeat.length;
  if (textFeat.length !== n) throw new InvalidArgumentError({ message: `Hard-negative mining needs matching pairs: ${n} images, ${textFeat.length} texts.` });
  if (!(options.temperature > 0)) throw new InvalidArgumentError({ message: `temperature must be > 0, got ${options.temperature}.` });
  const groups = options.groupIds ?? Array.from({ length: n }, (_, i) => i);
  if (groups.length !== n) throw new InvalidArgumentError({ message: `groupIds must have one id per pair (${n}); got ${groups.length}.` });
  const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * (b[i] as number), 0);
  const same = (i: number, j: number) => groups[i] === groups[j];
  const simI2t = imageFeat.map((img) => textFeat.map((txt) => dot(img, txt)));
  const simT2i = textFeat.map((txt) => imageFeat.map((img) => dot(txt, img)));
  const weightsT2i = maskedSoftmaxRows(simT2i, options.temperature, same);
  const weightsI2t = maskedSoftmaxRows(simI2t, options.temperature, same);
  const imageForText = weightsT2i.map((w) => sampleIndex(w, options.rng));
  const textForImage = weightsI2t.map((w) => sampleIndex(w, options.rng));
  return { imageForText, textForImage };
}
