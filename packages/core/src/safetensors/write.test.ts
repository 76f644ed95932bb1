import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, VlpError } from '../errors/index.js';
import type { SafetensorsTensorInput } from './layout.js';
import { readSafetensors } from './read.js';
import { serializeSafetensors, writeSafetensors } from './write.js';

const dir = mkdtempSync(join(tmpdir(), 'vlp-write-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const headerText = (bytes: Uint8Array) => {
  const n = Number(Buffer.from(bytes).readBigUInt64LE(0));
  return Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8');
};
const f32 = (...v: number[]): SafetensorsTensorInput => ({ dtype: 'F32', shape: [v.length], data: Float32Array.from(v) });

describe('serializeSafetensors: the official library’s exact bytes', () => {
  // Expected bytes from the unit tests of huggingface/safetensors (safetensors/src/tensor.rs).
  it('one F32 tensor whose header needs no padding', () => {
    const data = Float32Array.of(0, 1, 2, 3, 4, 5);
    const out = serializeSafetensors(new Map([['attn.0', { dtype: 'F32', shape: [1, 2, 3], data }]]));
    const header = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(Buffer.from(out)).toEqual(
      Buffer.concat([
        Buffer.from([64, 0, 0, 0, 0, 0, 0, 0]),
        Buffer.from(header),
        Buffer.from([0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64]),
      ]),
    );
  });

  it('pads the header with spaces to a multiple of 8', () => {
    const data = Float32Array.of(0, 1, 2, 3, 4, 5);
    const out = serializeSafetensors([{ name: 'attn0', dtype: 'F32', shape: [1, 1, 2, 3], data }]);
    expect(Buffer.from(out.subarray(0, 8))).toEqual(Buffer.from([72, 0, 0, 0, 0, 0, 0, 0]));
    expect(headerText(out)).toBe('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ');
    expect(out.byteLength).toBe(8 + 72 + 24);
  });

  it('empty file, without and with metadata', () => {
    expect(Array.from(serializeSafetensors(new Map()))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    const out = serializeSafetensors(new Map(), { framework: 'pt' });
    expect(Array.from(out.subarray(0, 8))).toEqual([40, 0, 0, 0, 0, 0, 0, 0]);
    expect(headerText(out)).toBe('{"__metadata__":{"framework":"pt"}}     ');
    expect(headerText(serializeSafetensors(new Map(), {}))).toBe('{"__metadata__":{}}     ');
  });
});

describe('canonical layout', () => {
  it('orders by dtype (descending safetensors::Dtype), then by the UTF-8 bytes of the name', () => {
    const t = (dtype: SafetensorsTensorInput['dtype'], size: number): SafetensorsTensorInput => ({
      dtype,
      shape: [1],
      data: new Uint8Array(size),
    });
    const tensors = new Map<string, SafetensorsTensorInput>([
      ['bool', t('BOOL', 1)],
      ['u8', t('U8', 1)],
      ['f32.b', t('F32', 4)],
      ['i8', t('I8', 1)],
      ['bf16', t('BF16', 2)],
      ['\u{10000}', t('F32', 4)], // UTF-16 sorts it before U+FFFD, UTF-8 after
      ['\uFFFD', t('F32', 4)],
      ['F32.a', t('F32', 4)],
      ['f16', t('F16', 2)],
      ['u16', t('U16', 2)],
      ['i16', t('I16', 2)],
      ['u32', t('U32', 4)],
      ['i32', t('I32', 4)],
      ['f64', t('F64', 8)],
      ['i64', t('I64', 8)],
      ['u64', t('U64', 8)],
    ]);
    const order = Object.keys(JSON.parse(headerText(serializeSafetensors(tensors))));
    expect(order).toEqual([
      'u64',
      'i64',
      'f64',
      'F32.a',
      'f32.b',
      '\uFFFD',
      '\u{10000}',
      'u32',
      'i32',
      'bf16',
      'f16',
      'u16',
      'i16',
      'i8',
      'u8',
      'bool',
    ]);
  });

  it("order: 'given' keeps the input order; offsets are contiguous", () => {
    const out = serializeSafetensors([{ name: 'z', ...f32(1) }, { name: 'a', dtype: 'U8', shape: [3], data: Uint8Array.of(1, 2, 3) }, { name: 'm', ...f32(2) }], undefined, {
      order: 'given',
    });
    expect(headerText(out).trimEnd()).toBe(
      '{"z":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"U8","shape":[3],"data_offsets":[4,7]},' +
        '"m":{"dtype":"F32","shape":[1],"data_offsets":[7,11]}}',
    );
  });

  it('writes metadata first, in the given order, and escapes strings like serde_json', () => {
    const name = 'a"b\\c\n\u0001\u001f/é\u{1F600}';
    const out = serializeSafetensors(new Map([[name, f32(1)]]), new Map([['z', '1'], ['a', 'tab\there']]));
    expect(headerText(out).trimEnd()).toBe(
      '{"__metadata__":{"z":"1","a":"tab\\there"},' +
        '"a\\"b\\\\c\\n\\u0001\\u001f/é\u{1F600}":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
    );
  });

  it('writes typed-array views at a byteOffset and raw bytes identically', () => {
    const backing = Float32Array.of(9, 1.5, -2, 9);
    const fromView = serializeSafetensors(new Map([['w', { dtype: 'F32', shape: [2], data: backing.subarray(1, 3) }]]));
    const raw = new Uint8Array(Float32Array.of(1.5, -2).buffer);
    const fromRaw = serializeSafetensors(new Map([['w', { dtype: 'F32', shape: [2], data: raw }]]));
    expect(Buffer.from(fromView)).toEqual(Buffer.from(fromRaw));
    expect(new Float32Array(fromView.slice(fromView.byteLength - 8).buffer)).toEqual(Float32Array.of(1.5, -2));
  });
});

describe('writeSafetensors', () => {
  it('writes a file that reads back, replacing an existing file', async () => {
    const path = join(dir, 'model.safetensors');
    writeFileSync(path, 'old content');
    const tensors = new Map<string, SafetensorsTensorInput>([
      ['w', { dtype: 'F32', shape: [2, 2], data: Float32Array.of(1, 2, 3, 4) }],
      ['ids', { dtype: 'I64', shape: [2], data: BigInt64Array.of(7n, -1n) }],
      ['h', { dtype: 'F16', shape: [1], data: Uint16Array.of(0x3c00) }],
    ]);
    await writeSafetensors(path, tensors, { format: 'pt' });
    expect(Buffer.from(readFileSync(path))).toEqual(Buffer.from(serializeSafetensors(tensors, { format: 'pt' })));
    const file = await readSafetensors(path);
    try {
      expect(file.names).toEqual(['ids', 'w', 'h']);
      expect(await file.readFloat32('w')).toEqual(Float32Array.of(1, 2, 3, 4));
      expect((await file.read('ids')).data).toEqual(BigInt64Array.of(7n, -1n));
      expect(await file.readFloat32('h')).toEqual(Float32Array.of(1));
      expect(file.metadata).toEqual({ format: 'pt' });
    } finally {
      await file.close();
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a missing directory is an IoError and leaves nothing behind', async () => {
    const path = join(dir, 'no-such-dir', 'x.safetensors');
    const error: unknown = await writeSafetensors(path, new Map([['w', f32(1)]])).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_IO')).toBe(true);
    expect((error as Error).message).toContain(path);
    expect(existsSync(path)).toBe(false);
  });

  const invalid: [string, () => Parameters<typeof writeSafetensors>[1], RegExp, string | undefined][] = [
    ['byte length ≠ product(shape) × size', () => new Map([['w', { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) }]]), /12 bytes, but shape \[2, 2\] of F32 needs 4 × 4 = 16/, 'w'],
    ['unknown dtype', () => new Map([['w', { dtype: 'F8' as 'F32', shape: [1], data: new Uint8Array(1) }]]), /unknown dtype "F8"/, 'w'],
    ['duplicate names', () => [{ name: 'w', ...f32(1) }, { name: 'w', ...f32(2) }], /appears twice/, 'w'],
    ['typed array of another dtype', () => new Map([['w', { dtype: 'F32', shape: [1], data: new Float64Array(1) as unknown as Float32Array }]]), /must be a Float32Array .* got Float64Array/, 'w'],
    ['negative shape', () => new Map([['w', { dtype: 'U8', shape: [-1], data: new Uint8Array(0) }]]), /shape must be an array of non-negative integers/, 'w'],
    ['reserved name', () => new Map([['__metadata__', f32(1)]]), /reserved/, '__metadata__'],
    ['unpaired surrogate in a name', () => new Map([['w\uD800', f32(1)]]), /unpaired UTF-16 surrogate/, 'w\uD800'],
    ['BOOL data other than 0/1', () => new Map([['m', { dtype: 'BOOL', shape: [2], data: Uint8Array.of(1, 2) }]]), /BOOL data must be 0 or 1, found 2 at element 1/, 'm'],
    ['not a Map or array', () => ({}) as unknown as Map<string, SafetensorsTensorInput>, /tensors must be a Map/, undefined],
  ];

  it.each(invalid)('rejects %s with InvalidArgumentError and writes nothing', async (_title, tensors, says, tensor) => {
    const path = join(dir, 'invalid.safetensors');
    const error: unknown = await writeSafetensors(path, tensors()).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as VlpError).code).toBe('VLP_INVALID_ARGUMENT');
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toMatch(says);
    expect((error as VlpError).tensor).toBe(tensor);
    expect(existsSync(path)).toBe(false);
  });

  it('rejects non-string metadata values', async () => {
    const path = join(dir, 'meta.safetensors');
    const metadata = { step: 3 } as unknown as Record<string, string>;
    await expect(writeSafetensors(path, new Map(), metadata)).rejects.toThrow(/metadata entries must map strings to strings/);
    expect(existsSync(path)).toBe(false);
  });
});
