import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { atomicWriteFile, InvalidArgumentError } from '@vlp/core';

/**
 * Writes a training recipe to `runDir/recipe.json`; when resuming, first checks that the run there
 * used the same recipe (the trainer itself only compares the seed and the number of steps), and
 * throws `VLP_INVALID_ARGUMENT` naming the file when it did not.
 */
export async function recordRecipe(runDir: string, recipe: Record<string, unknown>, resume: boolean): Promise<void> {
  const file = path.join(runDir, 'recipe.json');
  const text = `${JSON.stringify(recipe, null, 2)}\n`;
  const previous = resume ? await readFile(file, 'utf8').catch(() => undefined) : undefined;
  if (previous !== undefined && previous !== text) {
    throw new InvalidArgumentError({
      message: `The run in ${runDir} was started with another recipe (${file}); resume it with the same settings, or use another run directory or resume: false.`,
      path: file,
      expected: JSON.parse(previous),
      actual: recipe,
    });
  }
  await mkdir(runDir, { recursive: true });
  await atomicWriteFile(file, text);
}
