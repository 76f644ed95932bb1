/**
 * JFlex's `%caseless` for a JavaScript regex source: every ASCII letter written literally (outside
 * a character class, an escape such as `\p{L}` / `\u00AD`, or group syntax such as `(?<t>`) matches
 * both cases, while character classes keep their case, exactly as `PTBLexer.flex` relies on
 * (`cannot` also matches "Cannot", `[A]bout` matches "About" and "ABOUT" but not "about").
 * The `i` flag cannot do this: it makes classes caseless too.
 */
export function caseless(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const escape = escapeLength(source, i);
      out += source.slice(i, i + escape);
      i += escape - 1;
    } else if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
    } else if (ch === '(' && source[i + 1] === '?') {
      const end = source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!' ? source.indexOf('>', i) : i + 2;
      out += source.slice(i, end + 1);
      i = end;
    } else if (/[A-Za-z]/.test(ch)) {
      out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    } else {
      out += ch;
    }
  }
  return out;
}

/** Length of the escape sequence starting with the backslash at `i`. */
function escapeLength(source: string, i: number): number {
  const next = source[i + 1];
  if ((next === 'p' || next === 'P') && source[i + 2] === '{') return source.indexOf('}', i) - i + 1;
  if (next === 'u') return source[i + 2] === '{' ? source.indexOf('}', i) - i + 1 : 6;
  if (next === 'x') return 4;
  return 2;
}
