import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BadSafetensorsError, VlpError } from '../errors/index.js';
import { readSafetensors } from './read.js';

const dir = mkdtempSync(join(tmpdir(), 'vlp-bad-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file: u64 LE `prefix` (default: the header's byte length), the header text, `data` zero bytes. */
function fileBytes(header: string | Uint8Array, data = 0, prefix?: bigint): Buffer {
  const json = typeof header === 'string' ? Buffer.from(header, 'utf8') : Buffer.from(header);
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(prefix ?? BigInt(json.byteLength));
  return Buffer.concat([head, json, Buffer.alloc(data)]);
}

const entry = (dtype: string, shape: unknown, offsets: unknown) =>
  JSON.stringify({ dtype, shape, data_offsets: offsets });

interface Case {
  readonly title: string;
  readonly bytes: Buffer;
  /** The tensor the message and `error.tensor` must name. */
  readonly tensor?: string;
  /** What the message must say is wrong. */
  readonly says: RegExp;
}

const cases: Case[] = [
  { title: 'file shorter than the 8-byte prefix', bytes: Buffer.from([1, 0, 0]), says: /3 byte\(s\) long, shorter than the 8-byte/ },
  { title: 'empty file', bytes: Buffer.alloc(0), says: /0 byte\(s\) long/ },
  { title: 'header length beyond the file', bytes: fileBytes('{}', 0, 1000n), says: /declares 1000 bytes .* only 2 bytes follow/ },
  { title: 'header length above the 100 MB limit', bytes: fileBytes('{}', 0, 1n << 40n), says: /above the format's limit/ },
  { title: 'header not UTF-8', bytes: fileBytes(Uint8Array.of(0x7b, 0xff, 0x7d)), says: /not valid UTF-8/ },
  { title: 'header not JSON', bytes: fileBytes('{"a": {"dtype": "F32",'), says: /not valid JSON/ },
  { title: 'header JSON an array', bytes: fileBytes('[1, 2]   '), says: /header JSON is an array, not an object/ },
  { title: 'header JSON a number', bytes: fileBytes('12345678'), says: /header JSON is a number .* not an object/ },
  { title: 'tensor entry not an object', bytes: fileBytes('{"w": [1, 2]}'), tensor: 'w', says: /entry is an array, not an object/ },
  {
    title: 'unknown dtype',
    bytes: fileBytes(`{"w": ${entry('F8_E9M9', [2], [0, 2])}}`, 2),
    tensor: 'w',
    says: /unknown dtype "F8_E9M9".*Supported dtypes: .*BF16/,
  },
  {
    title: 'official dtype vlp does not support',
    bytes: fileBytes(`{"w": ${entry('F8_E4M3', [2], [0, 2])}}`, 2),
    tensor: 'w',
    says: /dtype F8_E4M3 is valid safetensors but not supported by vlp/,
  },
  { title: 'missing dtype', bytes: fileBytes('{"w": {"shape": [1], "data_offsets": [0, 4]}}', 4), tensor: 'w', says: /no "dtype"/ },
  {
    title: 'non-numeric shape',
    bytes: fileBytes(`{"w": ${entry('F32', ['2', 3], [0, 24])}}`, 24),
    tensor: 'w',
    says: /"shape" is \["2",3\], not an array of non-negative integers/,
  },
  {
    title: 'negative shape',
    bytes: fileBytes(`{"w": ${entry('F32', [-1], [0, 0])}}`),
    tensor: 'w',
    says: /"shape" is \[-1\]/,
  },
  { title: 'shape not an array', bytes: fileBytes(`{"w": ${entry('F32', 4, [0, 16])}}`, 16), tensor: 'w', says: /"shape" is 4/ },
  {
    title: 'data_offsets missing',
    bytes: fileBytes('{"w": {"dtype": "F32", "shape": [1]}}'),
    tensor: 'w',
    says: /"data_offsets" is missing, not two non-negative integers/,
  },
  {
    title: 'data_offsets of three numbers',
    bytes: fileBytes(`{"w": ${entry('F32', [1], [0, 4, 8])}}`, 8),
    tensor: 'w',
    says: /"data_offsets" is \[0,4,8\]/,
  },
  {
    title: 'data_offsets begin after end',
    bytes: fileBytes(`{"w": ${entry('U8', [0], [4, 0])}}`, 4),
    tensor: 'w',
    says: /\[4, 0\] begin after end/,
  },
  {
    title: 'byte length ≠ product(shape) × dtype size',
    bytes: fileBytes(`{"w": ${entry('F32', [2, 3], [0, 20])}}`, 20),
    tensor: 'w',
    says: /span 20 bytes, but shape \[2, 3\] of F32 needs 6 × 4 = 24 bytes/,
  },
  {
    title: 'offsets beyond the file (truncated data)',
    bytes: fileBytes(`{"a": ${entry('U8', [4], [0, 4])}, "w": ${entry('F32', [4], [4, 20])}}`, 12),
    tensor: 'w',
    says: /\[4, 20\] reach beyond the data section, which has only 12 bytes/,
  },
  {
    title: 'overlapping tensors',
    bytes: fileBytes(`{"a": ${entry('F32', [2], [0, 8])}, "w": ${entry('F32', [2], [4, 12])}}`, 12),
    tensor: 'w',
    says: /overlap those of tensor "a"/,
  },
  {
    title: 'gap between tensors',
    bytes: fileBytes(`{"w": ${entry('U8', [4], [8, 12])}, "a": ${entry('U8', [4], [0, 4])}}`, 12),
    tensor: 'w',
    says: /hole of 4 unused bytes after tensor "a"/,
  },
  {
    title: 'data not starting at offset 0',
    bytes: fileBytes(`{"w": ${entry('U8', [4], [4, 8])}}`, 8),
    tensor: 'w',
    says: /hole of 4 unused bytes after the start of the data section/,
  },
  {
    title: 'trailing bytes after the last tensor',
    bytes: fileBytes(`{"w": ${entry('U8', [4], [0, 4])}}`, 7),
    says: /3 trailing bytes belong to no tensor/,
  },
  {
    title: 'duplicate tensor names',
    bytes: fileBytes(`{"w": ${entry('U8', [4], [0, 4])}, "w": ${entry('U8', [4], [0, 4])}}`, 4),
    tensor: 'w',
    says: /two entries named "w"/,
  },
  {
    title: 'duplicate key inside a tensor entry',
    bytes: fileBytes('{"w": {"dtype": "U8", "dtype": "F32", "shape": [4], "data_offsets": [0, 4]}}', 4),
    tensor: 'w',
    says: /entry "w" has the key "dtype" twice/,
  },
  {
    title: '__metadata__ with a non-string value',
    bytes: fileBytes('{"__metadata__": {"format": "pt", "step": 3}}'),
    says: /"__metadata__" maps "step" to a number \(3\); the format allows only string values/,
  },
  { title: '__metadata__ not an object', bytes: fileBytes('{"__metadata__": "pt"}'), says: /"__metadata__" is a string/ },
];

describe('malformed safetensors files → BadSafetensorsError naming file (and tensor)', () => {
  it('covers at least 12 distinct cases', () => {
    expect(new Set(cases.map((c) => c.title)).size).toBeGreaterThanOrEqual(12);
  });

  it.each(cases.map((c, i) => [c.title, c, i] as const))('%s', async (_title, c, i) => {
    const path = join(dir, `case-${i}.safetensors`);
    writeFileSync(path, c.bytes);
    const error: unknown = await readSafetensors(path).then(
      async (file) => {
        await file.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(BadSafetensorsError.isInstance(error)).toBe(true);
    expect(VlpError.isInstance(error, 'VLP_BAD_SAFETENSORS')).toBe(true);
    const e = error as BadSafetensorsError;
    expect(e.path).toBe(path);
    expect(e.message).toContain(`"${path}"`);
    expect(e.message).toMatch(c.says);
    expect(e.tensor).toBe(c.tensor);
    if (c.tensor !== undefined) expect(e.message).toContain(`tensor "${c.tensor}"`);
  });

  it('a valid file built the same way opens (the helpers are not always-bad)', async () => {
    const path = join(dir, 'good.safetensors');
    writeFileSync(path, fileBytes(`{"w": ${entry('U8', [2, 2], [0, 4])}}`, 4));
    const file = await readSafetensors(path);
    expect(file.names).toEqual(['w']);
    await file.close();
  });
});
