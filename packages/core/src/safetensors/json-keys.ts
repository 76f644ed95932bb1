/**
 * Key order and duplicate keys of a JSON text, which `JSON.parse` hides: it silently keeps the
 * last of two equal keys, and it lists integer-like keys ("0", "12") first. Used on safetensors
 * headers and shard indexes after `JSON.parse` has accepted the text.
 */

/** What {@link scanJsonKeys} found. */
export interface JsonKeyScan {
  /** Keys of the top-level object, in text order (a duplicated key appears twice). */
  readonly keys: readonly string[];
  /** For each top-level key whose value is an object: that object's keys, in text order. */
  readonly nested: ReadonlyMap<string, readonly string[]>;
  /** The first key found twice in one object; `parent` is the top-level key owning that object, if any. */
  readonly duplicate?: { readonly key: string; readonly parent?: string };
}

interface Frame {
  readonly isObject: boolean;
  readonly seen: Set<string>;
  readonly order: string[];
  /** The top-level key this object is the value of (only for depth-2 objects). */
  readonly owner?: string;
  lastKey?: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * Scans the keys of `text`, which must already be valid JSON (call `JSON.parse` first).
 * Only the top-level object and the objects directly inside it are reported (key order and
 * duplicates); deeper objects are skipped.
 */
export function scanJsonKeys(text: string): JsonKeyScan {
  const stack: Frame[] = [];
  const nested = new Map<string, readonly string[]>();
  let top: readonly string[] = [];
  let duplicate: JsonKeyScan['duplicate'];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      const frame = stack[stack.length - 1];
      if (frame?.isObject && nextNonSpace(text, end + 1) === ':') {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (frame.seen.has(key) && duplicate === undefined) {
          if (stack.length === 1) duplicate = { key };
          else if (frame.owner !== undefined) duplicate = { key, parent: frame.owner };
        }
        frame.seen.add(key);
        frame.order.push(key);
        frame.lastKey = key;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      const parent = stack[stack.length - 1];
      const owner = stack.length === 1 && parent.isObject ? parent.lastKey : undefined;
      stack.push({ isObject: c === '{', seen: new Set(), order: [], owner });
    } else if (c === '}' || c === ']') {
      const frame = stack.pop();
      if (frame?.isObject && stack.length === 0) top = frame.order;
      else if (frame?.isObject && frame.owner !== undefined) nested.set(frame.owner, frame.order);
    }
  }
  return duplicate === undefined ? { keys: top, nested } : { keys: top, nested, duplicate };
}

/** Index of the closing quote of the string literal opening at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}

function nextNonSpace(text: string, from: number): string | undefined {
  for (let i = from; i < text.length; i++) if (!WHITESPACE.has(text[i])) return text[i];
  return undefined;
}
