import type { AddedTokenSpec } from './special-tokens.js';
import { pyLstrip, pyRstrip } from './unicode.js';

/** A piece of text: either plain text for the model tokenizer, or one added token matched as a whole. */
export type TextPiece = { text: string; token?: undefined } | { text: string; token: AddedTokenSpec };

/**
 * Splits `text` on added tokens like transformers' `Trie.split` (leftmost match, longest token first), then applies
 * each matched token's `lstrip` / `rstrip` / `single_word` flags to its neighbours as `PreTrainedTokenizer.tokenize`
 * does. Empty plain pieces are dropped.
 */
export function splitOnAddedTokens(text: string, tokens: readonly AddedTokenSpec[]): TextPiece[] {
  const sorted = [...tokens].sort((a, b) => b.content.length - a.content.length);
  const pieces: Array<{ text: string; token?: AddedTokenSpec }> = [];
  let plainStart = 0;
  let i = 0;
  while (i < text.length) {
    const match = sorted.find((t) => text.startsWith(t.content, i));
    if (!match) {
      i += 1;
      continue;
    }
    if (i > plainStart) pieces.push({ text: text.slice(plainStart, i) });
    pieces.push({ text: match.content, token: match });
    i += match.content.length;
    plainStart = i;
  }
  if (plainStart < text.length) pieces.push({ text: text.slice(plainStart) });
  applyStripFlags(pieces);
  return pieces.filter((p) => p.token !== undefined || p.text.length > 0) as TextPiece[];
}

/** `lstrip` eats whitespace on the token's left, `rstrip` on its right; `single_word` glues to a touching word. */
function applyStripFlags(pieces: Array<{ text: string; token?: AddedTokenSpec }>): void {
  pieces.forEach((piece, i) => {
    const token = piece.token;
    if (!token) return;
    const left = pieces[i - 1];
    const right = pieces[i + 1];
    if (token.rstrip && right && !right.token) right.text = pyLstrip(right.text);
    if (token.lstrip && left && !left.token) left.text = pyRstrip(left.text);
    if (token.singleWord && left && !left.token && left.text && !left.text.endsWith(' ')) {
      left.text += piece.text;
      piece.text = '';
      piece.token = undefined;
    } else if (token.singleWord && right && !right.token && right.text && !right.text.startsWith(' ')) {
      right.text = piece.text + right.text;
      piece.text = '';
      piece.token = undefined;
    }
  });
}
