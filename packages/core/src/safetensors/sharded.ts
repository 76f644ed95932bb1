import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { IoError } from '../errors/index.js';
import { badIndex } from './bad.js';
import { describeOsError } from './file-io.js';
import { scanJsonKeys } from './json-keys.js';
import { openSafetensorsFile, unknownTensor } from './single.js';
import type { SafetensorsFile, SafetensorsTensor, SafetensorsTensorInfo, ShardedSafetensorsFile } from './types.js';

/** File name of the shard index `save_pretrained` writes next to sharded weights. */
export const SAFETENSORS_INDEX_FILE = 'model.safetensors.index.json';

interface ParsedIndex {
  readonly metadata: readonly (readonly [string, string])[] | undefined;
  /** Tensor name → shard file as written in the index, in `weight_map` order. */
  readonly weightMap: ReadonlyMap<string, string>;
}

/**
 * Opens a sharded checkpoint through its index (`{"metadata": {...}, "weight_map": {tensor: shardFile}}`,
 * shard files relative to the index's directory). Every shard's header is validated, and the index
 * must match the shards exactly: a missing shard, a tensor absent from its shard, a tensor present
 * in two shards, or a shard tensor the index does not list is a `BadSafetensorsError`.
 * The result reads tensors on demand, like a single file.
 */
export async function readShardedSafetensors(indexPath: string): Promise<ShardedSafetensorsFile> {
  const index = parseIndex(await readIndexText(indexPath), indexPath);
  const baseDir = dirname(indexPath);
  const shardNames = [...new Set(index.weightMap.values())];
  for (const shard of shardNames) await assertShardExists(indexPath, shard, resolve(baseDir, shard), index.weightMap);
  const opened = new Map<string, SafetensorsFile>();
  try {
    for (const shard of shardNames) opened.set(shard, await openSafetensorsFile(resolve(baseDir, shard)));
    checkConsistency(indexPath, index.weightMap, opened);
  } catch (error) {
    await Promise.all([...opened.values()].map((f) => f.close().catch(() => undefined)));
    throw error;
  }
  return new ShardedFile(indexPath, index, opened);
}

async function readIndexText(indexPath: string): Promise<string> {
  try {
    return await readFile(indexPath, 'utf8');
  } catch (error) {
    throw new IoError({
      message: `Cannot read safetensors shard index "${indexPath}": ${describeOsError(error)}.`,
      path: indexPath,
      cause: error,
    });
  }
}

function parseIndex(text: string, path: string): ParsedIndex {
  const fix = `Regenerate it (e.g. save_pretrained) or fix it by hand: {"metadata": {...}, "weight_map": {"<tensor>": "<shard file>"}}.`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? ` (${error.message})` : '';
    throw badIndex(path, `the index is not valid JSON${detail}`, fix);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw badIndex(path, 'the index JSON is not an object', fix);
  }
  const scan = scanJsonKeys(text);
  if (scan.duplicate !== undefined) {
    const { key, parent } = scan.duplicate;
    if (parent === 'weight_map') {
      throw badIndex(path, `"weight_map" lists tensor "${key}" twice (it would appear in two shards)`, fix, key);
    }
    throw badIndex(path, `the key "${key}" appears twice${parent === undefined ? '' : ` in "${parent}"`}`, fix);
  }
  const record = json as Record<string, unknown>;
  const weightMap = record['weight_map'];
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) {
    throw badIndex(path, 'the index has no "weight_map" object', fix);
  }
  const map = new Map<string, string>();
  for (const name of scan.nested.get('weight_map') ?? []) {
    const shard = (weightMap as Record<string, unknown>)[name];
    if (typeof shard !== 'string' || shard.length === 0) {
      throw badIndex(path, `"weight_map" maps the tensor to ${JSON.stringify(shard)}, not a shard file name`, fix, name);
    }
    map.set(name, shard);
  }
  return { metadata: parseIndexMetadata(record['metadata'], scan.nested.get('metadata'), path, fix), weightMap: map };
}

