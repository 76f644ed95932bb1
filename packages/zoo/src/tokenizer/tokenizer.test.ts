import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapesVLAnnotations, type ShapesVLSplit } from '@vlp/data';
import { loadTokenizer, type VlpTokenizer } from '@vlp/models';
import { embeddedModelDir } from '../embedded-models.js';
import { TINY_CLIP_MAX_TOKENS, tinyClipSideFiles } from '../tiny-clip/tiny-clip-config.js';
import { bytesToUnicode } from './bytes-to-unicode.js';
import { buildClipBpe, END_OF_TEXT, START_OF_TEXT } from './build-clip-bpe.js';
import { shapesVLWords } from './shapes-vl-words.js';
import { shapesVLTokenizerFiles } from './tokenizer-files.js';

/** Captions of the first `count` samples of each split (annotations only: no rendering). */
function captions(count: number): string[] {
  return (['train', 'val', 'test'] as ShapesVLSplit[]).flatMap((split) => Array.from({ length: count }, (_, i) => shapesVLAnnotations(0, split, i).captions).flat());
}

describe('the Shapes-VL CLIP BPE vocabulary', () => {
  const { vocab, merges } = buildClipBpe(shapesVLWords());
  const ids = Object.entries(vocab).sort((a, b) => a[1] - b[1]);

  it("is laid out like OpenAI CLIP's: byte symbols, the same with </w>, merges, then the special tokens", () => {
    const symbols = bytesToUnicode().map(([, s]) => s);
    expect(ids.slice(0, 256).map(([t]) => t)).toEqual(symbols);
    expect(ids.slice(256, 512).map(([t]) => t)).toEqual(symbols.map((s) => `${s}</w>`));
    expect(ids.slice(512, -2).map(([t]) => t)).toEqual(merges.map((m) => m.replace(' ', '')));
    expect(ids.slice(-2).map(([t]) => t)).toEqual([START_OF_TEXT, END_OF_TEXT]);
    expect(ids.map(([, id]) => id)).toEqual(ids.map((_, i) => i));
  });

  it('has every word as one token ending in </w>', () => {
    for (const word of shapesVLWords()) expect(vocab[`${word}</w>`], word).toBeTypeOf('number');
  });

  it('is deterministic', () => {
    expect(shapesVLTokenizerFiles(TINY_CLIP_MAX_TOKENS)).toEqual(shapesVLTokenizerFiles(TINY_CLIP_MAX_TOKENS));
  });

  it('is the tokenizer shipped with tiny-clip, with merges.txt in CLIP format', () => {
    const dir = embeddedModelDir('tiny-clip');
    for (const [name, text] of Object.entries(tinyClipSideFiles())) expect(readFileSync(path.join(dir, name), 'utf8'), name).toBe(text);
    expect(readFileSync(path.join(dir, 'merges.txt'), 'utf8').split('\n')[0]).toBe('#version: 0.2');
  });
});

describe("vlp's loadTokenizer on the tiny-clip tokenizer files", () => {
  let dir: string;
  let tokenizer: VlpTokenizer;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vlp-zoo-tok-'));
    for (const [name, text] of Object.entries(tinyClipSideFiles())) writeFileSync(path.join(dir, name), text);
    tokenizer = await loadTokenizer(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the slow CLIP tokenizer with <|endoftext|> as eos, pad and unk and the caption length as max length', () => {
    expect(tokenizer.kind).toBe('clip-bpe');
    expect(tokenizer.maxLength).toBe(TINY_CLIP_MAX_TOKENS);
    const eos = tokenizer.tokenToId(END_OF_TEXT);
    expect(tokenizer.specialTokenIds).toMatchObject({ bos: tokenizer.tokenToId(START_OF_TEXT), eos, pad: eos, unk: eos });
    expect(eos).toBe(tokenizer.vocabSize - 1);
  });

  it('round-trips every caption: one token per word, no unknown token, decoded back to the caption', () => {
    const eos = tokenizer.specialTokenIds.eos;
    for (const caption of captions(150)) {
      const words = caption.replaceAll(',', ' ,').replaceAll(':', ' :').split(' ');
      expect(tokenizer.tokenize(caption)).toEqual(words.map((w) => `${w}</w>`));
      const ids = tokenizer.encode([caption]).inputIds[0] as number[];
      expect(ids.slice(1, -1)).not.toContain(eos);
      expect(tokenizer.decode(ids, { skipSpecialTokens: true }).replaceAll(' :', ':')).toBe(caption);
    }
  });

  it('fits the longest caption (three objects, each "in the … corner") with one position to spare', () => {
    // one token per word and punctuation mark (checked above), plus <|startoftext|> and <|endoftext|>
    const longest = Math.max(...captions(1000).map((c) => c.replaceAll(',', ' ,').replaceAll(':', ' :').split(' ').length + 2));
    expect(longest).toBe(TINY_CLIP_MAX_TOKENS - 1);
  });

  it('still encodes any text from the byte-level symbols', () => {
    const ids = tokenizer.encode(['A photo of a Zebra, 42 ünïcode!']).inputIds[0] as number[];
    expect(ids.slice(1, -1)).not.toContain(tokenizer.specialTokenIds.eos);
    expect(tokenizer.decode(ids, { skipSpecialTokens: true })).toBe('a photo of a zebra, 4 2 ünïcode!');
  });
});
