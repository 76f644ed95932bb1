import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelFileNotFoundError, VlpError } from '@vlp/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from './load-tokenizer.js';
import { flattenBatch } from './pad-batch.js';
import type { VlpTokenizer } from './types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixturesDir = path.resolve(repoRoot, '../shared/fixtures/hf');
const FIXTURES = ['clip-tiny', 'blip-itm-tiny', 'blip-caption-tiny', 'blip-vqa-tiny'] as const;

interface TokenizerCase {
  text: string;
  input_ids: number[];
  tokens: string[];
}
interface Inputs {
  texts?: string[];
  questions?: string[];
  answers?: string[];
  input_ids: number[][];
  attention_mask: number[][];
  decoder_input_ids?: number[][];
  decoder_attention_mask?: number[][];
  tokenizer_cases: TokenizerCase[];
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, 'utf8')) as T;
}

/** Copies a fixture's files except tokenizer.json (and the weights) to a temp dir: forces the slow path. */
async function copyWithoutTokenizerJson(name: string, root: string): Promise<string> {
  const src = path.join(fixturesDir, name);
  const dst = path.join(root, name);
  await mkdir(dst, { recursive: true });
  for (const file of await readdir(src)) {
    if (file.endsWith('.json') && file !== 'tokenizer.json') await copyFile(path.join(src, file), path.join(dst, file));
    if (file.endsWith('.txt')) await copyFile(path.join(src, file), path.join(dst, file));
  }
  return dst;
}

let tmpRoot: string;
const tokenizers = new Map<string, VlpTokenizer>();
const key = (fixture: string, slow: boolean): string => `${fixture}:${slow ? 'slow' : 'json'}`;

beforeAll(async () => {
  tmpRoot = await mkdtemp(path.join(os.tmpdir(), 'vlp-tokenizer-'));
  for (const fixture of FIXTURES) {
    tokenizers.set(key(fixture, false), await loadTokenizer(path.join(fixturesDir, fixture)));
    tokenizers.set(key(fixture, true), await loadTokenizer(await copyWithoutTokenizerJson(fixture, tmpRoot)));
  }
});
afterAll(async () => {
  await rm(tmpRoot, { recursive: true, force: true });
});

