import { InvalidArgumentError } from '@vlp/core';
import { type TokenizerBackend, cleanUpTokenization } from './backend.js';
import { padBatch } from './pad-batch.js';
import { SPECIAL_ROLES, type SpecialTokenStrings, allSpecialTokens } from './special-tokens.js';
import type { DecodeOptions, EncodeOptions, SpecialTokenIds, VlpTokenizer } from './types.js';

/** Everything {@link createTokenizer} needs besides the backend. */
export interface TokenizerSettings {
  dir: string;
  special: SpecialTokenStrings;
  maxLength: number | undefined;
  /** `clean_up_tokenization_spaces` of `tokenizer_config.json` (transformers' default: `true`). */
  cleanUpTokenizationSpaces: boolean;
}

/** Converts one decode input to plain numbers (ids may come as `bigint` from int64 tensors). */
function toIds(ids: ArrayLike<number | bigint>): number[] {
  return Array.from(ids, (id) => Number(id));
}

/** Wraps a backend into the public {@link VlpTokenizer}: special ids, batching, padding, truncation, decoding. */
export function createTokenizer(backend: TokenizerBackend, settings: TokenizerSettings): VlpTokenizer {
  const specialTokenIds: SpecialTokenIds = {};
  for (const role of SPECIAL_ROLES) {
    const token = settings.special.roles[role];
    const id = token === undefined ? undefined : backend.tokenToId(token);
    if (id !== undefined) specialTokenIds[role] = id;
  }
  const allSpecialIds = [
    ...new Set(
      allSpecialTokens(settings.special)
        .map((t) => backend.tokenToId(t))
        .filter((id): id is number => id !== undefined),
    ),
  ];
  const decode = (ids: ArrayLike<number | bigint>, options: DecodeOptions = {}): string => {
    const text = backend.decodeRaw(toIds(ids), options.skipSpecialTokens ?? false);
    const cleanUp = options.cleanUpTokenizationSpaces ?? settings.cleanUpTokenizationSpaces;
    return cleanUp ? cleanUpTokenization(text) : text;
  };
  return {
    kind: backend.kind,
    dir: settings.dir,
    vocabSize: backend.vocabSize,
    maxLength: settings.maxLength,
    padTokenId: specialTokenIds.pad,
    specialTokenIds: Object.freeze(specialTokenIds),
    allSpecialIds: Object.freeze(allSpecialIds),
    encode(texts: readonly string[], options: EncodeOptions = {}) {
      if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) {
        throw new InvalidArgumentError({ message: 'encode() takes an array of strings.', actual: typeof texts });
      }
      const padding = options.padding ?? false;
      const padTokenId = specialTokenIds.pad;
      if (padding !== false && padTokenId === undefined && texts.length > 0) {
        throw new InvalidArgumentError({
          message:
            `The tokenizer in ${settings.dir} has no pad token: set pad_token in tokenizer_config.json ` +
            'or encode without padding.',
          path: settings.dir,
        });
      }
      const addSpecial = options.addSpecialTokens ?? true;
      const rows = texts.map((text) =>
        addSpecial
          ? backend.encodeWithSpecials(text)
          : { prefix: [], content: backend.encodeContent(text), suffix: [] },
      );
      return padBatch(rows, {
        padding,
        truncation: options.truncation ?? false,
        maxLength: options.maxLength ?? settings.maxLength,
        padTokenId: padTokenId ?? 0,
      });
    },
    tokenize: (text) => backend.tokenize(text),
    decode,
    batchDecode: (rows, options) => rows.map((row) => decode(row, options)),
    tokenToId: (token) => backend.tokenToId(token),
    idToToken: (id) => backend.idToToken(id),
  };
}
