/**
 * GPT-2 / CLIP `bytes_to_unicode()`: a reversible map from the 256 byte values to printable
 * characters. Returns `[byte, symbol]` pairs in the order of the Python dict (printable ASCII
 * `!`…`~`, `¡`…`¬`, `®`…`ÿ` mapped to themselves, then the remaining bytes mapped to U+0100
 * onwards); CLIP's vocabulary starts with these symbols in this order.
 */
export function bytesToUnicode(): Array<readonly [number, string]> {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const pairs: Array<readonly [number, string]> = printable.map((b) => [b, String.fromCodePoint(b)] as const);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!printable.includes(b)) pairs.push([b, String.fromCodePoint(256 + n++)] as const);
  }
  return pairs;
}

/** The byte-level symbols of `text`: its UTF-8 bytes, each replaced by its printable stand-in. */
export function toByteSymbols(text: string): string[] {
  const table = new Map(bytesToUnicode());
  return Array.from(new TextEncoder().encode(text), (b) => table.get(b) as string);
}
