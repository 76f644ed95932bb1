import { describe, expect, it } from 'vitest';
import { basicTokenize } from './basic-tokenizer.js';
import { splitOnAddedTokens } from './split-added-tokens.js';
import { wordpieceTokenize } from './wordpiece.js';

describe('basicTokenize', () => {
  it('lower-cases, strips accents and splits punctuation like BertTokenizer', () => {
    expect(basicTokenize("Héllo, WÖRLD! It's 3.5")).toEqual(['hello', ',', 'world', '!', 'it', "'", 's', '3', '.', '5']);
  });

  it('drops control characters, maps whitespace to spaces and spaces out CJK ideographs', () => {
    expect(basicTokenize('a\u0000b\u200bc\td\u3000e你好')).toEqual(['abc', 'd', 'e', '你', '好']);
    expect(basicTokenize('你好', { tokenizeChineseChars: false })).toEqual(['你好']);
  });

  it('keeps accents when stripAccents is false and leaves punctuation when asked (CLIP cleanup)', () => {
    expect(basicTokenize('Café, OK', { stripAccents: false, splitOnPunctuation: false })).toEqual(['café,', 'ok']);
    expect(basicTokenize('Café', { doLowerCase: false, stripAccents: true })).toEqual(['Cafe']);
  });

  it('never splits nor lower-cases protected tokens', () => {
    expect(basicTokenize('[MASK] X', { neverSplit: new Set(['[MASK]']) })).toEqual(['[MASK]', 'x']);
  });

  it('normalizes to NFC before splitting (combining marks join their letter)', () => {
    expect(basicTokenize('e\u0301', { stripAccents: false })).toEqual(['é']);
  });
});

describe('wordpieceTokenize', () => {
  const vocab = new Map(['[UNK]', 'un', '##aff', '##able', 'a', '##b'].map((t, i) => [t, i]));

  it('matches the longest piece first and marks continuations with ##', () => {
    expect(wordpieceTokenize('unaffable ab', vocab, '[UNK]')).toEqual(['un', '##aff', '##able', 'a', '##b']);
  });

  it('turns a word with an unmatchable rest, or longer than 100 characters, into one unknown token', () => {
    expect(wordpieceTokenize('unaffablex a', vocab, '[UNK]')).toEqual(['[UNK]', 'a']);
    expect(wordpieceTokenize('a'.repeat(101), vocab, '[UNK]')).toEqual(['[UNK]']);
  });
});

describe('splitOnAddedTokens', () => {
  const spec = (id: number, content: string, extra: Partial<{ lstrip: boolean; rstrip: boolean }> = {}) => ({
    id,
    content,
    special: true,
    lstrip: extra.lstrip ?? false,
    rstrip: extra.rstrip ?? false,
    singleWord: false,
  });

  it('prefers the longest token at the leftmost position', () => {
    const pieces = splitOnAddedTokens('x<a><ab>y', [spec(1, '<a>'), spec(2, '<ab>'), spec(3, '<a')]);
    expect(pieces.map((p) => [p.text, p.token?.id])).toEqual([
      ['x', undefined],
      ['<a>', 1],
      ['<ab>', 2],
      ['y', undefined],
    ]);
  });

  it('applies lstrip / rstrip to the neighbouring text', () => {
    const pieces = splitOnAddedTokens('a  <m>  b', [spec(1, '<m>', { lstrip: true, rstrip: true })]);
    expect(pieces.map((p) => p.text)).toEqual(['a', '<m>', 'b']);
  });
});
