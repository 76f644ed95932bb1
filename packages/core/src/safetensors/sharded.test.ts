import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadSafetensorsError, VlpError } from '../errors/index.js';
import { readSafetensors } from './read.js';
import { readShardedSafetensors } from './sharded.js';
import { writeSafetensors } from './write.js';

const root = mkdtempSync(join(tmpdir(), 'vlp-sharded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const f32 = (...v: number[]) => ({ dtype: 'F32' as const, shape: [v.length], data: Float32Array.from(v) });
let caseNo = 0;

/** A directory with shards `a` (x, y) and `b` (z) and the given index (object → JSON, string → as is). */
async function checkpoint(index: unknown, shards = true): Promise<string> {
  const dir = join(root, `ckpt-${caseNo++}`);
  mkdirSync(dir);
  if (shards) {
    await writeSafetensors(join(dir, 'a.safetensors'), new Map([['x', f32(1, 2)], ['y', f32(3)]]), { format: 'pt' });
    await writeSafetensors(join(dir, 'b.safetensors'), new Map([['z', f32(4, 5, 6)]]), { format: 'pt' });
  }
  writeFileSync(join(dir, 'model.safetensors.index.json'), typeof index === 'string' ? index : JSON.stringify(index));
  return dir;
}

const goodIndex = {
  metadata: { total_size: 24, note: 'hi' },
  weight_map: { z: 'b.safetensors', x: 'a.safetensors', y: 'a.safetensors' },
};

describe('sharded checkpoints', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await checkpoint(goodIndex);
  });

  it('reads all shards through one file object', async () => {
    const indexPath = join(dir, 'model.safetensors.index.json');
    const file = await readShardedSafetensors(indexPath);
    try {
      expect(file.path).toBe(indexPath);
      expect(file.names).toEqual(['z', 'x', 'y']);
      expect(file.shards).toEqual([join(dir, 'b.safetensors'), join(dir, 'a.safetensors')]);
      expect(file.shardOf('x')).toBe(join(dir, 'a.safetensors'));
      expect(file.metadata).toEqual({ total_size: '24', note: 'hi' });
      expect(file.info('z')).toMatchObject({ dtype: 'F32', shape: [3], dataOffsets: [0, 12] });
      expect(await file.readFloat32('z')).toEqual(Float32Array.of(4, 5, 6));
      expect((await file.read('x')).data).toEqual(Float32Array.of(1, 2));
      expect(await file.readRaw('y')).toEqual(new Uint8Array(Float32Array.of(3).buffer));
      expect(file.has('y')).toBe(true);
      expect(() => file.info('w')).toThrow(/has no tensor "w" \(it has 3 tensors/);
    } finally {
      await file.close();
    }
  });

  it('readSafetensors accepts the index path or the directory', async () => {
    for (const path of [join(dir, 'model.safetensors.index.json'), dir]) {
      const file = await readSafetensors(path);
      try {
        expect(file.names).toEqual(['z', 'x', 'y']);
        expect(await file.readFloat32('y')).toEqual(Float32Array.of(3));
      } finally {
        await file.close();
      }
    }
  });
});

interface BadCase {
  readonly title: string;
  readonly index: unknown;
  readonly says: RegExp;
  readonly tensor?: string;
  readonly shards?: boolean;
  /** The file the error names, relative to the checkpoint directory (default: the index). */
  readonly names?: string;
}

const badCases: BadCase[] = [
  {
    title: 'missing shard',
    index: { weight_map: { x: 'a.safetensors', y: 'a.safetensors', z: 'c.safetensors' } },
    says: /shard "c\.safetensors" .* holding 1 tensors such as "z"\) does not exist/,
  },
  { title: 'index not JSON', index: '{"weight_map": {', says: /not valid JSON/ },
  { title: 'index JSON not an object', index: '[]', says: /index JSON is not an object/ },
  { title: 'no weight_map', index: { metadata: {} }, says: /no "weight_map" object/ },
  { title: 'weight_map value not a file name', index: { weight_map: { x: 3 } }, says: /maps the tensor to 3/, tensor: 'x' },
  {
    title: 'tensor absent from its shard',
    index: { weight_map: { x: 'b.safetensors', y: 'a.safetensors', z: 'b.safetensors' } },
    says: /places the tensor in shard "b\.safetensors", but that shard has no such tensor/,
    tensor: 'x',
  },
  {
    title: 'tensor listed twice in weight_map',
    index: '{"weight_map": {"x": "a.safetensors", "y": "a.safetensors", "z": "b.safetensors", "x": "b.safetensors"}}',
    says: /lists tensor "x" twice/,
    tensor: 'x',
  },
  {
    title: 'shard tensor missing from weight_map',
    index: { weight_map: { x: 'a.safetensors', z: 'b.safetensors' } },
    says: /shard "a\.safetensors" holds the tensor but "weight_map" does not list it/,
    tensor: 'y',
  },
  {
    title: 'metadata not an object',
    index: { metadata: 'x', weight_map: {} },
    says: /"metadata" is not an object/,
  },
  {
    title: 'malformed shard file',
    index: { weight_map: { x: 'broken.safetensors' } },
    says: /shorter than the 8-byte/,
    names: 'broken.safetensors',
  },
];

describe('malformed sharded checkpoints → BadSafetensorsError', () => {
  it.each(badCases.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
    const dir = await checkpoint(c.index, c.shards ?? true);
    writeFileSync(join(dir, 'broken.safetensors'), 'abc');
    const indexPath = join(dir, 'model.safetensors.index.json');
    const error: unknown = await readSafetensors(indexPath).then(
      async (f) => {
        await f.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(BadSafetensorsError.isInstance(error)).toBe(true);
    expect(VlpError.isInstance(error, 'VLP_BAD_SAFETENSORS')).toBe(true);
    const e = error as BadSafetensorsError;
    const named = c.names === undefined ? indexPath : join(dir, c.names);
    expect(e.path).toBe(named);
    expect(e.message).toContain(`"${named}"`);
    expect(e.message).toMatch(c.says);
    expect(e.tensor).toBe(c.tensor);
  });

  it('a tensor stored in two shards is rejected', async () => {
    const dir = await checkpoint({ weight_map: { x: 'a.safetensors', y: 'a.safetensors', z: 'b.safetensors' } });
    await writeSafetensors(join(dir, 'b.safetensors'), new Map([['z', f32(4)], ['x', f32(9, 9)]]));
    const indexPath = join(dir, 'model.safetensors.index.json');
    const error: unknown = await readShardedSafetensors(indexPath).catch((e: unknown) => e);
    expect(BadSafetensorsError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(indexPath);
    expect((error as Error).message).toMatch(/tensor "x".*appears in two shards, "a\.safetensors" \(per weight_map\) and "b\.safetensors"/);
  });
});
