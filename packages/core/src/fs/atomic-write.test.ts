import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IoError, VlpError } from '../errors/index.js';
import { atomicWriteFile } from './atomic-write.js';

const root = mkdtempSync(join(tmpdir(), 'vlp-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const freshDir = () => mkdtempSync(join(root, 'case-'));

describe('atomicWriteFile', () => {
  it('writes strings, bytes, chunk lists and producers', async () => {
    const dir = freshDir();
    await atomicWriteFile(join(dir, 'a.txt'), 'héllo');
    await atomicWriteFile(join(dir, 'b.bin'), Uint8Array.of(1, 2, 3));
    await atomicWriteFile(join(dir, 'c.bin'), [Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)]);
    await atomicWriteFile(join(dir, 'd.bin'), async (write) => {
      await write(Uint8Array.of(4));
      await write(Buffer.from('xy'));
    });
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('héllo');
    expect([...readFileSync(join(dir, 'b.bin'))]).toEqual([1, 2, 3]);
    expect([...readFileSync(join(dir, 'c.bin'))]).toEqual([1, 2, 3]);
    expect([...readFileSync(join(dir, 'd.bin'))]).toEqual([4, 120, 121]);
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.bin', 'c.bin', 'd.bin']);
  });

  it('writes into a hidden temp file in the same directory (pid + random), then renames', async () => {
    const dir = freshDir();
    const target = join(dir, 'out.bin');
    let during: string[] = [];
    await atomicWriteFile(target, async (write) => {
      await write(Uint8Array.of(7));
      during = readdirSync(dir);
    });
    expect(during).toHaveLength(1);
    expect(during[0]).toMatch(new RegExp(`^\\.out\\.bin\\.${process.pid}\\.[0-9a-f]{12}\\.tmp$`));
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });

  it('replaces an existing file', async () => {
    const dir = freshDir();
    const target = join(dir, 'f');
    writeFileSync(target, 'old');
    await atomicWriteFile(target, 'new');
    expect(readFileSync(target, 'utf8')).toBe('new');
  });

  it('a missing destination directory is an IoError naming the path', async () => {
    const dir = freshDir();
    const target = join(dir, 'missing', 'f');
    const error: unknown = await atomicWriteFile(target, 'x').catch((e: unknown) => e);
    expect(IoError.isInstance(error)).toBe(true);
    expect(VlpError.isInstance(error, 'VLP_IO')).toBe(true);
    expect((error as Error).message).toContain(target);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a throwing producer leaves no temp file and no new file, and its error passes through', async () => {
    const dir = freshDir();
    const target = join(dir, 'f');
    const boom = new Error('producer failed');
    const error: unknown = await atomicWriteFile(target, async (write) => {
      await write(Uint8Array.of(1, 2, 3));
      throw boom;
    }).catch((e: unknown) => e);
    expect(error).toBe(boom);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(target)).toBe(false);
  });

  it('a failure keeps the previous file intact', async () => {
    const dir = freshDir();
    const target = join(dir, 'f');
    writeFileSync(target, 'old');
    await expect(
      atomicWriteFile(target, async (write) => {
        await write(Buffer.from('new'));
        throw new Error('late failure');
      }),
    ).rejects.toThrow('late failure');
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['f']);
  });

  it('a rename onto a directory fails with IoError and cleans up', async () => {
    const dir = freshDir();
    const target = mkdtempSync(join(dir, 'taken-'));
    writeFileSync(join(target, 'inside'), 'x'); // a non-empty directory cannot be replaced by a file
    const error: unknown = await atomicWriteFile(target, 'x').catch((e: unknown) => e);
    expect(IoError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/could not rename/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
