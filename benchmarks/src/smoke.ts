import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { ModelFileNotFoundError, initBackend, readSafetensors } from '@vlp/core';

export interface SmokeResult {
  readonly backend: string;
  readonly file: string;
  readonly tensors: number;
  readonly parameters: number;
  /** Size of the JSON header in bytes (for the record). */
  readonly headerBytes: number;
  readonly millis: number;
}

/**
 * The placeholder benchmark until the real suites land: initialise the tfjs backend, read every
 * tensor of a checkpoint through the core safetensors reader, and count its parameters.
 */
export async function runSmoke(modelDir: string): Promise<SmokeResult> {
  const file = path.join(modelDir, 'model.safetensors');
  if (!existsSync(file)) {
    throw new ModelFileNotFoundError({
      message: `No model.safetensors in ${path.resolve(modelDir)}. Pass --model-dir <dir> with a Hugging Face checkpoint directory.`,
      path: path.resolve(modelDir),
      expected: ['model.safetensors'],
    });
  }
  const start = performance.now();
  const backend = await initBackend();
  const st = await readSafetensors(file);
  let parameters = 0;
  try {
    for (const name of st.names) parameters += (await st.readFloat32(name)).length;
  } finally {
    await st.close();
  }
  return { backend: backend.name, file, tensors: st.names.length, parameters, headerBytes: headerLength(file), millis: performance.now() - start };
}

function headerLength(file: string): number {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8);
    readSync(fd, buf, 0, 8, 0);
    return Number(buf.readBigUInt64LE(0));
  } finally {
    closeSync(fd);
  }
}