function parseIndexMetadata(
  value: unknown,
  order: readonly string[] | undefined,
  path: string,
  fix: string,
): ParsedIndex['metadata'] {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badIndex(path, '"metadata" is not an object', fix);
  }
  const record = value as Record<string, unknown>;
  return (order ?? Object.keys(record)).map((key) => {
    const v = record[key];
    return [key, typeof v === 'string' ? v : JSON.stringify(v)] as const;
  });
}

async function assertShardExists(
  indexPath: string,
  shard: string,
  shardPath: string,
  weightMap: ReadonlyMap<string, string>,
): Promise<void> {
  try {
    await stat(shardPath);
  } catch {
    const users = [...weightMap].filter(([, s]) => s === shard).map(([n]) => n);
    throw badIndex(
      indexPath,
      `shard "${shard}" (expected at "${shardPath}", holding ${users.length} tensors such as "${users[0]}") does not exist`,
      'Download or copy the missing shard next to the index, or regenerate the index.',
    );
  }
}

function checkConsistency(
  indexPath: string,
  weightMap: ReadonlyMap<string, string>,
  shards: ReadonlyMap<string, SafetensorsFile>,
): void {
  for (const [name, shard] of weightMap) {
    if (!shards.get(shard)!.has(name)) {
      throw badIndex(
        indexPath,
        `"weight_map" places the tensor in shard "${shard}", but that shard has no such tensor`,
        'Regenerate the index, or point the entry at the shard that holds the tensor.',
        name,
      );
    }
  }
  for (const [shard, file] of shards) {
    for (const name of file.names) {
      const listed = weightMap.get(name);
      if (listed === shard) continue;
      throw badIndex(
        indexPath,
        listed === undefined
          ? `shard "${shard}" holds the tensor but "weight_map" does not list it`
          : `the tensor appears in two shards, "${listed}" (per weight_map) and "${shard}"`,
        listed === undefined
          ? 'Add it to "weight_map" or remove it from the shard.'
          : 'Keep one copy: remove it from one shard and make weight_map point at the other.',
        name,
      );
    }
  }
}

class ShardedFile implements ShardedSafetensorsFile {
  readonly metadata: Readonly<Record<string, string>>;
  readonly metadataEntries: readonly (readonly [string, string])[] | undefined;
  readonly names: readonly string[];
  readonly shards: readonly string[];
  readonly #fileOf: ReadonlyMap<string, SafetensorsFile>;
  readonly #all: readonly SafetensorsFile[];

  constructor(
    readonly path: string,
    index: ParsedIndex,
    opened: ReadonlyMap<string, SafetensorsFile>,
  ) {
    this.metadataEntries = index.metadata;
    this.metadata = Object.freeze(Object.fromEntries(index.metadata ?? []));
    this.names = Object.freeze([...index.weightMap.keys()]);
    this.#all = [...opened.values()];
    this.shards = Object.freeze(this.#all.map((f) => f.path));
    this.#fileOf = new Map([...index.weightMap].map(([name, shard]) => [name, opened.get(shard)!]));
  }

  has(name: string): boolean {
    return this.#fileOf.has(name);
  }

  shardOf(name: string): string {
    return this.#file(name).path;
  }

  info(name: string): SafetensorsTensorInfo {
    return this.#file(name).info(name);
  }

  readRaw(name: string): Promise<Uint8Array> {
    return this.#file(name).readRaw(name);
  }

  read(name: string): Promise<SafetensorsTensor> {
    return this.#file(name).read(name);
  }

  readFloat32(name: string): Promise<Float32Array> {
    return this.#file(name).readFloat32(name);
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((f) => f.close()));
  }

  #file(name: string): SafetensorsFile {
    const file = this.#fileOf.get(name);
    if (file === undefined) throw unknownTensor(this.path, name, this.names);
    return file;
  }
}
