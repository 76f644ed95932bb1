import { existsSync } from 'node:fs';
import path from 'node:path';
import { ModelFileNotFoundError } from '@vlp/core';
import { hfFixturesDir } from './repo-root.js';
import type { ModelSpec } from './types.js';
import { loadZoo } from './zoo.js';

/** A model spec as one line (`embedded:tiny-clip`, `dir:/abs/path`, `fixture:clip-tiny`). */
export function describeModelSpec(spec: ModelSpec): string {
  return spec.kind === 'embedded' ? `embedded:${spec.name}` : `${spec.kind}:${spec.path}`;
}

/**
 * The checkpoint directory of a model spec, absolute. `dir` paths resolve against `cwd`;
 * `fixture` paths against `../shared/fixtures/hf`; `embedded` names through `@vlp/zoo`.
 * Throws `VLP_MODEL_FILE_NOT_FOUND` when the directory has no `config.json`, saying how to get it.
 */
export async function resolveModelDir(spec: ModelSpec, cwd = process.cwd()): Promise<string> {
  let dir: string;
  if (spec.kind === 'embedded') dir = (await loadZoo()).embeddedModelDir(spec.name);
  else if (spec.kind === 'fixture') dir = path.resolve(hfFixturesDir(), spec.path);
  else dir = path.resolve(cwd, spec.path);
  if (!existsSync(path.join(dir, 'config.json'))) {
    const hint =
      spec.kind === 'embedded'
        ? `The embedded checkpoint "${spec.name}" of @vlp/zoo has not been built yet (see packages/zoo/README.md for the training script), or pass --model-dir <hf-checkpoint-dir>.`
        : 'Pass a Hugging Face checkpoint directory (config.json, model.safetensors, tokenizer and preprocessor files).';
    throw new ModelFileNotFoundError({ message: `No config.json in ${dir} (model ${describeModelSpec(spec)}). ${hint}`, path: dir, expected: ['config.json', 'model.safetensors'] });
  }
  return dir;
}

/**
 * Why an embedded checkpoint cannot be used, or undefined when it can: `@vlp/zoo` does not list
 * `name` in its `EMBEDDED_MODELS`, or lists it but its checkpoint has not been built.
 */
export async function embeddedModelMissing(name: string): Promise<string | undefined> {
  const zoo = await loadZoo();
  if (!zoo.isEmbeddedModelName(name)) return `embedded model "${name}" is not shipped by this @vlp/zoo`;
  if (!existsSync(path.join(zoo.embeddedModelDir(name), 'config.json'))) return `embedded model "${name}" is listed by @vlp/zoo but its checkpoint has not been built`;
  return undefined;
}
