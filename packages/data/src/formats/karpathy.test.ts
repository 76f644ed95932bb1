import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IoError, InvalidArgumentError, VlpError } from '@vlp/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readPng } from '../image/png.js';
import { iterateShapesVL, shapesVLSample } from '../shapes-vl/generate.js';
import type { ShapesVLSample } from '../shapes-vl/types.js';
import { sha256, tempDir } from '../test-fixtures.js';
import { exportKarpathyJson, karpathyTokens, loadKarpathyJson } from './karpathy.js';

/** GOLDEN sha256 of the Karpathy JSON of test 0–7 and val 0–3 (seed 0): exported annotations are byte-stable. */
const GOLDEN_KARPATHY_JSON = '6184e1ba8883a32a2aecf4de01a8264cdac0ea28f4207d0d17027e289b242c4e';

/** A hand-written excerpt in the layout of Karpathy's dataset_coco.json. */
const COCO_SAMPLE = {
  images: [
    {
      filepath: 'val2014',
      sentids: [770337, 771687],
      filename: 'COCO_val2014_000000391895.jpg',
      imgid: 0,
      split: 'test',
      sentences: [
        { tokens: ['a', 'man', 'with', 'a', 'red', 'helmet', 'on', 'a', 'small', 'moped', 'on', 'a', 'dirt', 'road'], raw: 'A man with a red helmet on a small moped on a dirt road. ', imgid: 0, sentid: 770337 },
        { tokens: ['man', 'riding', 'a', 'motor', 'bike', 'on', 'a', 'dirt', 'road', 'on', 'the', 'countryside'], raw: 'Man riding a motor bike on a dirt road on the countryside.', imgid: 0, sentid: 771687 },
      ],
      cocoid: 391895,
    },
    {
      filepath: 'train2014',
      sentids: [1],
      filename: 'COCO_train2014_000000057870.jpg',
      imgid: 1,
      split: 'restval',
      sentences: [{ tokens: ['a', 'restaurant'], raw: 'A restaurant has modern wooden tables and chairs.', imgid: 1, sentid: 1 }],
      cocoid: 57870,
    },
    {
      filepath: 'train2014',
      sentids: [2],
      filename: 'COCO_train2014_000000384029.jpg',
      imgid: 2,
      split: 'train',
      sentences: [{ tokens: ['a', 'man'], raw: 'A man preparing desserts in a kitchen.', imgid: 2, sentid: 2 }],
      cocoid: 384029,
    },
  ],
  dataset: 'coco',
};

/** A hand-written excerpt in the layout of dataset_flickr30k.json (no filepath, no cocoid). */
const FLICKR_SAMPLE = {
  images: [
    {
      sentids: [0, 1],
      imgid: 0,
      sentences: [
        { tokens: ['two', 'young', 'guys'], raw: 'Two young guys with shaggy hair look at their hands while hanging out in the yard.', imgid: 0, sentid: 0 },
        { tokens: ['two', 'young'], raw: 'Two young, White males are outside near many bushes.', imgid: 0, sentid: 1 },
      ],
      split: 'train',
      filename: '1000092795.jpg',
    },
  ],
  dataset: 'flickr30k',
};

