import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { type EncTokenOption, resolveEncToken, withFirstToken } from './blip-enc-token.js';
import { describeBlipImageFeatures, describeBlipItmOnEmbeds, describeBlipTextFeatures } from './blip-itm-describe.js';
import type { BlipCallOptions } from './blip-model-base.js';
import type { BlipForImageTextRetrieval } from './blip-retrieval-model.js';
import { topIndices } from './blip-top-k.js';

/** The retrieval set: images and texts, in their own orders (tensors stay owned by the caller). */
export interface BlipRetrievalSet {
  /** Images `[n, 3, S, S]`, one tensor or several batches (concatenated in order). */
  readonly pixelValues: tf.Tensor | readonly tf.Tensor[];
  /** Text ids `[Nt, T]` as tokenized (`[CLS] … [SEP] [PAD]…`). */
  readonly inputIds: tf.Tensor;
  /** `[Nt, T]` 0/1 (default all ones). */
  readonly attentionMask?: tf.Tensor;
}

/** Options of {@link blipRetrievalScores}. */
export interface BlipRetrievalScoreOptions extends BlipCallOptions {
  /**
   * Re-rank each row's ITC top-k by ITM (official `k_test`: 256 COCO, 128 Flickr30k; clamped to the
   * row length), or `false` for ITC similarities only. Default `{ k: 256 }`.
   */
  readonly rerank?: false | { readonly k: number };
  /** Texts per text-feature run and pairs per ITM run (default 64). */
  readonly batchSize?: number;
  /** `[ENC]` as the first token of the ITM text ids (default true: the official protocol). */
  readonly encToken?: EncTokenOption;
}

/** Score matrices of {@link blipRetrievalScores} (plain arrays, rows by query). */
export interface BlipRetrievalScores {
  /** ITC cosine similarities `[images][texts]`. */
  readonly itc: number[][];
  /** Image → text scores `[images][texts]`: ITM logit[1] + ITC for the top-k, −100 elsewhere (or ITC only). */
  readonly i2t: number[][];
  /** Text → image scores `[texts][images]`, likewise. */
  readonly t2i: number[][];
}

/** Unused score of a pair outside the top-k, as the official evaluation fills its matrices. */
export const BLIP_RETRIEVAL_UNSCORED = -100;

async function imageFeatures(model: BlipForImageTextRetrieval, batches: readonly tf.Tensor[], options: BlipRetrievalScoreOptions): Promise<{ embeds: tf.Tensor; feats: number[][] }> {
  const embeds: tf.Tensor[] = [];
  const feats: number[][] = [];
  try {
    for (const pixels of batches) {
      const { outputs } = await model.runner.run({
        key: 'blip:image-features',
        describe: (ctx) => describeBlipImageFeatures(ctx, model.config, model.arch),
        feeds: { pixel_values: pixels },
        engine: options.engine,
      });
      embeds.push(outputs.image_embeds as tf.Tensor);
      feats.push(...((outputs.image_feat as tf.Tensor).arraySync() as number[][]));
      tf.dispose(Object.values(outputs).filter((t) => t !== outputs.image_embeds));
    }
    return { embeds: embeds.length === 1 ? (embeds[0] as tf.Tensor) : tf.concat(embeds, 0), feats };
  } finally {
    if (embeds.length > 1) tf.dispose(embeds);
  }
}

async function textFeatures(model: BlipForImageTextRetrieval, ids: tf.Tensor, mask: tf.Tensor, batchSize: number, options: BlipRetrievalScoreOptions): Promise<number[][]> {
  const [count, tokens] = ids.shape as [number, number];
  const feats: number[][] = [];
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const [idChunk, maskChunk] = [ids.slice([start, 0], [size, -1]), mask.slice([start, 0], [size, -1])];
    const { outputs } = await model.runner
      .run({
        key: `blip:text-features:${tokens}`,
        describe: (ctx) => describeBlipTextFeatures(ctx, model.arch, tokens),
        feeds: { input_ids: idChunk, attention_mask: maskChunk },
        engine: options.engine,
      })
      .finally(() => tf.dispose([idChunk, maskChunk]));
    feats.push(...((outputs.text_feat as tf.Tensor).arraySync() as number[][]));
    tf.dispose(Object.values(outputs));
  }
  return feats;
}

