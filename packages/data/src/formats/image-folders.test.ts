import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IoError, InvalidArgumentError } from '@vlp/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readPng } from '../image/png.js';
import { iterateShapesVL } from '../shapes-vl/generate.js';
import { shapesVLClasses } from '../shapes-vl/vocabulary.js';
import { tempDir } from '../test-fixtures.js';
import { exportImageFolders, loadImageFolders } from './image-folders.js';

describe('image folders', () => {
  const tmp = tempDir('folders');
  afterAll(async () => (await tmp).cleanup());

  async function touch(...parts: string[]): Promise<void> {
    const file = path.join((await tmp).dir, ...parts);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '');
  }

  describe('exportImageFolders → loadImageFolders', () => {
    it('round-trips labels and pixels, with all 64 classes in every split', async () => {
      const dir = path.join((await tmp).dir, 'export');
      const test = [...iterateShapesVL({ split: 'test', count: 10, size: 24 })];
      const val = [...iterateShapesVL({ split: 'val', count: 3, size: 24 })];
      const written = await exportImageFolders(dir, [...test, ...val]);
      expect(written).toEqual({ splitDirs: { test: path.join(dir, 'test'), val: path.join(dir, 'val') }, images: 13 });
      expect((await readdir(dir)).sort()).toEqual(['test', 'val']);

      const loaded = await loadImageFolders(path.join(dir, 'test'));
      expect(loaded.classes).toHaveLength(64);
      expect([...loaded.classNames].sort()).toEqual([...shapesVLClasses()].sort());
      expect(loaded.samples).toHaveLength(10);
      const bySample = new Map(loaded.samples.map((r) => [path.basename(r.imagePath, '.png'), r]));
      for (const s of test) {
        const record = bySample.get(s.id);
        expect(record?.className).toBe(s.label.className);
        expect(loaded.classNames[record?.label ?? -1]).toBe(s.label.className);
        expect(await readPng(record?.imagePath ?? '')).toEqual(s.image);
      }
      const valLoaded = await loadImageFolders(written.splitDirs.val ?? '');
      expect(valLoaded.classes).toEqual(loaded.classes);
    });
  });

  describe('loadImageFolders on a hand-written tree', () => {
    it('sorts classes by code point, recurses, skips hidden and non-image files, keeps empty classes', async () => {
      await touch('tree', 'n02', 'b.JPEG');
      await touch('tree', 'n02', 'a.jpg');
      await touch('tree', 'n02', 'notes.txt');
      await touch('tree', 'n02', '.a.jpg.123.tmp');
      await touch('tree', 'n01', 'sub', 'z.png');
      await touch('tree', 'B_class', 'x.webp');
      await mkdir(path.join((await tmp).dir, 'tree', 'empty_class'), { recursive: true });
      await mkdir(path.join((await tmp).dir, 'tree', '.hidden'), { recursive: true });
      await touch('tree', 'stray.png');
      const root = path.join((await tmp).dir, 'tree');
      const loaded = await loadImageFolders(root);
      expect(loaded.classes).toEqual(['B_class', 'empty_class', 'n01', 'n02']);
      expect(loaded.classNames).toEqual(['B class', 'empty class', 'n01', 'n02']);
      expect(loaded.samples).toEqual([
        { imagePath: path.join(root, 'B_class', 'x.webp'), label: 0, className: 'B class' },
        { imagePath: path.join(root, 'n01', 'sub', 'z.png'), label: 2, className: 'n01' },
        { imagePath: path.join(root, 'n02', 'a.jpg'), label: 3, className: 'n02' },
        { imagePath: path.join(root, 'n02', 'b.JPEG'), label: 3, className: 'n02' },
      ]);
      const pngOnly = await loadImageFolders(root, { extensions: ['png'] });
      expect(pngOnly.samples.map((s) => s.label)).toEqual([2]);
    });

    it('names classes from an ImageNet synset mapping', async () => {
      await touch('imagenet', 'n01440764', 'ILSVRC2012_val_00000293.JPEG');
      await touch('imagenet', 'n01443537', 'ILSVRC2012_val_00000236.JPEG');
      const mapping = path.join((await tmp).dir, 'LOC_synset_mapping.txt');
      await writeFile(mapping, 'n01440764 tench, Tinca tinca\nn01443537 goldfish, Carassius auratus\n');
      const loaded = await loadImageFolders(path.join((await tmp).dir, 'imagenet'), { synsetMapping: mapping });
      expect(loaded.classNames).toEqual(['tench', 'goldfish']);
      expect(loaded.samples.map((s) => s.className)).toEqual(['tench', 'goldfish']);

      await writeFile(mapping, 'n01440764 tench, Tinca tinca\n');
      await expect(loadImageFolders(path.join((await tmp).dir, 'imagenet'), { synsetMapping: mapping })).rejects.toThrow(/no line for the class folder "n01443537"/);
      await writeFile(mapping, 'n01440764\n');
      await expect(loadImageFolders(path.join((await tmp).dir, 'imagenet'), { synsetMapping: mapping })).rejects.toThrow(/LOC_synset_mapping\.txt.*line 1/);
    });

    it('throws typed errors naming the directory', async () => {
      const root = (await tmp).dir;
      await expect(loadImageFolders(path.join(root, 'missing'))).rejects.toThrow(IoError);
      await mkdir(path.join(root, 'flat'), { recursive: true });
      await writeFile(path.join(root, 'flat', 'a.png'), '');
      const noClasses = await loadImageFolders(path.join(root, 'flat')).catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(noClasses)).toBe(true);
      expect((noClasses as InvalidArgumentError).path).toBe(path.join(root, 'flat'));
      await mkdir(path.join(root, 'hollow', 'cls'), { recursive: true });
      await expect(loadImageFolders(path.join(root, 'hollow'))).rejects.toThrow(/no image files/);
    });
  });
});