describe('karpathy', () => {
  const tmp = tempDir('karpathy');
  afterAll(async () => (await tmp).cleanup());

  async function writeJson(name: string, value: unknown): Promise<string> {
    const file = path.join((await tmp).dir, name);
    await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  }

  describe('exportKarpathyJson → loadKarpathyJson', () => {
    const samples: ShapesVLSample[] = [...iterateShapesVL({ split: 'test', count: 8, size: 32 }), ...iterateShapesVL({ split: 'val', count: 4, size: 32 })];

    it('round-trips ids, splits, captions and pixels, and writes byte-stable JSON', async () => {
      const dir = path.join((await tmp).dir, 'export');
      const written = await exportKarpathyJson(dir, samples);
      expect(written).toMatchObject({ images: 12, sentences: 60, imageRoot: path.join(dir, 'images') });
      expect(sha256(await readFile(written.annotationPath))).toBe(GOLDEN_KARPATHY_JSON);
      const loaded = await loadKarpathyJson(written.annotationPath, written.imageRoot, { checkImages: true });
      expect(loaded.dataset).toBe('shapes-vl');
      expect(loaded.images.map((r) => [r.id, r.split, r.captions])).toEqual(samples.map((s) => [s.imageId, s.split, s.captions]));
      expect(loaded.images[9].sentenceIds).toEqual([45, 46, 47, 48, 49]);
      for (const [i, record] of loaded.images.entries()) expect(await readPng(record.imagePath)).toEqual(samples[i].image);
      const test = await loadKarpathyJson(written.annotationPath, written.imageRoot, { split: 'test' });
      expect(test.images).toHaveLength(8);
      // no temporary files left behind
      expect((await readdir(path.join(dir, 'images', 'test'))).every((f) => /^test-\d{6}\.png$/.test(f))).toBe(true);
    });

    it('takes a lazy iterable and a custom file name', async () => {
      const dir = path.join((await tmp).dir, 'lazy');
      const written = await exportKarpathyJson(dir, iterateShapesVL({ seed: 1, split: 'train', count: 3, size: 16 }), { fileName: 'dataset_x.json', dataset: 'x' });
      expect(path.basename(written.annotationPath)).toBe('dataset_x.json');
      const loaded = await loadKarpathyJson(written.annotationPath, written.imageRoot);
      expect(loaded.images.map((r) => r.captions)).toEqual([0, 1, 2].map((i) => shapesVLSample(1, 'train', i, 16).captions));
    });
  });

  describe('loadKarpathyJson on hand-written files', () => {
    it('reads the COCO layout (filepath, cocoid, restval) and filters splits', async () => {
      const file = await writeJson('dataset_coco.json', COCO_SAMPLE);
      const root = (await tmp).dir;
      const all = await loadKarpathyJson(file, root);
      expect(all.dataset).toBe('coco');
      expect(all.images[0]).toEqual({
        id: 391895,
        imgid: 0,
        split: 'test',
        imagePath: path.join(root, 'val2014', 'COCO_val2014_000000391895.jpg'),
        captions: ['A man with a red helmet on a small moped on a dirt road. ', 'Man riding a motor bike on a dirt road on the countryside.'],
        sentenceIds: [770337, 771687],
      });
      const train = await loadKarpathyJson(file, root, { split: ['train', 'restval'] });
      expect(train.images.map((r) => r.id)).toEqual([57870, 384029]);
    });

    it('reads the Flickr30k layout (no filepath, no cocoid)', async () => {
      const file = await writeJson('dataset_flickr30k.json', FLICKR_SAMPLE);
      const root = (await tmp).dir;
      const { images, dataset } = await loadKarpathyJson(file, root);
      expect(dataset).toBe('flickr30k');
      expect(images).toEqual([
        {
          id: 0,
          imgid: 0,
          split: 'train',
          imagePath: path.join(root, '1000092795.jpg'),
          captions: FLICKR_SAMPLE.images[0].sentences.map((s) => s.raw),
          sentenceIds: [0, 1],
        },
      ]);
    });

    it('checks image files on request, naming the missing image and the annotation file', async () => {
      const root = (await tmp).dir;
      const file = await writeJson('flickr-check.json', FLICKR_SAMPLE);
      const error = await loadKarpathyJson(file, root, { checkImages: true }).catch((e: unknown) => e);
      expect(IoError.isInstance(error)).toBe(true);
      expect((error as IoError).path).toBe(path.join(root, '1000092795.jpg'));
      expect((error as Error).message).toContain('flickr-check.json');
      await mkdir(path.join(root, 'flickr'), { recursive: true });
      await writeFile(path.join(root, 'flickr', '1000092795.jpg'), '');
      await expect(loadKarpathyJson(file, path.join(root, 'flickr'), { checkImages: true })).resolves.toBeDefined();
    });

    it('throws typed errors naming the file for malformed content, missing files and a missing image root', async () => {
      const root = (await tmp).dir;
      const cases: [string, unknown, RegExp][] = [
        ['not-json.json', '{"images": [', /not valid JSON/],
        ['no-images.json', { dataset: 'coco' }, /images must be an array \(found nothing\)/],
        ['bad-raw.json', { images: [{ ...FLICKR_SAMPLE.images[0], sentences: [{ raw: 42 }] }] }, /images\[0\]\.sentences\[0\]\.raw must be a string \(found number 42\)/],
        ['bad-split.json', { images: [{ ...FLICKR_SAMPLE.images[0], split: undefined }] }, /images\[0\]\.split must be a string/],
        ['bad-imgid.json', { images: [{ ...FLICKR_SAMPLE.images[0], imgid: '0' }] }, /images\[0\]\.imgid must be an integer/],
        ['array.json', [], /the top level must be an object/],
      ];
      for (const [name, content, message] of cases) {
        const file = await writeJson(name, content);
        const error = await loadKarpathyJson(file, root).catch((e: unknown) => e);
        expect(InvalidArgumentError.isInstance(error), name).toBe(true);
        expect((error as VlpError).path).toBe(file);
        expect((error as Error).message).toContain(file);
        expect((error as Error).message).toMatch(message);
      }
      const missing = path.join(root, 'nope.json');
      await expect(loadKarpathyJson(missing, root)).rejects.toThrow(IoError);
      await expect(loadKarpathyJson(missing, root)).rejects.toThrow(/nope\.json.*does not exist/);
      const good = await writeJson('good.json', FLICKR_SAMPLE);
      await expect(loadKarpathyJson(good, path.join(root, 'no-such-dir'))).rejects.toThrow(/image root directory/);
    });
  });

  describe('karpathyTokens', () => {
    it('lower-cases, drops punctuation and splits on white space', () => {
      expect(karpathyTokens('two shapes: a small red circle, which is above…')).toEqual(['two', 'shapes', 'a', 'small', 'red', 'circle', 'which', 'is', 'above']);
    });
  });
});
