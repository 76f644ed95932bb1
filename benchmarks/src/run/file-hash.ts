import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** sha256 (hex) of one file, streamed. */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/**
 * sha256 of every regular file directly in a checkpoint directory (sub-directories such as
 * `reference/` are ignored), plus one digest over the sorted `name:sha256` list.
 */
export async function hashModelDir(dir: string): Promise<{ sha256: string; files: Record<string, string> }> {
  const names = readdirSync(dir)
    .filter((n) => !n.startsWith('.') && statSync(path.join(dir, n)).isFile())
    .sort();
  const files: Record<string, string> = {};
  for (const n of names) files[n] = await sha256File(path.join(dir, n));
  const sha256 = createHash('sha256')
    .update(names.map((n) => `${n}:${files[n]}`).join('\n'))
    .digest('hex');
  return { sha256, files };
}
