/**
 * The VQA v2 question and annotation files (Goyal et al., 2017; visualqa.org):
 *
 * ```
 * v2_OpenEnded_mscoco_val2014_questions.json
 *   { "info": {…}, "task_type": "Open-Ended", "data_type": "mscoco", "license": {…},
 *     "data_subtype": "val2014",
 *     "questions": [ { "image_id": 262148, "question": "Where is he looking?", "question_id": 262148000 }, … ] }
 * v2_mscoco_val2014_annotations.json
 *   { "info": {…}, "license": {…}, "data_type": "mscoco", "data_subtype": "val2014",
 *     "annotations": [ { "question_id": 262148000, "image_id": 262148, "question_type": "where is he",
 *                        "answer_type": "other", "multiple_choice_answer": "down",
 *                        "answers": [ { "answer": "down", "answer_confidence": "yes", "answer_id": 1 }, … ×10 ] }, … ] }
 * ```
 *
 * Images follow the COCO naming `COCO_<data_subtype>_<image_id as 12 digits>.jpg`.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, atomicWriteFile } from '@vlp/core';
import type { ShapesVLSample, ShapesVLSplit } from '../shapes-vl/types.js';
import { JsonFields, checkDirectory, checkImagesExist, readJsonFile } from './json-file.js';
import { PngWriter, ensureDirectory } from './write-images.js';

/** Number of human answers per question in VQA v2 (the soft accuracy is min(#matching / 3, 1) averaged over its 10 leave-one-out subsets). */
export const VQA_ANSWERS_PER_QUESTION = 10;

/** The COCO image file name of `imageId` in `dataSubtype` (`COCO_val2014_000000262148.jpg`). */
export function cocoImageFileName(dataSubtype: string, imageId: number, extension = '.jpg'): string {
  return `COCO_${dataSubtype}_${String(imageId).padStart(12, '0')}${extension}`;
}

/** The files {@link exportVqaV2} wrote for one split. */
export interface VqaV2SplitFiles {
  readonly questionsPath: string;
  readonly annotationsPath: string;
  /** The directory to pass to {@link loadVqaV2} as `imageRoot` (`<dir>/images/<split>`). */
  readonly imageRoot: string;
  /** `data_subtype` of both files: the split name. */
  readonly dataSubtype: string;
  readonly questions: number;
}

/** What {@link exportVqaV2} wrote. */
export interface VqaV2Export {
  readonly splits: Readonly<Partial<Record<ShapesVLSplit, VqaV2SplitFiles>>>;
  readonly images: number;
}

