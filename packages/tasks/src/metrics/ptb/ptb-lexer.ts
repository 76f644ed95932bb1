import { PTB_RULES, type Rule } from './ptb-rules.js';

/**
 * Splits `text` into Penn-Treebank tokens the way CoreNLP 3.4.1's `PTBLexer` does (see
 * `ptb-rules.ts`): at each position every rule is tried, the longest match wins (trailing context
 * counted), the earliest rule breaks ties, and characters no rule matches are dropped (the
 * lexer's default `untokenizable=firstDelete`). Tokens keep their case.
 */
export function ptbLex(text: string, rules: readonly Rule[] = PTB_RULES): string[] {
  const tokens: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (rules === PTB_RULES) {
      if (text[pos] === ' ') {
        pos++;
        continue;
      }
      const plain = plainWordAt(text, pos);
      if (plain > 0) {
        tokens.push(text.slice(pos, pos + plain));
        pos += plain;
        continue;
      }
    }
    let best: Rule | undefined;
    let bestLength = 0;
    let bestText = '';
    for (const rule of rules) {
      for (const pattern of rule.patterns) {
        pattern.lastIndex = pos;
        const match = pattern.exec(text);
        if (match !== null && match[0].length > bestLength) {
          best = rule;
          bestLength = match[0].length;
          bestText = match.groups?.t ?? match[0];
        }
      }
    }
    if (best === undefined) {
      pos += (text.codePointAt(pos) ?? 0) > 0xffff ? 2 : 1;
      continue;
    }
    const { token, consumed } = best.action(bestText);
    if (token !== null) tokens.push(token);
    pos += Math.max(1, consumed);
  }
  return tokens;
}

const PLAIN_WORD = /[A-Za-z]+(?= |$)/y;
const SPLIT_WORDS = /^(?:cannot|gonna|gotta|lemme|gimme|wanna)$/i;

/**
 * Fast path for the common case, with the same result as the full rule set (a space is skipped
 * above: only the whitespace rule matches there): an ASCII word followed by a space or the end is
 * a WORD token — no rule matches longer there, and those matching as long (ABBREV4/SPACE,
 * ACRO/SPACENL, THING) emit the same text — unless it is one of the split assimilations.
 * Returns the length of the word, 0 when the fast path does not apply.
 */
function plainWordAt(text: string, pos: number): number {
  PLAIN_WORD.lastIndex = pos;
  const match = PLAIN_WORD.exec(text);
  if (match === null || SPLIT_WORDS.test(match[0])) return 0;
  return match[0].length;
}