/** ITM logit[:, 1] of (text, image) pairs, `batchSize` pairs per run, from the precomputed image embeddings. */
async function itmScores(model: BlipForImageTextRetrieval, set: { embeds: tf.Tensor; ids: tf.Tensor; mask: tf.Tensor }, pairs: { text: number; image: number }[], batchSize: number, options: BlipRetrievalScoreOptions): Promise<number[]> {
  const tokens = set.ids.shape[1] as number;
  const scores: number[] = [];
  for (let start = 0; start < pairs.length; start += batchSize) {
    const chunk = pairs.slice(start, start + batchSize);
    const images = [...new Set(chunk.map((p) => p.image))];
    const feeds = tf.tidy(() => {
      const texts = tf.tensor1d(chunk.map((p) => p.text), 'int32');
      return {
        image_embeds: tf.gather(set.embeds, tf.tensor1d(images, 'int32')),
        image_index: tf.tensor1d(chunk.map((p) => images.indexOf(p.image)), 'int32'),
        input_ids: tf.gather(set.ids, texts),
        attention_mask: tf.gather(set.mask, texts),
      };
    });
    const { outputs } = await model.runner
      .run({ key: `blip:itm-embeds:${tokens}`, describe: (ctx) => describeBlipItmOnEmbeds(ctx, model.config, model.arch, tokens), feeds, engine: options.engine })
      .finally(() => tf.dispose(Object.values(feeds)));
    const logits = (outputs.itm_logits as tf.Tensor).arraySync() as number[][];
    scores.push(...logits.map((row) => row[1] as number));
    tf.dispose(Object.values(outputs));
  }
  return scores;
}

/**
 * The retrieval scores of the official BLIP evaluation (`train_retrieval.py` `evaluation`): ITC
 * similarities `normalize(vision_proj(img[:, 0])) · normalize(text_proj(txt[:, 0]))ᵀ` (texts as
 * given, no cross-attention); with `rerank`, for every image its ITC top-k texts and for every text
 * its ITC top-k images are scored `ITM logit[1] + ITC` — the text ids with `[ENC]` as first token
 * cross-attending every image token — and every other entry is −100. Ties in the top-k keep the
 * lower index first. Images are encoded batch by batch; their embeddings are kept for the ITM runs.
 */
export async function blipRetrievalScores(model: BlipForImageTextRetrieval, set: BlipRetrievalSet, options: BlipRetrievalScoreOptions = {}): Promise<BlipRetrievalScores> {
  const batchSize = options.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError({ message: `batchSize must be a positive integer, got ${batchSize}.` });
  const rerank = options.rerank ?? { k: 256 };
  if (rerank && (!Number.isInteger(rerank.k) || rerank.k < 1)) throw new InvalidArgumentError({ message: `rerank.k must be a positive integer, got ${rerank.k}.` });
  if (rerank && model.arch.textEncoder?.layers.some((l) => !l.cross)) {
    throw new InvalidArgumentError({ message: 'ITM re-ranking needs cross-attention in the text encoder, but text_config.is_decoder is false.' });
  }
  const batches = set.pixelValues instanceof tf.Tensor ? [set.pixelValues] : [...set.pixelValues];
  const mask = set.attentionMask ?? tf.onesLike(set.inputIds);
  const enc = rerank ? resolveEncToken(model, options.encToken ?? true) : null;
  const itmIds = rerank ? withFirstToken(set.inputIds, enc) : set.inputIds;
  let embeds: tf.Tensor | undefined;
  try {
    const images = await imageFeatures(model, batches, options);
    embeds = images.embeds;
    const textFeats = await textFeatures(model, set.inputIds, mask, batchSize, options);
    const itc = images.feats.map((img) => textFeats.map((txt) => img.reduce((s, v, i) => s + v * (txt[i] as number), 0)));
    const itcT = textFeats.map((_, t) => itc.map((row) => row[t] as number));
    if (!rerank) return { itc, i2t: itc.map((r) => [...r]), t2i: itcT };
    const top = (sims: number[][]) => sims.map((row) => topIndices(row, 0, row.length, Math.min(rerank.k, row.length)));
    const i2tTop = top(itc);
    const t2iTop = top(itcT);
    const pairs = [...i2tTop.flatMap((texts, image) => texts.map((text) => ({ text, image }))), ...t2iTop.flatMap((imgs, text) => imgs.map((image) => ({ text, image })))];
    const scores = await itmScores(model, { embeds, ids: itmIds, mask }, pairs, batchSize, options);
    const i2t = itc.map((row) => row.map(() => BLIP_RETRIEVAL_UNSCORED));
    const t2i = itcT.map((row) => row.map(() => BLIP_RETRIEVAL_UNSCORED));
    const i2tCount = i2tTop.reduce((s, row) => s + row.length, 0);
    pairs.forEach((p, n) => {
      const score = (scores[n] as number) + ((itc[p.image] as number[])[p.text] as number);
      if (n < i2tCount) (i2t[p.image] as number[])[p.text] = score;
      else (t2i[p.text] as number[])[p.image] = score;
    });
    return { itc, i2t, t2i };
  } finally {
    embeds?.dispose();
    if (itmIds !== set.inputIds) itmIds.dispose();
    if (!set.attentionMask) mask.dispose();
  }
}
