import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IoError, InvalidArgumentError } from '@vlp/core';
import { afterAll, describe, expect, it } from 'vitest';
import { shapesVLSample } from '../shapes-vl/generate.js';
import { tempDir } from '../test-fixtures.js';
import { decodePng, encodePng, readPng } from './png.js';

describe('png', () => {
  const tmp = tempDir('png');
  afterAll(async () => (await tmp).cleanup());

  it('round-trips RGB images exactly', async () => {
    const { image } = shapesVLSample(0, 'test', 5, 40);
    const bytes = encodePng(image);
    expect(Array.from(bytes.slice(1, 4), (b) => String.fromCharCode(b)).join('')).toBe('PNG');
    expect(decodePng(bytes)).toEqual(image);
    const file = path.join((await tmp).dir, 'x.png');
    await writeFile(file, bytes);
    expect(await readPng(file)).toEqual(image);
  });

  it('names the file in errors', async () => {
    const { dir } = await tmp;
    await writeFile(path.join(dir, 'bad.png'), 'not a png');
    await expect(readPng(path.join(dir, 'bad.png'))).rejects.toThrow(InvalidArgumentError);
    await expect(readPng(path.join(dir, 'bad.png'))).rejects.toThrow(/bad\.png/);
    await expect(readPng(path.join(dir, 'missing.png'))).rejects.toThrow(IoError);
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(5) })).toThrow(InvalidArgumentError);
  });
});
