import { InvalidArgumentError } from '@vlp/core';
import type { TokenizerBackend } from './backend.js';
import { type AddedTokenSpec, type SpecialTokenStrings, allSpecialTokens } from './special-tokens.js';
import { splitOnAddedTokens } from './split-added-tokens.js';
import type { TokenizerKind } from './types.js';

/** The model-specific parts of a transformers "slow" (pure Python) tokenizer. */
export interface SlowTokenizerParts {
  kind: TokenizerKind;
  /** Base vocabulary (token → id), without added tokens. */
  vocab: ReadonlyMap<string, number>;
  added: readonly AddedTokenSpec[];
  special: SpecialTokenStrings;
  /** `_tokenize`: plain text (no added tokens inside) → token strings. */
  tokenizePlain(text: string): string[];
  /** `convert_tokens_to_string`. */
  tokensToString(tokens: readonly string[]): string;
  /** Token strings put before / after one sequence (`build_inputs_with_special_tokens`). */
  prefixTokens: readonly string[];
  suffixTokens: readonly string[];
  /** BERT's `do_lower_case`: lower-case the text, except special tokens, before splitting off added tokens. */
  lowerCaseOutsideSpecials?: boolean;
}

/**
 * transformers' `do_lower_case` pre-pass, `re.sub(r"(special|...)|(.+?)", ...)`: special tokens (first alternative
 * that matches, in `all_special_tokens` order) are kept, every other character is lower-cased on its own.
 */
function lowerCaseExcept(text: string, keep: readonly string[]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const hit = keep.find((t) => t.length > 0 && text.startsWith(t, i));
    if (hit) {
      out += hit;
      i += hit.length;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
    out += ch.toLowerCase();
    i += ch.length;
  }
  return out;
}

/**
 * Builds a {@link TokenizerBackend} with the generic behaviour of transformers' `PreTrainedTokenizer` (v4.36):
 * added tokens split out first, the rest tokenized by the model, unknown tokens mapped to `unk_token`, decoding
 * per group of non-added tokens joined by spaces.
 */
export function createSlowBackend(parts: SlowTokenizerParts): TokenizerBackend {
  const { vocab, added, special } = parts;
  const addedByContent = new Map(added.map((t) => [t.content, t] as const));
  const addedById = new Map(added.map((t) => [t.id, t] as const));
  const idToTokenBase = new Map<number, string>();
  for (const [token, id] of vocab) idToTokenBase.set(id, token);
  const specialStrings = allSpecialTokens(special);
  const tokenToId = (token: string): number | undefined => addedByContent.get(token)?.id ?? vocab.get(token);
  const unkId = special.roles.unk === undefined ? undefined : tokenToId(special.roles.unk);
  const idOf = (token: string): number => {
    const id = tokenToId(token) ?? unkId;
    if (id === undefined) {
      throw new InvalidArgumentError({
        message: `Token "${token}" is not in the vocabulary and the tokenizer defines no unk_token to stand for it.`,
        actual: token,
      });
    }
    return id;
  };
  // `all_special_ids`: the roles and `additional_special_tokens` only (not every added token flagged special).
  const specialIds = new Set(specialStrings.map(tokenToId).filter((id): id is number => id !== undefined));
  // Added tokens that are decoded as separate pieces (`legacy_added_tokens` in transformers).
  const legacy = new Set(
    added
      .filter(
        (t) =>
          !specialStrings.includes(t.content) || (special.additional.includes(t.content) && t.id >= vocab.size),
      )
      .map((t) => t.content),
  );
  const lowerKeep = [...specialStrings, ...added.filter((t) => !t.special).map((t) => t.content)];
  const vocabSize = new Set([...vocab.keys(), ...addedByContent.keys()]).size;

  const tokenize = (text: string): string[] => {
    const source = parts.lowerCaseOutsideSpecials ? lowerCaseExcept(text, lowerKeep) : text;
    return splitOnAddedTokens(source, added).flatMap((piece) =>
      piece.token ? [piece.token.content] : parts.tokenizePlain(piece.text),
    );
  };
  const encodeContent = (text: string): number[] => tokenize(text).map(idOf);

  return {
    kind: parts.kind,
    vocabSize,
    encodeContent,
    encodeWithSpecials: (text) => ({
      prefix: parts.prefixTokens.map(idOf),
      content: encodeContent(text),
      suffix: parts.suffixTokens.map(idOf),
    }),
    tokenize,
    decodeRaw(ids, skipSpecialTokens) {
      const texts: string[] = [];
      let group: string[] = [];
      const flush = (final: boolean): void => {
        if (group.length === 0) return;
        const s = parts.tokensToString(group);
        if (final || s.length > 0) texts.push(s);
        group = [];
      };
      for (const id of ids) {
        if (skipSpecialTokens && specialIds.has(id)) continue;
        const token = addedById.get(id)?.content ?? idToTokenBase.get(id) ?? special.roles.unk;
        if (token === undefined) continue;
        if (legacy.has(token)) {
          flush(false);
          texts.push(token);
        } else {
          group.push(token);
        }
      }
      flush(true);
      return texts.join(' ');
    },
    tokenToId,
    idToToken: (id) => addedById.get(id)?.content ?? idToTokenBase.get(id),
  };
}
