/**
 * Writing a built model (and its external-data file) to disk atomically: each file is written to a
 * temporary name in the target directory and renamed into place, so readers never see a partial file.
 * The external-data file is renamed first, so a complete model file never points at missing data.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { invalidArgument } from './errors.js';
import { validateExternalLocation } from './external-data.js';
import type { BuiltOnnxModel } from './graph-builder.js';

/** Paths written by {@link saveOnnxModel}. */
export interface SavedOnnxModel {
  modelPath: string;
  externalDataPath?: string;
}

async function writeAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Writes `built.model` to `dir/fileName` and `built.externalData` (if any) to
 * `dir/<built.externalDataLocation>`, creating directories as needed.
 */
export async function saveOnnxModel(dir: string, fileName: string, built: BuiltOnnxModel): Promise<SavedOnnxModel> {
  validateExternalLocation(fileName);
  const modelPath = join(dir, fileName);
  await mkdir(dirname(modelPath), { recursive: true });
  if (built.externalData === undefined) {
    await writeAtomic(modelPath, built.model);
    return { modelPath };
  }
  const location = built.externalDataLocation;
  if (location === undefined) throw invalidArgument('Built model has external data but no externalDataLocation.');
  validateExternalLocation(location);
  // Locations are relative to the model file's directory.
  const externalDataPath = join(dirname(modelPath), location);
  if (externalDataPath === modelPath) throw invalidArgument(`External data location "${location}" equals the model file name.`);
  await mkdir(dirname(externalDataPath), { recursive: true });
  await writeAtomic(externalDataPath, built.externalData);
  await writeAtomic(modelPath, built.model);
  return { modelPath, externalDataPath };
}
