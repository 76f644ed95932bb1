import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSafetensors } from '@vlp/core';

/** `../shared/fixtures/official/id` beside the repository checkout (as on CI). */
export const ID_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/fixtures/official/id');

/** Every tensor of a fixture file as float32 values with its shape (I64 converted to numbers). */
export async function readArrays(file: string): Promise<Map<string, { values: Float32Array; shape: number[] }>> {
  const st = await readSafetensors(path.join(ID_FIXTURES, file));
  const out = new Map<string, { values: Float32Array; shape: number[] }>();
  try {
    for (const name of st.names) out.set(name, { values: await st.readFloat32(name), shape: [...st.info(name).shape] });
  } finally {
    await st.close();
  }
  return out;
}

/** A JSON fixture. */
export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(ID_FIXTURES, file), 'utf8')) as T;
}

/** `|got − want| / |want|`. */
export const rel = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);
