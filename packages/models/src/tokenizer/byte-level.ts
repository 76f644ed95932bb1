/**
 * GPT-2 / CLIP `bytes_to_unicode`: a reversible map from the 256 byte values to printable code points, so that
 * BPE runs on strings without whitespace or control characters.
 */
function buildByteToUnicode(): string[] {
  const bytes: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bytes.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bytes.push(b);
  for (let b = 0xae; b <= 0xff; b++) bytes.push(b);
  const chars = bytes.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bytes.includes(b)) {
      bytes.push(b);
      chars.push(256 + n);
      n += 1;
    }
  }
  const table = new Array<string>(256);
  bytes.forEach((b, i) => {
    table[b] = String.fromCodePoint(chars[i]);
  });
  return table;
}

const BYTE_TO_UNICODE = buildByteToUnicode();
const UNICODE_TO_BYTE = new Map<string, number>(BYTE_TO_UNICODE.map((ch, b) => [ch, b]));
const UTF8 = new TextEncoder();
const UTF8_DECODER = new TextDecoder('utf-8', { fatal: false });

/** UTF-8 encodes `text` and maps every byte to its printable stand-in. */
export function toByteLevel(text: string): string {
  let out = '';
  for (const b of UTF8.encode(text)) out += BYTE_TO_UNICODE[b];
  return out;
}

/**
 * Inverse of {@link toByteLevel}: characters outside the byte alphabet are UTF-8 encoded as they are; invalid
 * UTF-8 becomes U+FFFD (Python's `errors="replace"`).
 */
export function fromByteLevel(text: string): string {
  const bytes: number[] = [];
  for (const ch of text) {
    const b = UNICODE_TO_BYTE.get(ch);
    if (b !== undefined) bytes.push(b);
    else bytes.push(...UTF8.encode(ch));
  }
  return UTF8_DECODER.decode(new Uint8Array(bytes));
}
