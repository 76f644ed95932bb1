/**
 * Character classes and string helpers with the exact semantics of the Python code that transformers' slow
 * tokenizers run (`unicodedata` categories, `str.split()` / `str.strip()` whitespace).
 */

const CONTROL = /^\p{C}$/u;
const SPACE_SEPARATOR = /^\p{Zs}$/u;
const PUNCTUATION = /^\p{P}$/u;
const NONSPACING_MARK = /\p{Mn}/gu;

/** Characters for which Python's `str.isspace()` is true (what `str.split()` / `str.strip()` use). */
const PY_WHITESPACE =
  '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680' +
  '\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
const PY_SPLIT = new RegExp(`[${PY_WHITESPACE}]+`, 'u');
const PY_STRIP = new RegExp(`^[${PY_WHITESPACE}]+|[${PY_WHITESPACE}]+$`, 'gu');
const PY_RSTRIP = new RegExp(`[${PY_WHITESPACE}]+$`, 'u');
const PY_LSTRIP = new RegExp(`^[${PY_WHITESPACE}]+`, 'u');

/** transformers' `_is_whitespace`: space, `\t`, `\n`, `\r` or Unicode category Zs. */
export function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || SPACE_SEPARATOR.test(ch);
}

/** transformers' `_is_control`: Unicode category C* except `\t`, `\n`, `\r`. */
export function isControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return CONTROL.test(ch);
}

/** transformers' `_is_punctuation`: every non-alphanumeric printable ASCII character, or Unicode category P*. */
export function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
    return true;
  }
  return PUNCTUATION.test(ch);
}

/** transformers' `_is_chinese_char`: the CJK Unified Ideographs blocks (not Hangul, Hiragana or Katakana). */
export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** Python's `text.split()` (no argument): splits on runs of whitespace, drops empty pieces. */
export function pySplit(text: string): string[] {
  return text.split(PY_SPLIT).filter((piece) => piece.length > 0);
}

/** Python's `text.strip()`. */
export function pyStrip(text: string): string {
  return text.replace(PY_STRIP, '');
}

/** Python's `text.rstrip()`. */
export function pyRstrip(text: string): string {
  return text.replace(PY_RSTRIP, '');
}

/** Python's `text.lstrip()`. */
export function pyLstrip(text: string): string {
  return text.replace(PY_LSTRIP, '');
}

/** transformers' `_run_strip_accents`: NFD, then drop nonspacing marks (category Mn). */
export function stripAccents(text: string): string {
  return text.normalize('NFD').replace(NONSPACING_MARK, '');
}

/** Python's `len(text)` / `list(text)`: the code points of a string. */
export function codePoints(text: string): string[] {
  return Array.from(text);
}
