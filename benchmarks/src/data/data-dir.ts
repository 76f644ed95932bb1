import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type CaptionedImageRecord, loadImageFolders, loadKarpathyJson, loadVqaV2 } from '@vlp/data';
import { DEFAULT_TEMPLATES } from '@vlp/tasks';
import { decodeImage, type RgbImage } from '@vlp/models';
import { usageError } from '../errors/bench-errors.js';
import type { BenchData } from './bench-data.js';

/**
 * Real datasets from a local directory (`--data-dir`), laid out as `@vlp/data`'s exporters write
 * them (real COCO / Flickr30k / ImageNet / VQA v2 files can be linked into the same layout):
 *
 * ```
 * <dir>/dataset_*.json, <dir>/images/…           Karpathy split JSON: retrieval and captioning on
 *                                                  split "test", training examples from "train"/"restval"
 * <dir>/image-folders/test/<class>/<image>        zero-shot classification (class = folder name, _ → space)
 * <dir>/vqa/v2_OpenEnded_*_questions.json         VQA v2 questions, with v2_*_annotations.json beside them
 *   and <dir>/vqa/images/<data_subtype>/…          and the images of their data subtype
 * ```
 * Only the parts a suite's tasks need must exist; a missing part is a `BenchUsageError` naming it.
 */
export function dataDirData(dir: string): BenchData {
  const root = path.resolve(dir);
  if (!existsSync(root)) throw usageError(`--data-dir ${root} does not exist.`);
  const images = new Map<string, Promise<RgbImage>>();
  const image = (file: string) => {
    let p = images.get(file);
    if (!p) images.set(file, (p = decodeImage(file)));
    return p;
  };
  const loadAll = (files: readonly string[]) => Promise.all(files.map(image));

  let karpathy: Promise<readonly CaptionedImageRecord[]> | undefined;
  const captioned = () => {
    karpathy ??= (async () => {
      const file = readdirSync(root).find((f) => /^dataset_.*\.json$/.test(f));
      if (!file) throw usageError(`--data-dir ${root} has no Karpathy split file (dataset_*.json) for retrieval, captioning or training examples.`);
      return (await loadKarpathyJson(path.join(root, file), path.join(root, 'images'))).images;
    })();
    return karpathy;
  };
  const split = async (names: readonly string[]) => (await captioned()).filter((r) => names.includes(r.split));
  const testRecords = async (count: number) => {
    const records = (await split(['test'])).slice(0, count);
    if (records.length === 0) throw usageError(`--data-dir ${root}: the Karpathy file has no "test" images.`);
    return records;
  };
  const trainRecords = async () => {
    const records = await split(['train', 'restval']);
    if (records.length === 0) throw usageError(`--data-dir ${root}: the Karpathy file has no "train" or "restval" images; calibration and recovery need training examples.`);
    return records;
  };

  return {
    id: `dir:${root}`,
    async zeroShot(count) {
      const folders = path.join(root, 'image-folders', 'test');
      if (!existsSync(folders)) throw usageError(`--data-dir ${root} has no image-folders/test/<class>/ tree for zero-shot classification.`);
      const ds = await loadImageFolders(folders);
      const picked = evenly(ds.samples, count);
      return {
        images: await loadAll(picked.map((s) => s.imagePath)),
        labels: picked.map((s) => s.label),
        classNames: ds.classNames.map((c) => c.replaceAll('_', ' ')),
        templates: DEFAULT_TEMPLATES,
      };
    },
    async retrieval(count) {
      const records = await testRecords(count);
      return {
        images: await loadAll(records.map((r) => r.imagePath)),
        texts: records.flatMap((r) => r.captions),
        textToImage: records.flatMap((r, i) => r.captions.map(() => i)),
      };
    },
    async captioning(count) {
      const records = await testRecords(count);
      return { images: await loadAll(records.map((r) => r.imagePath)), references: records.map((r) => r.captions) };
    },
    async vqa(count) {
      const vqaDir = path.join(root, 'vqa');
      const qFile = existsSync(vqaDir) ? readdirSync(vqaDir).find((f) => /^v2_OpenEnded_.*_questions\.json$/.test(f)) : undefined;
      if (!qFile) throw usageError(`--data-dir ${root} has no vqa/v2_OpenEnded_*_questions.json for VQA.`);
      const subtype = /^v2_OpenEnded_.*?_(.+)_questions\.json$/.exec(qFile)?.[1] ?? '';
      const aFile = readdirSync(vqaDir).find((f) => f.startsWith('v2_') && f.endsWith(`_${subtype}_annotations.json`));
      if (!aFile) throw usageError(`--data-dir ${root}: no VQA annotations file v2_*_${subtype}_annotations.json beside ${qFile}.`);
      const ds = await loadVqaV2(path.join(vqaDir, qFile), path.join(vqaDir, aFile), path.join(vqaDir, 'images', subtype));
      const imageIds = [...new Set(ds.questions.map((q) => q.imageId))].slice(0, count);
      const index = new Map(imageIds.map((id, i) => [id, i]));
      const questions = ds.questions.filter((q) => index.has(q.imageId));
      const paths = imageIds.map((id) => (questions.find((q) => q.imageId === id) as { imagePath: string }).imagePath);
      return {
        images: await loadAll(paths),
        questions: questions.map((q) => ({ imageIndex: index.get(q.imageId) as number, question: q.question, answers: q.answers ?? [] })),
      };
    },
    trainSize: async () => (await trainRecords()).length,
    async trainExample(i) {
      const records = await trainRecords();
      const r = records[i % records.length] as CaptionedImageRecord;
      return { image: await image(r.imagePath), caption: r.captions[i % r.captions.length] ?? '', question: '', answer: '' };
    },
  };
}

/** `count` items spread evenly over `items` (all classes represented in a class-sorted list). */
function evenly<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)] as T);
}
