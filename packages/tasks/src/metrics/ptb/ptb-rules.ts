import { caseless } from './ptb-caseless.js';
import * as P from './ptb-patterns.js';

/** What a rule does with the text it matched (without its trailing context). */
export interface RuleOutput {
  /** The token to emit, or `null` to emit nothing (whitespace, untokenizable characters). */
  readonly token: string | null;
  /** How many characters of the matched text are consumed (the rest is scanned again: JFlex's `yypushback`). */
  readonly consumed: number;
}

/**
 * One lexer rule: alternative regexes (sticky; a named group `t` marks the token text when the
 * rule has trailing context, JFlex's `r1/r2`) and the action. As in JFlex, the scanner takes the
 * rule with the longest match, trailing context included, and the earliest rule on a tie.
 */
export interface Rule {
  readonly name: string;
  readonly patterns: readonly RegExp[];
  readonly action: (text: string) => RuleOutput;
}

const keep = (text: string): RuleOutput => ({ token: text, consumed: text.length });
const emitAs = (token: string) => (text: string): RuleOutput => ({ token, consumed: text.length });
const splitAfter = (chars: number) => (text: string): RuleOutput => ({ token: text.slice(0, chars), consumed: chars });
const skip = (text: string): RuleOutput => ({ token: null, consumed: text.length });
const removeSoftHyphens = (text: string): RuleOutput => ({ token: text.replaceAll('\u00AD', '') || '-', consumed: text.length });
const normalizeAmp = (text: string): RuleOutput => ({ token: text.replace(/&amp;/gi, '&'), consumed: text.length });
/** Emit the abbreviation with its period, then scan the period again (PTBLexer's sentence-final duplication). */
const duplicatePeriod = (text: string): RuleOutput => ({ token: text, consumed: text.length - 1 });
const quotes = (probablyLeft: boolean) => (text: string): RuleOutput => ({ token: latexQuotes(text, probablyLeft), consumed: text.length });