describe('loadTokenizer', () => {
  for (const fixture of FIXTURES) {
    for (const slow of [false, true]) {
      const label = `${fixture} (${slow ? 'vocab files, no tokenizer.json' : 'tokenizer.json'})`;
      describe(label, () => {
        it('uses the expected implementation', () => {
          const tk = tokenizers.get(key(fixture, slow))!;
          const expected = slow ? (fixture === 'clip-tiny' ? 'clip-bpe' : 'bert-wordpiece') : 'tokenizer-json';
          expect(tk.kind).toBe(expected);
        });

        it('reproduces every tokenizer_cases entry (ids and tokens)', async () => {
          const tk = tokenizers.get(key(fixture, slow))!;
          const inputs = await readJson<Inputs>(path.join(fixturesDir, fixture, 'reference/inputs.json'));
          expect(inputs.tokenizer_cases.length).toBeGreaterThanOrEqual(6);
          for (const c of inputs.tokenizer_cases) {
            const { inputIds, attentionMask } = tk.encode([c.text]);
            expect(inputIds[0], c.text).toEqual(c.input_ids);
            expect(attentionMask[0]).toEqual(c.input_ids.map(() => 1));
            expect(tk.tokenize(c.text), c.text).toEqual(c.tokens.slice(1, -1));
          }
        });

        it('reproduces the model inputs (padding, truncation, attention mask)', async () => {
          const tk = tokenizers.get(key(fixture, slow))!;
          const inputs = await readJson<Inputs>(path.join(fixturesDir, fixture, 'reference/inputs.json'));
          if (fixture === 'clip-tiny') {
            const out = tk.encode(inputs.texts!, { padding: 'max_length', truncation: true });
            expect(out.inputIds).toEqual(inputs.input_ids);
            expect(out.attentionMask).toEqual(inputs.attention_mask);
          } else if (fixture === 'blip-vqa-tiny') {
            const q = tk.encode(inputs.questions!, { padding: 'longest' });
            expect(q.inputIds).toEqual(inputs.input_ids);
            expect(q.attentionMask).toEqual(inputs.attention_mask);
            const a = tk.encode(inputs.answers!, { padding: 'longest' });
            const bos = tk.specialTokenIds.bos!;
            expect(a.inputIds.map((row) => [bos, ...row.slice(1)])).toEqual(inputs.decoder_input_ids);
            expect(a.attentionMask).toEqual(inputs.decoder_attention_mask);
          } else {
            const out = tk.encode(inputs.texts!, { padding: 'longest' });
            const ids =
              fixture === 'blip-caption-tiny'
                ? out.inputIds.map((row) => [tk.specialTokenIds.bos!, ...row.slice(1)])
                : out.inputIds;
            expect(ids).toEqual(inputs.input_ids);
            expect(out.attentionMask).toEqual(inputs.attention_mask);
          }
        });

        it('reads the special tokens, vocabulary size and default max length', () => {
          const tk = tokenizers.get(key(fixture, slow))!;
          if (fixture === 'clip-tiny') {
            expect(tk.specialTokenIds).toEqual({ bos: 298, eos: 299, unk: 299, pad: 299 });
            expect(tk.padTokenId).toBe(299);
            expect(tk.vocabSize).toBe(300);
            expect(tk.maxLength).toBe(16);
            expect(tk.allSpecialIds).toEqual([298, 299]);
          } else {
            expect(tk.specialTokenIds).toEqual({ bos: 206, unk: 1, sep: 3, pad: 0, cls: 2, mask: 4 });
            expect(tk.padTokenId).toBe(0);
            expect(tk.vocabSize).toBe(208);
            expect(tk.maxLength).toBe(24);
            expect([...tk.allSpecialIds].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 206, 207]);
          }
        });
      });
    }
  }

  it('throws ModelFileNotFoundError naming the directory and the files expected', async () => {
    const empty = await mkdtemp(path.join(tmpRoot, 'empty-'));
    const error = await loadTokenizer(empty).catch((e: unknown) => e);
    expect(ModelFileNotFoundError.isInstance(error)).toBe(true);
    expect(VlpError.isInstance(error, 'VLP_MODEL_FILE_NOT_FOUND')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(empty);
    for (const file of ['tokenizer.json', 'vocab.json', 'merges.txt', 'vocab.txt']) expect(message).toContain(file);
    expect((error as VlpError).path).toBe(empty);
  });

  it('throws ModelFileNotFoundError when a forced kind lacks its files', async () => {
    const error = await loadTokenizer(path.join(fixturesDir, 'blip-itm-tiny'), { kind: 'clip-bpe' }).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_MODEL_FILE_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('vocab.json + merges.txt');
  });

  it('reports a malformed tokenizer_config.json as VLP_INVALID_ARGUMENT with its path', async () => {
    const dir = await copyWithoutTokenizerJson('blip-itm-tiny', await mkdtemp(path.join(tmpRoot, 'bad-')));
    await writeFile(path.join(dir, 'tokenizer_config.json'), '{ not json');
    const error = await loadTokenizer(dir).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((error as VlpError).path).toBe(path.join(dir, 'tokenizer_config.json'));
  });

  it('honours maxLength and kind options', async () => {
    const tk = await loadTokenizer(path.join(fixturesDir, 'clip-tiny'), { maxLength: 5, kind: 'clip-bpe' });
    expect(tk.kind).toBe('clip-bpe');
    expect(tk.maxLength).toBe(5);
    const out = tk.encode(['a photo of a cat', 'a'], { padding: 'max_length', truncation: true });
    expect(out.inputIds).toEqual([
      [298, 58, 123, 95, 299],
      [298, 58, 299, 299, 299],
    ]);
    expect(out.attentionMask).toEqual([
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0],
    ]);
  });
});

