import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, ModelFileNotFoundError, VlpError } from '../errors/index.js';
import { readSafetensors } from './read.js';

const dir = mkdtempSync(join(tmpdir(), 'vlp-read-safetensors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixturesDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..', '../shared/fixtures');

/** A hand-built file: every dtype, odd (unaligned) offsets, header order ≠ data order. */
function handBuiltFile(): { bytes: Buffer; order: string[] } {
  const data = Buffer.alloc(74);
  data.set([1, 2, 255], 0); // u8 [0, 3)
  data.writeFloatLE(1.5, 3); // f32 [3, 11): unaligned
  data.writeFloatLE(-2, 7);
  [0x3c00, 0xc000, 0x7c00].forEach((b, i) => data.writeUInt16LE(b, 11 + 2 * i)); // f16 [11, 17)
  [0x3f80, 0xc049].forEach((b, i) => data.writeUInt16LE(b, 17 + 2 * i)); // bf16 [17, 21)
  data.writeDoubleLE(0.1, 21); // f64 scalar [21, 29)
  data.writeBigInt64LE(-5n, 29); // i64 [29, 45)
  data.writeBigInt64LE(2n ** 40n, 37);
  data.writeBigUInt64LE(2n ** 64n - 1n, 45); // u64 [45, 53)
  data.writeInt32LE(-7, 53); // i32 [53, 61)
  data.writeInt32LE(123456, 57);
  data.writeUInt32LE(4_000_000_000, 61); // u32 [61, 65)
  data.writeInt16LE(-300, 65); // i16 [65, 67)
  data.writeUInt16LE(65535, 67); // u16 [67, 69)
  data.writeInt8(-128, 69); // i8 [69, 71)
  data.writeInt8(127, 70);
  data.set([1, 0, 1], 71); // bool [71, 74)
  const e = (dtype: string, shape: number[], b: number, end: number) =>
    `{"dtype":"${dtype}","shape":[${shape.join(',')}],"data_offsets":[${b},${end}]}`;
  const entries: [string, string][] = [
    ['i64', e('I64', [2], 29, 45)],
    ['f32', e('F32', [2, 1], 3, 11)],
    ['u8', e('U8', [3], 0, 3)],
    ['f16', e('F16', [3], 11, 17)],
    ['bf16', e('BF16', [2], 17, 21)],
    ['f64', e('F64', [], 21, 29)],
    ['u64', e('U64', [1], 45, 53)],
    ['i32', e('I32', [2], 53, 61)],
    ['u32', e('U32', [1], 61, 65)],
    ['empty', e('F32', [0, 3], 65, 65)],
    ['i16', e('I16', [1], 65, 67)],
    ['u16', e('U16', [1], 67, 69)],
    ['i8', e('I8', [2], 69, 71)],
    ['bool', e('BOOL', [3], 71, 74)],
  ];
  const parts = entries.map(([n, v]) => `"${n}":${v}`);
  parts.splice(3, 0, '"__metadata__":{"b":"2","a":"x","10":"ten"}');
  const header = Buffer.from(`{${parts.join(', ')}}`);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(header.length));
  return { bytes: Buffer.concat([prefix, header, data]), order: entries.map(([n]) => n) };
}

const built = handBuiltFile();
const handPath = join(dir, 'hand.safetensors');
writeFileSync(handPath, built.bytes);

