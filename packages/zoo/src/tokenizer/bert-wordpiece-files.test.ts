import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapesVLAnnotations, type ShapesVLSplit } from '@vlp/data';
import { loadTokenizer, type VlpTokenizer } from '@vlp/models';
import { BERT_SPECIAL_TOKENS, shapesVLBertTokenizerFiles } from './bert-wordpiece-files.js';

/** Captions, questions and answers of the first `count` samples of each split (annotations only). */
function texts(count: number): string[] {
  return (['train', 'val', 'test'] as ShapesVLSplit[]).flatMap((split) =>
    Array.from({ length: count }, (_, i) => {
      const a = shapesVLAnnotations(0, split, i);
      return [...a.captions, ...a.questions.flatMap((q) => [q.question, q.answer])];
    }).flat(),
  );
}

describe('the Shapes-VL BERT WordPiece files', () => {
  const tok = shapesVLBertTokenizerFiles(32);
  const vocab = (tok.files['vocab.txt'] as string).trimEnd().split('\n');

  it("are laid out like BLIP's: BERT specials first, then [DEC] and [ENC] added after the vocabulary", () => {
    expect(vocab.slice(0, 5)).toEqual([...BERT_SPECIAL_TOKENS]);
    expect(new Set(vocab).size).toBe(vocab.length);
    expect(JSON.parse(tok.files['added_tokens.json'] as string)).toEqual({ '[DEC]': vocab.length, '[ENC]': vocab.length + 1 });
    expect(tok).toMatchObject({ vocabSize: vocab.length + 2, padTokenId: 0, sepTokenId: 3, decTokenId: vocab.length, encTokenId: vocab.length + 1 });
    const config = JSON.parse(tok.files['tokenizer_config.json'] as string);
    expect(config).toMatchObject({ tokenizer_class: 'BertTokenizer', bos_token: '[DEC]', additional_special_tokens: ['[ENC]'], do_lower_case: true, model_max_length: 32 });
    expect(JSON.parse(tok.files['special_tokens_map.json'] as string).bos_token.content).toBe('[DEC]');
  });

  it('are deterministic', () => {
    expect(shapesVLBertTokenizerFiles(32)).toEqual(tok);
  });
});

describe("vlp's loadTokenizer on the tiny BLIP tokenizer files", () => {
  let dir: string;
  let tokenizer: VlpTokenizer;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vlp-zoo-bert-'));
    for (const [name, text] of Object.entries(shapesVLBertTokenizerFiles(32).files)) writeFileSync(path.join(dir, name), text);
    tokenizer = await loadTokenizer(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a slow BERT WordPiece tokenizer with [DEC] as bos and [ENC] as a token', () => {
    expect(tokenizer.kind).toBe('bert-wordpiece');
    expect(tokenizer.maxLength).toBe(32);
    const { decTokenId, encTokenId } = shapesVLBertTokenizerFiles(32);
    expect(tokenizer.specialTokenIds).toMatchObject({ pad: 0, unk: 1, cls: 2, sep: 3, bos: decTokenId });
    expect(tokenizer.tokenToId('[ENC]')).toBe(encTokenId);
  });

  it('encodes every caption, question and answer one token per word, without [UNK], and decodes it back', () => {
    for (const text of texts(100)) {
      const words = text.replace(/([,:?])/g, ' $1').split(' ');
      expect(tokenizer.tokenize(text), text).toEqual(words);
      const ids = tokenizer.encode([text]).inputIds[0] as number[];
      expect(ids[0]).toBe(2);
      expect(ids.at(-1)).toBe(3);
      expect(ids).not.toContain(1);
      expect(tokenizer.decode(ids, { skipSpecialTokens: true }).replace(/ ([,:?])/g, '$1')).toBe(text);
    }
  });

  it('fits the longest caption in 32 positions with [CLS] and [SEP] (one token per word, checked above)', () => {
    const longest = Math.max(...texts(1000).map((t) => t.replace(/([,:?])/g, ' $1').split(' ').length + 2));
    expect(longest).toBeLessThanOrEqual(32);
    expect(longest).toBeGreaterThanOrEqual(30);
  });

  it('still encodes other text from single characters and ## pieces', () => {
    const ids = tokenizer.encode(['A Zebra, 42!']).inputIds[0] as number[];
    expect(ids).not.toContain(1);
    expect(tokenizer.decode(ids, { skipSpecialTokens: true })).toBe('a zebra, 42!');
  });
});
