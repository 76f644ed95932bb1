import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  ModelFileNotFoundError,
  ShapeMismatchError,
  type SafetensorsFile,
  readSafetensors,
  readShardedSafetensors,
} from '@vlp/core';
import { ParamStore, type StoredParam } from './param-store.js';

/** Non-persistent buffers older exports store; they are skipped, never reported as unexpected. */
const IGNORED_BUFFERS = /(^|\.)position_ids$/;

/** Opens `model.safetensors` or the sharded `model.safetensors.index.json` of a model directory. */
export async function openWeights(dir: string): Promise<SafetensorsFile> {
  const single = path.join(dir, 'model.safetensors');
  const index = path.join(dir, 'model.safetensors.index.json');
  if (existsSync(single)) return readSafetensors(single);
  if (existsSync(index)) return readShardedSafetensors(index);
  throw new ModelFileNotFoundError({
    message:
      `No weights in ${path.resolve(dir)}: expected model.safetensors, or model.safetensors.index.json with its shards ` +
      '(PyTorch .bin checkpoints are not read; convert them with save_pretrained(safe_serialization=True)).',
    path: path.resolve(dir),
    expected: ['model.safetensors', 'model.safetensors.index.json'],
  });
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * Loads every expected parameter as float32 (F16/BF16 upcast) and checks the file against the
 * model: every missing, unexpected or mis-shaped tensor is reported by name in one error.
 * `aliases` maps an expected name to an alternative stored name (tied parameters).
 */
export async function loadParams(
  dir: string,
  expected: ReadonlyMap<string, readonly number[]>,
  aliases: ReadonlyMap<string, string> = new Map(),
): Promise<ParamStore> {
  const file = await openWeights(dir);
  try {
    const stored = new Set(file.names.filter((n) => !IGNORED_BUFFERS.test(n)));
    const missing: string[] = [];
    const misShaped: string[] = [];
    const params = new Map<string, StoredParam>();
    for (const [name, shape] of expected) {
      const source = stored.has(name) ? name : aliases.get(name);
      if (!source || !stored.has(source)) {
        missing.push(name);
        continue;
      }
      const actual = file.info(source).shape;
      if (!sameShape(actual, shape)) {
        misShaped.push(`${name}: file [${actual.join(', ')}], model [${shape.join(', ')}]`);
        continue;
      }
      params.set(name, { shape: [...shape], data: await file.readFloat32(source) });
    }
    const used = new Set([...expected.keys(), ...[...expected.keys()].map((n) => aliases.get(n)).filter(Boolean)]);
    const unexpected = [...stored].filter((n) => !used.has(n));
    if (missing.length || misShaped.length || unexpected.length) {
      const parts = [
        missing.length ? `missing: ${missing.join(', ')}` : '',
        misShaped.length ? `mis-shaped: ${misShaped.join('; ')}` : '',
        unexpected.length ? `unexpected: ${unexpected.join(', ')}` : '',
      ].filter(Boolean);
      throw new ShapeMismatchError({
        message: `The weights in ${path.resolve(dir)} do not fit its config.json (${parts.join(' | ')}). Use the config the checkpoint was saved with.`,
        path: path.resolve(dir),
        tensor: missing[0] ?? misShaped[0]?.split(':')[0] ?? unexpected[0],
        expected: missing,
        actual: unexpected,
      });
    }
    return new ParamStore(params);
  } finally {
    await file.close();
  }
}