describe('VlpTokenizer.encode', () => {
  it('pads to the longest row, truncates after special tokens are accounted for, and flattens', () => {
    const tk = tokenizers.get(key('blip-itm-tiny', true))!;
    const out = tk.encode(['a photo of a cat', 'two dogs'], { padding: 'longest', truncation: true, maxLength: 5 });
    expect(out.inputIds).toEqual([
      [2, 21, 88, 75, 3],
      [2, 82, 94, 3, 0],
    ]);
    const flat = flattenBatch(out);
    expect(flat.shape).toEqual([2, 5]);
    expect(Array.from(flat.inputIds)).toEqual([2, 21, 88, 75, 3, 2, 82, 94, 3, 0]);
    expect(Array.from(flat.attentionMask)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
  });

  it("keeps rows longer than maxLength under padding 'max_length' without truncation, as transformers", () => {
    const tk = tokenizers.get(key('blip-itm-tiny', false))!;
    const out = tk.encode(['a photo of a cat'], { padding: 'max_length', maxLength: 4 });
    expect(out.inputIds).toEqual([[2, 21, 88, 75, 21, 91, 3]]);
  });

  it('encodes without special tokens on request', () => {
    for (const slow of [false, true]) {
      const tk = tokenizers.get(key('clip-tiny', slow))!;
      expect(tk.encode(['a photo of a cat'], { addSpecialTokens: false }).inputIds).toEqual([[58, 123, 95, 58, 132]]);
      expect(tk.encode(['a photo of a cat'], { addSpecialTokens: false, truncation: true, maxLength: 2 }).inputIds).toEqual([
        [58, 123],
      ]);
    }
  });

  it('rejects unflattenable batches and non-string input with VLP_INVALID_ARGUMENT', () => {
    const tk = tokenizers.get(key('clip-tiny', true))!;
    expect(() => flattenBatch(tk.encode(['a', 'a cat']))).toThrow(/equal length/);
    expect(() => tk.encode([42 as unknown as string])).toThrow(VlpError);
  });

  it('agrees between tokenizer.json and the vocabulary files on harder text', () => {
    const clipTexts = ['Héllo Wörld', 'naïve café', "  it's  A\tBIG\n dog  ", 'x = 3.14!', 'a <|endoftext|> b', 'ÀÉÎ ôû 42'];
    const bertTexts = [...clipTexts, '[DEC] a [ENC]cat', '你好 世界', 'Ça va? Éé', 'un\u00a0break', 'ｆｕｌｌ width'];
    for (const [fixture, texts] of [
      ['clip-tiny', clipTexts],
      ['blip-itm-tiny', bertTexts],
    ] as const) {
      const fast = tokenizers.get(key(fixture, false))!;
      const slow = tokenizers.get(key(fixture, true))!;
      for (const text of texts) expect(slow.encode([text]).inputIds, `${fixture}: ${text}`).toEqual(fast.encode([text]).inputIds);
    }
  });

  it('maps unknown characters to the unknown token, byte by byte for CLIP and word by word for BERT', () => {
    for (const slow of [false, true]) {
      // é is two UTF-8 bytes, neither in the tiny CLIP vocabulary.
      expect(tokenizers.get(key('clip-tiny', slow))!.encode(['Héllo']).inputIds[0]).toEqual([298, 23, 299, 299, 27, 27, 72, 299]);
      // BERT strips the accent; each CJK ideograph is its own word.
      const bert = tokenizers.get(key('blip-itm-tiny', slow))!;
      expect(bert.encode(['Héllo 你好']).inputIds[0]).toEqual([2, 28, 51, 58, 58, 61, 1, 1, 3]);
      expect(bert.tokenize('[DEC] a [ENC]cat')).toEqual(['[DEC]', 'a', '[ENC]', 'cat']);
    }
  });

  it('splits a special pad token such as "!" out un-merged (slow CLIP)', async () => {
    const dir = await copyWithoutTokenizerJson('clip-tiny', await mkdtemp(path.join(tmpRoot, 'bang-')));
    const map = await readJson<Record<string, unknown>>(path.join(dir, 'special_tokens_map.json'));
    await writeFile(path.join(dir, 'special_tokens_map.json'), JSON.stringify({ ...map, pad_token: '!' }));
    const tk = await loadTokenizer(dir);
    expect(tk.padTokenId).toBe(0);
    // "!" alone would be "!</w>" (42); as the special pad token it stays "!" (0).
    expect(tk.encode(['a cat!'], { padding: 'max_length', maxLength: 7 }).inputIds).toEqual([[298, 58, 132, 0, 299, 0, 0]]);
    expect(tk.encode(['a cat !!']).inputIds).toEqual([[298, 58, 132, 0, 0, 299]]);
  });
});

describe('VlpTokenizer.decode', () => {
  it('decodes CLIP ids like transformers on both paths', async () => {
    const inputs = await readJson<Inputs>(path.join(fixturesDir, 'clip-tiny/reference/inputs.json'));
    const apostrophes = inputs.tokenizer_cases[2].input_ids;
    for (const slow of [false, true]) {
      const tk = tokenizers.get(key('clip-tiny', slow))!;
      expect(tk.decode(inputs.input_ids[0], { skipSpecialTokens: true })).toBe('a photo of a cat');
      expect(tk.decode(inputs.input_ids[0].slice(0, 8))).toBe('<|startoftext|>a photo of a cat <|endoftext|><|endoftext|>');
      expect(tk.decode(apostrophes, { skipSpecialTokens: true })).toBe("there's a dog's toy, isn 't it?");
      expect(tk.decode(apostrophes, { skipSpecialTokens: true, cleanUpTokenizationSpaces: false })).toBe(
        "there 's a dog 's toy , isn 't it ?",
      );
      expect(tk.decode([])).toBe('');
      expect(tk.idToToken(123)).toBe('photo</w>');
      expect(tk.tokenToId('photo</w>')).toBe(123);
    }
  });

  it('decodes BLIP generations (int64 ids, ## continuations, special tokens)', async () => {
    const gen = await readJson<{
      prompted: { sequences: number[][] };
      tokens: { prompted: string[][]; unconditional: string[][] };
      unconditional: { sequences: number[][] };
    }>(path.join(fixturesDir, 'blip-caption-tiny/reference/generate.json'));
    for (const slow of [false, true]) {
      const tk = tokenizers.get(key('blip-caption-tiny', slow))!;
      const row = gen.prompted.sequences[1];
      expect(row.map((id) => tk.idToToken(id))).toEqual(gen.tokens.prompted[1]);
      expect(gen.unconditional.sequences[0].map((id) => tk.idToToken(id))).toEqual(gen.tokens.unconditional[0]);
      expect(tk.decode(row.map(BigInt), { skipSpecialTokens: true })).toBe('a picture of holding big q birds is qq,');
      expect(tk.batchDecode(gen.unconditional.sequences, { skipSpecialTokens: true })).toEqual([
        'q sofa 1 g big sofa dogs is',
        'q q are front big, sofa which',
      ]);
      expect(tk.decode([2, 21, 91, 3, 0])).toBe('[CLS] a cat [SEP] [PAD]');
    }
  });
});