const INFO = { description: 'Shapes-VL visual questions (procedural, @vlp/data)', version: '1.0' };
const LICENSE = { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' };

/**
 * Writes samples in the VQA v2 format, one pair of files per split present:
 * `<dir>/v2_OpenEnded_shapesvl_<split>_questions.json`, `<dir>/v2_shapesvl_<split>_annotations.json`
 * (`data_type` "shapesvl", `data_subtype` = split), and PNGs at
 * `<dir>/images/<split>/COCO_<split>_<imageId, 12 digits>.png`. Question ids are
 * `imageId · 1000 + question index`; each question's 10 answers are its one correct answer (the
 * data are synthetic, so the "annotators" agree). Files are written atomically.
 */
export async function exportVqaV2(dir: string, samples: Iterable<ShapesVLSample>): Promise<VqaV2Export> {
  await ensureDirectory(dir);
  const writer = new PngWriter();
  const perSplit = new Map<ShapesVLSplit, { questions: unknown[]; annotations: unknown[] }>();
  for (const sample of samples) {
    let acc = perSplit.get(sample.split);
    if (!acc) {
      acc = { questions: [], annotations: [] };
      perSplit.set(sample.split, acc);
    }
    await writer.add(join(dir, 'images', sample.split, cocoImageFileName(sample.split, sample.imageId, '.png')), sample.image);
    sample.questions.forEach((q, k) => {
      const questionId = sample.imageId * 1000 + k;
      acc.questions.push({ image_id: sample.imageId, question: q.question, question_id: questionId });
      acc.annotations.push({
        question_type: q.questionType,
        multiple_choice_answer: q.answer,
        answers: Array.from({ length: VQA_ANSWERS_PER_QUESTION }, (_, a) => ({ answer: q.answer, answer_confidence: 'yes', answer_id: a + 1 })),
        image_id: sample.imageId,
        answer_type: q.answerType,
        question_id: questionId,
      });
    });
  }
  await writer.done();
  const splits: Partial<Record<ShapesVLSplit, VqaV2SplitFiles>> = {};
  for (const [split, acc] of perSplit) {
    const questionsPath = join(dir, `v2_OpenEnded_shapesvl_${split}_questions.json`);
    const annotationsPath = join(dir, `v2_shapesvl_${split}_annotations.json`);
    const common = { info: INFO, license: LICENSE, data_type: 'shapesvl', data_subtype: split };
    await atomicWriteFile(questionsPath, `${JSON.stringify({ ...common, task_type: 'Open-Ended', questions: acc.questions })}\n`);
    await atomicWriteFile(annotationsPath, `${JSON.stringify({ ...common, annotations: acc.annotations })}\n`);
    splits[split] = { questionsPath, annotationsPath, imageRoot: join(dir, 'images', split), dataSubtype: split, questions: acc.questions.length };
  }
  return { splits, images: writer.count };
}

/** One VQA question, joined with its annotation when annotations were given. */
export interface VqaRecord {
  readonly questionId: number;
  readonly imageId: number;
  readonly question: string;
  readonly imagePath: string;
  /** The human answers, in file order (10 in VQA v2), for the soft VQA accuracy. Absent without annotations. */
  readonly answers?: readonly string[];
  /** The most common answer (`multiple_choice_answer`). */
  readonly multipleChoiceAnswer?: string;
  /** "yes/no", "number" or "other". */
  readonly answerType?: string;
  readonly questionType?: string;
}

/** A loaded VQA v2 question file (with its annotations when given). */
export interface VqaV2Dataset {
  readonly dataType: string;
  readonly dataSubtype: string;
  readonly questions: readonly VqaRecord[];
}

/** Options of {@link loadVqaV2}. */
export interface LoadVqaV2Options {
  /**
   * The image file of a question, relative to `imageRoot`. Default: the COCO name
   * `COCO_<data_subtype>_<image_id, 12 digits>` with `.jpg`, or `.png` when the first question's
   * `.jpg` does not exist but its `.png` does (as in {@link exportVqaV2}'s output).
   */
  readonly imageFile?: (imageId: number, dataSubtype: string) => string;
  /** Check that every image file exists (default false). */
  readonly checkImages?: boolean;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Loads VQA v2 questions and, unless `annotationsPath` is undefined (test-dev / test-std have no
 * public annotations), their annotations, joined by `question_id`. Throws `IoError` when a file or
 * `imageRoot` cannot be read, and `InvalidArgumentError` naming the file for malformed content, a
 * question without annotation, or an annotation whose `image_id` disagrees with its question's.
 */
export async function loadVqaV2(questionsPath: string, annotationsPath: string | undefined, imageRoot: string, options: LoadVqaV2Options = {}): Promise<VqaV2Dataset> {
  const hint = 'Expected the VQA v2 format (v2_OpenEnded_mscoco_*_questions.json / v2_mscoco_*_annotations.json).';
  const qf = new JsonFields(questionsPath, 'VQA questions file', hint);
  const qRoot = qf.object(await readJsonFile(questionsPath, 'VQA questions file'), 'the top level');
  await checkDirectory(imageRoot, 'image root directory');
  const dataType = qf.optionalString(qRoot.data_type, 'data_type') ?? '';
  const dataSubtype = qf.optionalString(qRoot.data_subtype, 'data_subtype') ?? '';
  const questions = qf.array(qRoot.questions, 'questions').map((value, i) => {
    const q = qf.object(value, `questions[${i}]`);
    return {
      questionId: qf.integer(q.question_id, `questions[${i}].question_id`),
      imageId: qf.integer(q.image_id, `questions[${i}].image_id`),
      question: qf.string(q.question, `questions[${i}].question`),
    };
  });

  let imageFile = options.imageFile;
  if (imageFile === undefined) {
    if (dataSubtype === '') qf.fail('data_subtype', 'a string naming the image set (e.g. "val2014"), or pass options.imageFile', qRoot.data_subtype);
    let extension = '.jpg';
    if (questions.length > 0) {
      const first = questions[0].imageId;
      if (!(await exists(join(imageRoot, cocoImageFileName(dataSubtype, first, '.jpg')))) && (await exists(join(imageRoot, cocoImageFileName(dataSubtype, first, '.png'))))) {
        extension = '.png';
      }
    }
    imageFile = (imageId, subtype) => cocoImageFileName(subtype, imageId, extension);
  }
  const resolve = imageFile;

  let annotations: Map<number, Omit<VqaRecord, 'questionId' | 'question' | 'imagePath'>> | undefined;
  if (annotationsPath !== undefined) {
    const af = new JsonFields(annotationsPath, 'VQA annotations file', hint);
    const aRoot = af.object(await readJsonFile(annotationsPath, 'VQA annotations file'), 'the top level');
    annotations = new Map();
    af.array(aRoot.annotations, 'annotations').forEach((value, i) => {
      const at = `annotations[${i}]`;
      const a = af.object(value, at);
      const questionId = af.integer(a.question_id, `${at}.question_id`);
      const answers = af.array(a.answers, `${at}.answers`).map((ans, j) => af.string(af.object(ans, `${at}.answers[${j}]`).answer, `${at}.answers[${j}].answer`));
      if (answers.length === 0) af.fail(`${at}.answers`, 'a non-empty array', a.answers);
      annotations?.set(questionId, {
        imageId: af.integer(a.image_id, `${at}.image_id`),
        answers,
        multipleChoiceAnswer: af.string(a.multiple_choice_answer, `${at}.multiple_choice_answer`),
        answerType: af.optionalString(a.answer_type, `${at}.answer_type`),
        questionType: af.optionalString(a.question_type, `${at}.question_type`),
      });
    });
  }

  const records: VqaRecord[] = questions.map((q) => {
    const imagePath = join(imageRoot, resolve(q.imageId, dataSubtype));
    if (annotations === undefined) return { ...q, imagePath };
    const a = annotations.get(q.questionId);
    if (a === undefined || a.imageId !== q.imageId) {
      throw new InvalidArgumentError({
        message:
          a === undefined
            ? `The VQA annotations file "${annotationsPath}" has no annotation for question_id ${q.questionId} of "${questionsPath}". Check that both files are of the same split.`
            : `The VQA annotations file "${annotationsPath}" gives image_id ${a.imageId} for question_id ${q.questionId}, but "${questionsPath}" gives ${q.imageId}.`,
        path: annotationsPath,
        actual: q.questionId,
      });
    }
    return { ...q, ...a, imagePath };
  });
  if (options.checkImages) {
    await checkImagesExist(
      records.map((r) => ({ imagePath: r.imagePath, at: `question_id ${r.questionId}` })),
      questionsPath,
    );
  }
  return { dataType, dataSubtype, questions: records };
}
