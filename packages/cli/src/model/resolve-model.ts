import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ModelFileNotFoundError, readSafetensors } from '@vlp/core';
import { EMBEDDED_MODELS, embeddedModelDir } from '@vlp/zoo';
import { usageError } from '../errors.js';

/** A resolved `--model`: the checkpoint directory and how the user named it. */
export interface ResolvedModel {
  /** Absolute checkpoint directory (Hugging Face layout). */
  readonly dir: string;
  /** `embedded:tiny-clip` or the path as given. */
  readonly label: string;
  readonly embedded: boolean;
}

const WEIGHTS = ['model.safetensors', 'model.safetensors.index.json'];

/**
 * Resolves `embedded:<name>` (a checkpoint shipped in `@vlp/zoo`) or a directory (relative to
 * `cwd`) and checks that it holds `config.json` and weights, so a wrong path fails before any work
 * with `VLP_MODEL_FILE_NOT_FOUND` saying what to pass instead, and a corrupt weights file with
 * `VLP_BAD_SAFETENSORS`.
 */
export async function resolveModel(spec: string | undefined, cwd: string): Promise<ResolvedModel> {
  const model = locateModel(spec, cwd);
  // The header is parsed and validated up front (offsets, sizes, dtypes): a corrupt file fails here,
  // before any work or output, with VLP_BAD_SAFETENSORS naming it.
  const file = await readSafetensors(model.dir);
  await file.close();
  return model;
}

function locateModel(spec: string | undefined, cwd: string): ResolvedModel {
  if (!spec) throw usageError(`--model is required: pass a Hugging Face checkpoint directory or embedded:${EMBEDDED_MODELS[0]}.`);
  if (spec.startsWith('embedded:')) {
    const dir = embeddedModelDir(spec.slice('embedded:'.length));
    return { dir, label: spec, embedded: true };
  }
  const dir = path.resolve(cwd, spec);
  const fix = `Pass a Hugging Face checkpoint directory (config.json + model.safetensors, as save_pretrained writes) or embedded:${EMBEDDED_MODELS[0]}.`;
  if (!existsSync(dir)) throw new ModelFileNotFoundError({ message: `Model directory ${dir} does not exist. ${fix}`, path: dir, expected: ['config.json', 'model.safetensors'] });
  if (!statSync(dir).isDirectory()) throw new ModelFileNotFoundError({ message: `--model ${dir} is a file, not a directory. ${fix}`, path: dir, expected: ['config.json', 'model.safetensors'] });
  const missing = [!existsSync(path.join(dir, 'config.json')) ? 'config.json' : undefined, !WEIGHTS.some((f) => existsSync(path.join(dir, f))) ? 'model.safetensors' : undefined].filter(Boolean);
  if (missing.length > 0) throw new ModelFileNotFoundError({ message: `Model directory ${dir} has no ${missing.join(' and no ')}. ${fix}`, path: dir, expected: ['config.json', 'model.safetensors'] });
  return { dir, label: spec, embedded: false };
}