describe('readSafetensors on a hand-built file', () => {
  it('lists names in header order, with dtype/shape/offsets and metadata in file order', async () => {
    const file = await readSafetensors(handPath);
    try {
      expect(file.path).toBe(handPath);
      expect(file.names).toEqual(built.order);
      expect(file.info('f32')).toEqual({ name: 'f32', dtype: 'F32', shape: [2, 1], dataOffsets: [3, 11], byteLength: 8 });
      expect(file.info('f64').shape).toEqual([]);
      expect(file.metadata).toEqual({ b: '2', a: 'x', 10: 'ten' });
      expect(file.metadataEntries).toEqual([
        ['b', '2'],
        ['a', 'x'],
        ['10', 'ten'],
      ]);
      expect(file.has('u8')).toBe(true);
      expect(file.has('nope')).toBe(false);
    } finally {
      await file.close();
    }
  });

  it('reads every dtype as its native typed array, from unaligned offsets', async () => {
    const file = await readSafetensors(handPath);
    try {
      const t = async (name: string) => (await file.read(name)).data;
      expect(await t('u8')).toEqual(Uint8Array.of(1, 2, 255));
      const f32 = await file.read('f32');
      expect(f32).toEqual({ dtype: 'F32', shape: [2, 1], data: Float32Array.of(1.5, -2) });
      expect(await t('f16')).toEqual(Uint16Array.of(0x3c00, 0xc000, 0x7c00));
      expect(await t('bf16')).toEqual(Uint16Array.of(0x3f80, 0xc049));
      expect(await t('f64')).toEqual(Float64Array.of(0.1));
      expect(await t('i64')).toEqual(BigInt64Array.of(-5n, 2n ** 40n));
      expect(await t('u64')).toEqual(BigUint64Array.of(2n ** 64n - 1n));
      expect(await t('i32')).toEqual(Int32Array.of(-7, 123456));
      expect(await t('u32')).toEqual(Uint32Array.of(4_000_000_000));
      expect(await t('i16')).toEqual(Int16Array.of(-300));
      expect(await t('u16')).toEqual(Uint16Array.of(65535));
      expect(await t('i8')).toEqual(Int8Array.of(-128, 127));
      expect(await t('bool')).toEqual(Uint8Array.of(1, 0, 1));
      expect(await t('empty')).toEqual(new Float32Array(0));
    } finally {
      await file.close();
    }
  });

  it('readRaw returns the exact bytes', async () => {
    const file = await readSafetensors(handPath);
    try {
      const dataStart = built.bytes.length - 74;
      expect(Buffer.from(await file.readRaw('f32'))).toEqual(built.bytes.subarray(dataStart + 3, dataStart + 11));
      expect(Buffer.from(await file.readRaw('bool'))).toEqual(Buffer.from([1, 0, 1]));
    } finally {
      await file.close();
    }
  });

  it('readFloat32 upcasts F16/BF16 exactly and converts the other dtypes', async () => {
    const file = await readSafetensors(handPath);
    try {
      const f = async (name: string) => Array.from(await file.readFloat32(name));
      expect(await f('f32')).toEqual([1.5, -2]);
      expect(await f('f16')).toEqual([1, -2, Infinity]);
      expect(await f('bf16')).toEqual([1, -3.140625]);
      expect(await f('f64')).toEqual([Math.fround(0.1)]);
      expect(await f('i64')).toEqual([-5, 2 ** 40]);
      expect(await f('u64')).toEqual([2 ** 64]);
      expect(await f('i32')).toEqual([-7, 123456]);
      expect(await f('u32')).toEqual([4_000_000_000]);
      expect(await f('i16')).toEqual([-300]);
      expect(await f('u16')).toEqual([65535]);
      expect(await f('i8')).toEqual([-128, 127]);
      expect(await f('u8')).toEqual([1, 2, 255]);
      expect(await f('bool')).toEqual([1, 0, 1]);
      expect(await file.readFloat32('f32')).toBeInstanceOf(Float32Array);
    } finally {
      await file.close();
    }
  });

  it('reads tensor data on demand, at read time (not at open)', async () => {
    const path = join(dir, 'on-demand.safetensors');
    writeFileSync(path, built.bytes);
    const file = await readSafetensors(path);
    try {
      const handle = await open(path, 'r+');
      const dataStart = built.bytes.length - 74;
      await handle.write(Buffer.from([9, 8, 7]), 0, 3, dataStart); // rewrite u8 after opening
      await handle.close();
      expect(await file.readRaw('u8')).toEqual(Uint8Array.of(9, 8, 7));
    } finally {
      await file.close();
    }
  });

  it('an unknown tensor name is an InvalidArgumentError naming the file and the tensor count', async () => {
    const file = await readSafetensors(handPath);
    try {
      for (const call of [() => file.info('nope'), () => file.read('nope'), () => file.readFloat32('nope')]) {
        let error: unknown;
        try {
          await call();
        } catch (e) {
          error = e;
        }
        expect(InvalidArgumentError.isInstance(error)).toBe(true);
        const message = (error as Error).message;
        expect(message).toContain(handPath);
        expect(message).toContain('"nope"');
        expect(message).toContain(`it has ${built.order.length} tensors`);
      }
    } finally {
      await file.close();
    }
  });

  it('reads after close() fail clearly; close() is idempotent', async () => {
    const file = await readSafetensors(handPath);
    await file.close();
    await file.close();
    await expect(file.readRaw('u8')).rejects.toThrow(/was closed/);
    expect(file.names).toEqual(built.order); // the header stays available
  });

  it('a missing file is an IoError naming it', async () => {
    const path = join(dir, 'missing.safetensors');
    const error: unknown = await readSafetensors(path).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_IO')).toBe(true);
    expect((error as Error).message).toContain(path);
  });
});

describe('readSafetensors on the Python-written fixtures', () => {
  const model = join(fixturesDir, 'hf', 'clip-tiny', 'model.safetensors');

  it('reads a model tensor equal to the bytes at its offsets', async () => {
    const bytes = readFileSync(model);
    const dataStart = 8 + Number(bytes.readBigUInt64LE(0));
    const file = await readSafetensors(model);
    try {
      expect(file.metadata).toEqual({ format: 'pt' });
      const name = file.names.find((n) => n.endsWith('q_proj.weight'))!;
      const info = file.info(name);
      expect(info.dtype).toBe('F32');
      expect(info.shape.length).toBe(2);
      const values = await file.readFloat32(name);
      expect(values.length).toBe(info.shape[0] * info.shape[1]);
      for (const i of [0, 1, values.length - 1]) {
        expect(values[i]).toBe(bytes.readFloatLE(dataStart + info.dataOffsets[0] + 4 * i));
      }
      expect(values.some((v) => v !== 0)).toBe(true);
    } finally {
      await file.close();
    }
  });

  it('reads I64 inputs as BigInt64Array', async () => {
    const file = await readSafetensors(join(fixturesDir, 'hf', 'clip-tiny', 'reference', 'inputs.safetensors'));
    try {
      const name = file.names.find((n) => file.info(n).dtype === 'I64')!;
      const { data, shape } = await file.read(name);
      expect(data).toBeInstanceOf(BigInt64Array);
      expect(data.length).toBe(shape.reduce((a, b) => a * b, 1));
    } finally {
      await file.close();
    }
  });

  it('opens a model directory through its model.safetensors', async () => {
    const file = await readSafetensors(join(fixturesDir, 'hf', 'clip-tiny'));
    try {
      expect(file.path).toBe(model);
      expect(file.names.length).toBeGreaterThan(10);
    } finally {
      await file.close();
    }
  });

  it('a directory without weights is a ModelFileNotFoundError', async () => {
    const empty = join(dir, 'empty-model');
    mkdirSync(empty);
    const error: unknown = await readSafetensors(empty).catch((e: unknown) => e);
    expect(ModelFileNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('model.safetensors.index.json');
  });
});
