import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { IoError } from '@vlp/core';

/**
 * Checks, without creating anything, that directory `dir` exists or can be created: every
 * existing part of the path is a directory and the nearest existing one is writable. Throws
 * `VLP_IO` naming the obstacle otherwise.
 */
export function assertCreatableDir(dir: string, flag = '--out'): void {
  let probe = path.resolve(dir);
  while (!existsSync(probe)) {
    const parent = path.dirname(probe);
    if (parent === probe) break;
    probe = parent;
  }
  const fail = (why: string) => new IoError({ message: `Cannot write ${flag} ${dir}: ${why}. Pass an ${flag} in a writable location.`, path: dir });
  if (!statSync(probe).isDirectory()) throw fail(`${probe} is a file, not a directory`);
  try {
    accessSync(probe, constants.W_OK);
  } catch {
    throw fail(`${probe} is not writable`);
  }
}
