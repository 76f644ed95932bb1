/**
 * Python 3 `str` whitespace, used by argument-less `str.split()` and `str.strip()`: Unicode
 * `White_Space` plus the ASCII separators U+001C–U+001F (JavaScript's `\s` differs: it has U+FEFF
 * and lacks U+001C–U+001F and U+0085).
 */
const PY_WHITESPACE_CHARS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE_CHARS}]+`);
const PY_STRIP = new RegExp(`^[${PY_WHITESPACE_CHARS}]+|[${PY_WHITESPACE_CHARS}]+$`, 'g');

/** Python's `s.split()`: the words between runs of whitespace, no empty words. */
export function pySplit(s: string): string[] {
  return s.split(PY_WHITESPACE_RUN).filter((w) => w.length > 0);
}

/** Python's `s.strip()`: `s` without leading and trailing whitespace. */
export function pyStrip(s: string): string {
  return s.replace(PY_STRIP, '');
}
