import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../__tests__/helpers.js';
import { stageOutDir } from './out-dir.js';
import { assertCreatableDir } from './writable.js';

const tmp = tempDir('vlp-out-');

describe('stageOutDir', () => {
  it('writes into a hidden staging directory that appears at --out only on commit', async () => {
    const staged = await stageOutDir('a/result', tmp, false);
    writeFileSync(path.join(staged.staging, 'x.json'), '{}');
    expect(existsSync(path.join(tmp, 'a/result'))).toBe(false);
    await staged.commit();
    expect(readdirSync(path.join(tmp, 'a'))).toEqual(['result']);
    expect(readdirSync(path.join(tmp, 'a/result'))).toEqual(['x.json']);
  });

  it('leaves nothing behind when discarded', async () => {
    const staged = await stageOutDir('b/result', tmp, false);
    await staged.discard();
    expect(readdirSync(path.join(tmp, 'b'))).toEqual([]);
  });

  it('refuses a non-empty directory unless overwrite, and accepts an empty one', async () => {
    mkdirSync(path.join(tmp, 'c/full'), { recursive: true });
    writeFileSync(path.join(tmp, 'c/full/old'), '');
    await expect(stageOutDir('c/full', tmp, false)).rejects.toThrow(/not empty; choose a new directory or pass --overwrite/);
    const staged = await stageOutDir('c/full', tmp, true);
    await staged.commit();
    expect(readdirSync(path.join(tmp, 'c/full'))).toEqual([]);
    mkdirSync(path.join(tmp, 'c/empty'));
    await (await stageOutDir('c/empty', tmp, false)).discard();
  });

  it('fails with VLP_IO when the location cannot be written', async () => {
    writeFileSync(path.join(tmp, 'file'), '');
    const error = await stageOutDir('file/result', tmp, false).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_IO')).toBe(true);
    expect(() => assertCreatableDir(path.join(tmp, 'file/deeper/run'))).toThrow(/is a file, not a directory/);
    expect(() => assertCreatableDir(path.join(tmp, 'new/deeper/run'))).not.toThrow();
  });
});
