/**
 * ImageNet-style class folders (`<root>/<class>/<image>`, as torchvision's `ImageFolder` reads
 * them): classes are the sub-directories sorted by code point, class `i` is the i-th, and the images
 * are the files with an image extension found (recursively) inside each, sorted.
 */
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { IoError, InvalidArgumentError } from '@vlp/core';
import type { ShapesVLSample, ShapesVLSplit } from '../shapes-vl/types.js';
import { COLOURS, SHAPES } from '../shapes-vl/vocabulary.js';
import { checkDirectory, readTextFile } from './json-file.js';
import { PngWriter, ensureDirectory } from './write-images.js';

/** The folder name of a Shapes-VL class: `"<colour>_<shape>"` ("red_circle"). */
export function shapesVLClassFolder(colour: string, shape: string): string {
  return `${colour}_${shape}`;
}

/** What {@link exportImageFolders} wrote. */
export interface ImageFolderExport {
  /** `<dir>/<split>` for every split present in the samples: pass one to {@link loadImageFolders}. */
  readonly splitDirs: Readonly<Partial<Record<ShapesVLSplit, string>>>;
  readonly images: number;
}

/**
 * Writes samples as class folders: `<dir>/<split>/<colour>_<shape>/<id>.png`, labelled by the main
 * object (`sample.label`). All 64 class folders are created in every split written, also the empty
 * ones, so that the class indices of the loaded splits agree. Files are written atomically.
 */
export async function exportImageFolders(dir: string, samples: Iterable<ShapesVLSample>): Promise<ImageFolderExport> {
  await ensureDirectory(dir);
  const writer = new PngWriter();
  const splitDirs: Partial<Record<ShapesVLSplit, string>> = {};
  for (const sample of samples) {
    let splitDir = splitDirs[sample.split];
    if (splitDir === undefined) {
      splitDir = join(dir, sample.split);
      splitDirs[sample.split] = splitDir;
      for (const colour of COLOURS) for (const shape of SHAPES) await ensureDirectory(join(splitDir, shapesVLClassFolder(colour, shape)));
    }
    await writer.add(join(splitDir, shapesVLClassFolder(sample.label.colour, sample.label.shape), `${sample.id}.png`), sample.image);
  }
  await writer.done();
  return { splitDirs, images: writer.count };
}

/** One image of an image-folder dataset. */
export interface ImageFolderRecord {
  readonly imagePath: string;
  /** Index into `classes`. */
  readonly label: number;
  /** `classNames[label]`. */
  readonly className: string;
}

/** A loaded image-folder dataset. */
export interface ImageFolderDataset {
  readonly root: string;
  /** The class folder names, sorted by code point; a label indexes this list. */
  readonly classes: readonly string[];
  /**
   * Human-readable class names for zero-shot prompts: from the synset mapping when given, else the
   * folder name with `_` read as a space ("red_circle" → "red circle").
   */
  readonly classNames: readonly string[];
  /** Every image, class by class, files sorted within each class. */
  readonly samples: readonly ImageFolderRecord[];
}

/** Options of {@link loadImageFolders}. */
export interface LoadImageFoldersOptions {
  /** File extensions that count as images, case-insensitive (default `.png .jpg .jpeg .bmp .gif .webp .tif .tiff`). */
  readonly extensions?: readonly string[];
  /**
   * An ImageNet synset mapping file (`LOC_synset_mapping.txt`: lines `n01440764 tench, Tinca tinca`):
   * class names become the first name of each line's list.
   */
  readonly synsetMapping?: string;
}

const DEFAULT_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.bmp', '.gif', '.webp', '.tif', '.tiff'];

async function listDir(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw new IoError({ message: `Cannot list the directory "${dir}": ${error instanceof Error ? error.message : String(error)}.`, path: dir, cause: error });
  }
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function imagesUnder(dir: string, extensions: ReadonlySet<string>): Promise<string[]> {
  const entries = (await listDir(dir)).filter((e) => !e.name.startsWith('.')).sort((a, b) => byCodePoint(a.name, b.name));
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await imagesUnder(path, extensions)));
    else if (entry.isFile() && extensions.has(extname(entry.name).toLowerCase())) out.push(path);
  }
  return out;
}

async function readSynsetMapping(path: string): Promise<Map<string, string>> {
  const text = await readTextFile(path, 'synset mapping file');
  const map = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(\S+)\s+(.+)$/.exec(line.trim());
    if (!m) {
      throw new InvalidArgumentError({
        message: `Malformed synset mapping file "${path}": line ${i + 1} must be "<folder> <name>[, <other names>]" (found ${JSON.stringify(line)}).`,
        path,
        actual: line,
      });
    }
    map.set(m[1], m[2].split(',')[0].trim());
  });
  return map;
}

/**
 * Loads an ImageNet-style class-folder tree (e.g. `ILSVRC/Data/CLS-LOC/val` after the usual
 * re-foldering, or a split written by {@link exportImageFolders}). Hidden entries and files with
 * other extensions are skipped; empty class folders are kept as classes. Throws `IoError` when
 * `dir` cannot be read and `InvalidArgumentError` naming `dir` when it holds no class folder or no
 * image, or naming the mapping file when it is malformed or lacks a class.
 */
export async function loadImageFolders(dir: string, options: LoadImageFoldersOptions = {}): Promise<ImageFolderDataset> {
  await checkDirectory(dir, 'image folder root');
  const extensions = new Set((options.extensions ?? DEFAULT_EXTENSIONS).map((e) => (e.startsWith('.') ? e : `.${e}`).toLowerCase()));
  const classes = (await listDir(dir))
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(byCodePoint);
  if (classes.length === 0) {
    throw new InvalidArgumentError({
      message: `"${dir}" has no class folders: an image-folder dataset is <root>/<class>/<image>. Pass the directory of one split (e.g. <export>/test).`,
      path: dir,
    });
  }
  let classNames = classes.map((c) => c.replace(/_/g, ' '));
  if (options.synsetMapping !== undefined) {
    const mappingPath = options.synsetMapping;
    const mapping = await readSynsetMapping(mappingPath);
    classNames = classes.map((c) => {
      const name = mapping.get(c);
      if (name === undefined) {
        throw new InvalidArgumentError({ message: `The synset mapping file "${mappingPath}" has no line for the class folder "${c}" of "${dir}".`, path: mappingPath, actual: c });
      }
      return name;
    });
  }
  const samples: ImageFolderRecord[] = [];
  for (const [label, cls] of classes.entries()) {
    for (const imagePath of await imagesUnder(join(dir, cls), extensions)) samples.push({ imagePath, label, className: classNames[label] });
  }
  if (samples.length === 0) {
    throw new InvalidArgumentError({
      message: `"${dir}" has ${classes.length} class folders but no image files (extensions ${[...extensions].join(' ')}).`,
      path: dir,
    });
  }
  return { root: dir, classes, classNames, samples };
}
