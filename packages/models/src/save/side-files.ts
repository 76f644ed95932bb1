import { copyFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { IoError } from '@vlp/core';

/**
 * Tokenizer, preprocessor and generation files `save_pretrained` writes beside the weights; saveModel
 * copies whichever of them exist in the source checkpoint, unchanged.
 */
export const SIDE_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.json',
  'merges.txt',
  'vocab.txt',
  'added_tokens.json',
  'preprocessor_config.json',
  'generation_config.json',
] as const;

/** Copies every {@link SIDE_FILES} entry present in `sourceDir` into `targetDir`; returns the names copied. */
export async function copySideFiles(sourceDir: string, targetDir: string): Promise<string[]> {
  const copied: string[] = [];
  for (const name of SIDE_FILES) {
    const from = path.join(sourceDir, name);
    const info = await stat(from).catch(() => undefined);
    if (info === undefined) continue;
    try {
      await copyFile(from, path.join(targetDir, name));
    } catch (cause) {
      throw new IoError({
        message: `Cannot copy ${name} from "${path.resolve(from)}" (${(cause as NodeJS.ErrnoException).code ?? 'error'}: ${(cause as Error).message}). Check that it is a readable file, or pass another sourceDir.`,
        path: path.resolve(from),
        cause,
      });
    }
    copied.push(name);
  }
  return copied;
}
