/**
 * Special and added tokens as transformers v4.36 assembles them from `tokenizer_config.json`
 * (`added_tokens_decoder`, `*_token` fields), `special_tokens_map.json` (wins over the config) and the legacy
 * `added_tokens.json`.
 */

/** The special-token roles, in transformers' `SPECIAL_TOKENS_ATTRIBUTES` order. */
export const SPECIAL_ROLES = ['bos', 'eos', 'unk', 'sep', 'pad', 'cls', 'mask'] as const;
/** One special-token role. */
export type SpecialRole = (typeof SPECIAL_ROLES)[number];

/** The token strings of each role plus `additional_special_tokens`. */
export interface SpecialTokenStrings {
  roles: Partial<Record<SpecialRole, string>>;
  additional: string[];
}

/** One added token (matched as a whole before the model tokenizes the rest of the text). */
export interface AddedTokenSpec {
  id: number;
  content: string;
  special: boolean;
  lstrip: boolean;
  rstrip: boolean;
  singleWord: boolean;
}

type Json = Record<string, unknown>;

/** A token field is a string or an `AddedToken` dict (`{ content, ... }`); anything else counts as absent. */
function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as Json).content === 'string') {
    return (value as Json).content as string;
  }
  return undefined;
}

/**
 * Resolves the special-token strings: `special_tokens_map.json`, then `tokenizer_config.json`, then the class
 * `defaults` (e.g. CLIP's `<|endoftext|>` pad).
 */
export function resolveSpecialTokens(
  tokenizerConfig: Json,
  specialTokensMap: Json,
  defaults: Partial<Record<SpecialRole, string>> = {},
): SpecialTokenStrings {
  const roles: Partial<Record<SpecialRole, string>> = {};
  for (const role of SPECIAL_ROLES) {
    const key = `${role}_token`;
    const value = tokenContent(specialTokensMap[key]) ?? tokenContent(tokenizerConfig[key]) ?? defaults[role];
    if (value !== undefined) roles[role] = value;
  }
  const list = specialTokensMap.additional_special_tokens ?? tokenizerConfig.additional_special_tokens;
  const additional = Array.isArray(list) ? list.map(tokenContent).filter((t): t is string => t !== undefined) : [];
  return { roles, additional };
}

/** Every special-token string, deduplicated, in transformers' `all_special_tokens` order. */
export function allSpecialTokens(special: SpecialTokenStrings): string[] {
  const out: string[] = [];
  for (const role of SPECIAL_ROLES) {
    const token = special.roles[role];
    if (token !== undefined && !out.includes(token)) out.push(token);
  }
  for (const token of special.additional) if (!out.includes(token)) out.push(token);
  return out;
}

/**
 * The added tokens of a slow tokenizer: `added_tokens_decoder` of the config, then `added_tokens.json`, then every
 * special token not yet listed (its id from the vocabulary, or the next free id). Ids already used keep their
 * first definition.
 */
export function collectAddedTokens(
  tokenizerConfig: Json,
  addedTokensJson: Json,
  special: SpecialTokenStrings,
  vocab: ReadonlyMap<string, number>,
): AddedTokenSpec[] {
  const specials = new Set(allSpecialTokens(special));
  const byId = new Map<number, AddedTokenSpec>();
  const byContent = new Map<string, AddedTokenSpec>();
  const add = (spec: AddedTokenSpec): void => {
    if (byId.has(spec.id) || byContent.has(spec.content) || spec.content === '') return;
    byId.set(spec.id, spec);
    byContent.set(spec.content, spec);
  };
  const decoder = tokenizerConfig.added_tokens_decoder;
  if (decoder && typeof decoder === 'object') {
    for (const [id, raw] of Object.entries(decoder as Json)) {
      const entry = (raw ?? {}) as Json;
      const content = tokenContent(entry);
      if (content === undefined || !Number.isInteger(Number(id))) continue;
      add({
        id: Number(id),
        content,
        special: entry.special === true || specials.has(content),
        lstrip: entry.lstrip === true,
        rstrip: entry.rstrip === true,
        singleWord: entry.single_word === true,
      });
    }
  }
  for (const [content, id] of Object.entries(addedTokensJson)) {
    if (typeof id !== 'number') continue;
    add({ id, content, special: specials.has(content), lstrip: false, rstrip: false, singleWord: false });
  }
  let nextId = Math.max(vocab.size, ...[...byId.keys()].map((id) => id + 1));
  for (const content of specials) {
    if (byContent.has(content)) continue;
    const id = vocab.get(content) ?? nextId++;
    add({ id, content, special: true, lstrip: false, rstrip: false, singleWord: false });
  }
  return [...byId.values()];
}