/** PTBLexer's `latexQuotes`: ASCII quotes to `` ` `` / `` `` `` (probably left) or `'` / `''`; curly quotes by direction. */
export function latexQuotes(text: string, probablyLeft: boolean): string {
  let s = probablyLeft ? text.replace(/&apos;|'/g, '`').replace(/"|&quot;/g, '``') : text.replace(/&apos;|'/g, "'").replace(/"|&quot;/g, "''");
  s = s.replace(/[\u0091\u2018\u201B\u2039]/g, '`').replace(/[\u0092\u2019\u203A]/g, "'");
  return s.replace(/[\u0093\u201C\u00AB]/g, '``').replace(/[\u0094\u201D\u00BB]/g, "''");
}

function normalizeFraction(text: string): RuleOutput {
  const map: Record<string, string> = { '\u00BC': '1/4', '\u00BD': '1/2', '\u00BE': '3/4', '\u2153': '1/3', '\u2154': '2/3' };
  return { token: map[text] ?? text, consumed: text.length };
}

function normalizeCurrency(text: string): RuleOutput {
  return { token: text.replace(/\u00A2/g, 'cents').replace(/\u00A3/g, '#').replace(/[\u0080\u00A4\u20A0\u20AC]/g, '$'), consumed: text.length };
}

function normalizeParentheses(text: string): RuleOutput {
  return { token: text.replace(/\(/g, '-LRB-').replace(/\)/g, '-RRB-'), consumed: text.length };
}

/** Phone numbers become one token: spaces to U+00A0, parentheses to `-LRB-` / `-RRB-`. */
function phone(text: string): RuleOutput {
  return { token: normalizeParentheses(text.replaceAll(' ', '\u00A0')).token, consumed: text.length };
}

/** The ACRONYM-before-a-sentence-starter rule: "I." gives "I" then "."; longer acronyms keep the period and repeat it. */
function acronymAtSentenceEnd(text: string): RuleOutput {
  return text.length === 2 ? { token: text.slice(0, 1), consumed: 1 } : duplicatePeriod(text);
}

/** A sticky regex with JFlex `%caseless` semantics (see {@link caseless}). */
const rx = (source: string): RegExp => new RegExp(caseless(source), 'uy');
/** A rule `main/context`: the token is `main`, the context only lengthens the match. */
const ctx = (main: string, context: string): RegExp => rx(`(?<t>${main})(?:${context})`);

/**
 * The rules of CoreNLP 3.4.1 `PTBLexer.flex` in file order, with the default options of the
 * `PTBTokenizer` command line that coco-caption runs (`ptb3Escaping`-style normalisation: brackets
 * to `-LRB-` etc., LaTeX quotes, `...` ellipses, `--` dashes; no Americanisation, no `/` or `*`
 * escaping; assimilations such as "cannot", "gonna" split). Only the strict-Treebank-3 fraction
 * variant (an option coco-caption does not set) is left out.
 */
export const PTB_RULES: readonly Rule[] = [
  { name: 'c++', patterns: [rx(String.raw`c\+\+|(?:c|f)#`)], action: keep },
  { name: 'cannot', patterns: [rx('cannot')], action: splitAfter(3) },
  { name: "'twas", patterns: [rx("'twas")], action: splitAfter(2) },
  { name: "'tis", patterns: [rx("'tis")], action: splitAfter(2) },
  { name: 'assimilation', patterns: [rx('gonna|gotta|lemme|gimme|wanna')], action: splitAfter(3) },
  { name: 'SGML', patterns: [rx(P.SGML)], action: (t) => ({ token: t.replaceAll(' ', '\u00A0'), consumed: t.length }) },
  { name: 'SPMDASH', patterns: [rx(P.SPMDASH)], action: emitAs('--') },
  { name: 'SPAMP', patterns: [rx(P.SPAMP)], action: emitAs('&') },
  { name: 'SPPUNC', patterns: [rx(P.SPPUNC)], action: keep },
  { name: 'WORD/REDAUX', patterns: [ctx(P.WORD, P.REDAUX)], action: removeSoftHyphens },
  { name: 'SWORD/SREDAUX', patterns: [ctx(P.SWORD, P.SREDAUX)], action: removeSoftHyphens },
  { name: 'WORD', patterns: [rx(P.WORD)], action: removeSoftHyphens },
  { name: 'APOWORD', patterns: P.APOWORD_ALTERNATIVES.map(rx), action: keep },
  { name: 'APOWORD2', patterns: [ctx(P.APOWORD2, String.raw`\p{L}`)], action: keep },
  { name: 'FULLURL', patterns: [rx(P.FULLURL)], action: keep },
  { name: 'LIKELYURL', patterns: [rx(P.LIKELYURL)], action: keep },
  { name: 'EMAIL', patterns: [rx(P.EMAIL)], action: keep },
  { name: 'TWITTER', patterns: [rx(P.TWITTER)], action: keep },
  { name: 'REDAUX/nonletter', patterns: [ctx(P.REDAUX, '[^A-Za-z]')], action: quotes(false) },
  { name: 'SREDAUX/nonletter', patterns: [ctx(P.SREDAUX, '[^A-Za-z]')], action: quotes(false) },
  { name: 'DATE', patterns: [rx(P.DATE)], action: keep },
  { name: 'NUMBER', patterns: [rx(P.NUMBER)], action: removeSoftHyphens },
  { name: 'SUBSUPNUM', patterns: [rx(P.SUBSUPNUM)], action: keep },
  { name: 'FRAC', patterns: [rx(P.FRAC)], action: (t) => ({ token: t.replaceAll(' ', '\u00A0'), consumed: t.length }) },
  { name: 'FRAC2', patterns: [rx(P.FRAC2)], action: normalizeFraction },
  { name: 'TBSPEC', patterns: [rx(P.TBSPEC)], action: normalizeAmp },
  { name: 'THING3', patterns: [rx(P.THING3)], action: keep },
  { name: 'DOLSIGN', patterns: [rx(P.DOLSIGN)], action: keep },
  { name: 'DOLSIGN2', patterns: [rx(P.DOLSIGN2)], action: normalizeCurrency },
  { name: 'ACRONYM/sentence-starter', patterns: [ctx(P.ACRONYM, `${P.SPACENLS}${P.SENTENCE_STARTERS}${P.SPACENL}`)], action: acronymAtSentenceEnd },
  { name: 'ABBREV3/digit', patterns: [ctx(P.ABBREV3, `${P.SPACENL}?\\p{Nd}`)], action: keep },
  { name: 'pty.', patterns: [ctx(String.raw`(?:pt[eyEY]|co)\.`, `${P.SPACE}(?:ltd|lim)`)], action: keep },
  { name: 'ABBREV1/SENTEND', patterns: [ctx(P.ABBREV1, P.SENTEND)], action: duplicatePeriod },
  { name: 'ABBREV1/any2', patterns: [ctx(P.ABBREV1, '[^][^]')], action: keep },
  { name: 'ABBREV1', patterns: [rx(P.ABBREV1)], action: duplicatePeriod },
  { name: 'ABBREV2', patterns: P.ABBREV2_ALTERNATIVES.map(rx), action: keep },
  { name: 'ABBREV4/SPACE', patterns: [ctx(P.ABBREV4, P.SPACE)], action: keep },
  { name: 'ACRO/SPACENL', patterns: [ctx(P.ACRO, P.SPACENL)], action: keep },
  { name: 'TBSPEC2/SPACENL', patterns: [ctx(P.TBSPEC2, P.SPACENL)], action: keep },
  { name: 'FILENAME', patterns: [ctx(P.FILENAME, `${P.SPACENL}|[.?!,]`)], action: keep },
  { name: 'WORD./INSENTP', patterns: [ctx(`${P.WORD}\\.`, P.INSENTP)], action: removeSoftHyphens },
  { name: 'PHONE', patterns: P.PHONE_ALTERNATIVES.map(rx), action: phone },
  { name: 'DBLQUOT/left', patterns: [ctx(P.DBLQUOT, '[A-Za-z0-9$]')], action: quotes(true) },
  { name: 'DBLQUOT', patterns: [rx(P.DBLQUOT)], action: quotes(false) },
  { name: 'DEL', patterns: [rx('\\x7f')], action: skip },
  { name: 'LESSTHAN', patterns: [rx('<|&lt;')], action: emitAs('<') },
  { name: 'GREATERTHAN', patterns: [rx('>|&gt;')], action: emitAs('>') },
  { name: 'SMILEY', patterns: [ctx(P.SMILEY, '[^A-Za-z0-9]')], action: normalizeParentheses },
  { name: 'ASIANSMILEY', patterns: [rx(P.ASIANSMILEY)], action: normalizeParentheses },
  { name: '{', patterns: [rx('\\{')], action: emitAs('-LCB-') },
  { name: '}', patterns: [rx('\\}')], action: emitAs('-RCB-') },
  { name: '[', patterns: [rx('\\[')], action: emitAs('-LSB-') },
  { name: ']', patterns: [rx('\\]')], action: emitAs('-RSB-') },
  { name: '(', patterns: [rx('\\(')], action: emitAs('-LRB-') },
  { name: ')', patterns: [rx('\\)')], action: emitAs('-RRB-') },
  { name: 'HYPHENS', patterns: [rx('-+')], action: (t) => ({ token: t.length >= 3 && t.length <= 4 ? '--' : t, consumed: t.length }) },
  { name: 'LDOTS', patterns: [rx(P.LDOTS)], action: emitAs('...') },
  { name: 'FNMARKS', patterns: [rx(P.FNMARKS)], action: keep },
  { name: 'ASTS', patterns: [rx(P.ASTS)], action: keep },
  { name: 'INSENTP', patterns: [rx(P.INSENTP)], action: keep },
  { name: '?!', patterns: [rx('[?!]+')], action: keep },
  { name: 'period', patterns: [rx('[.\\u00A1\\u00BF\\u037E\\u0589\\u061F\\u06D4\\u0700-\\u0702\\u07FA\\u3002]')], action: keep },
  { name: '=', patterns: [rx('=')], action: keep },
  { name: '/', patterns: [rx('\\/')], action: keep },
  { name: 'HTHING./INSENTP', patterns: [ctx(`${P.HTHING}\\.`, P.INSENTP)], action: removeSoftHyphens },
  { name: 'HTHING', patterns: [rx(P.HTHING)], action: removeSoftHyphens },
  { name: 'THING./INSENTP', patterns: [ctx(`${P.THING}\\.`, P.INSENTP)], action: keep },
  { name: 'THING', patterns: [rx(P.THING)], action: keep },
  { name: 'THINGA./INSENTP', patterns: [ctx(`${P.THINGA}\\.`, P.INSENTP)], action: normalizeAmp },
  { name: 'THINGA', patterns: [rx(P.THINGA)], action: normalizeAmp },
  { name: "'/letter", patterns: [ctx("'", '[A-Za-z][^ \\t\\n\\r\\u00A0]')], action: quotes(true) },
  { name: 'REDAUX', patterns: [rx(P.REDAUX)], action: quotes(false) },
  { name: 'SREDAUX', patterns: [rx(P.SREDAUX)], action: quotes(false) },
  { name: 'QUOTES', patterns: [rx(P.QUOTES)], action: quotes(false) },
  { name: 'FAKEDUCKFEET', patterns: [rx('<<|>>')], action: keep },
  { name: 'MISCSYMBOL', patterns: [rx(P.MISCSYMBOL)], action: keep },
  { name: 'space', patterns: [rx(`\\0|${P.SPACE}+|[\\u200B\\u200E\\u200F\\uFEFF]|${P.NEWLINE}|&nbsp;`)], action: skip },
];
