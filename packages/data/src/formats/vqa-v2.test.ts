import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IoError, InvalidArgumentError, type VlpError } from '@vlp/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readPng } from '../image/png.js';
import { iterateShapesVL } from '../shapes-vl/generate.js';
import { sha256, tempDir } from '../test-fixtures.js';
import { cocoImageFileName, exportVqaV2, loadVqaV2 } from './vqa-v2.js';

/** GOLDEN sha256 of the exported VQA v2 files of test 0–5 (seed 0). */
const GOLDEN_QUESTIONS = '6b0e10275f7158e5da23de4862102ae52edcd7f70089a11f06f2c360f3a8bc70';
const GOLDEN_ANNOTATIONS = '772e5357a1e7f7c42608f6e4dc0a0fe8c64f3583ffd6f1db6ed329f800ea9159';

/** Hand-written excerpts in the layout of v2_OpenEnded_mscoco_val2014_questions.json / v2_mscoco_val2014_annotations.json. */
const QUESTIONS = {
  info: { description: 'This is v2.0 of the VQA dataset.', url: 'http://visualqa.org', version: '2.0', year: 2017, contributor: 'VQA Team', date_created: '2017-04-26 17:07:13' },
  task_type: 'Open-Ended',
  data_type: 'mscoco',
  license: { url: 'http://creativecommons.org/licenses/by/4.0/', name: 'Creative Commons Attribution 4.0 International License' },
  data_subtype: 'val2014',
  questions: [
    { image_id: 262148, question: 'Where is he looking?', question_id: 262148000 },
    { image_id: 262148, question: 'What are the people in the background doing?', question_id: 262148001 },
    { image_id: 393225, question: 'Is the sky blue?', question_id: 393225000 },
  ],
};

const tenAnswers = (answers: string[]) => answers.map((answer, i) => ({ answer, answer_confidence: 'yes', answer_id: i + 1 }));

const ANNOTATIONS = {
  info: QUESTIONS.info,
  license: QUESTIONS.license,
  data_subtype: 'val2014',
  annotations: [
    {
      question_type: 'none of the above',
      multiple_choice_answer: 'down',
      answers: tenAnswers(['down', 'down', 'at table', 'skateboard', 'down', 'table', 'down', 'down', 'down', 'down']),
      image_id: 262148,
      answer_type: 'other',
      question_id: 262148000,
    },
    {
      question_type: 'what are the',
      multiple_choice_answer: 'watching',
      answers: tenAnswers(['spectating', 'watching', 'watching', 'watching', 'watching', 'watching', 'standing', 'watching', 'watching', 'watching']),
      image_id: 262148,
      answer_type: 'other',
      question_id: 262148001,
    },
    {
      question_type: 'is the',
      multiple_choice_answer: 'yes',
      answers: tenAnswers(['yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'yes', 'no', 'yes']),
      image_id: 393225,
      answer_type: 'yes/no',
      question_id: 393225000,
    },
  ],
  data_type: 'mscoco',
};

describe('vqa v2', () => {
  const tmp = tempDir('vqa');
  afterAll(async () => (await tmp).cleanup());

  async function writeJson(name: string, value: unknown): Promise<string> {
    const file = path.join((await tmp).dir, name);
    await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  }

  describe('exportVqaV2 → loadVqaV2', () => {
    it('round-trips questions, ten answers per question, types and pixels; the JSON is byte-stable', async () => {
      const dir = path.join((await tmp).dir, 'export');
      const test = [...iterateShapesVL({ split: 'test', count: 6, size: 32 })];
      const train = [...iterateShapesVL({ split: 'train', count: 2, size: 32 })];
      const written = await exportVqaV2(dir, [...test, ...train]);
      expect(written.images).toBe(8);
      const files = written.splits.test;
      if (!files) throw new Error('no test files');
      expect(files).toMatchObject({ dataSubtype: 'test', questions: 54, imageRoot: path.join(dir, 'images', 'test') });
      expect(written.splits.train?.questions).toBe(18);
      expect(sha256(await readFile(files.questionsPath))).toBe(GOLDEN_QUESTIONS);
      expect(sha256(await readFile(files.annotationsPath))).toBe(GOLDEN_ANNOTATIONS);

      const loaded = await loadVqaV2(files.questionsPath, files.annotationsPath, files.imageRoot, { checkImages: true });
      expect(loaded).toMatchObject({ dataType: 'shapesvl', dataSubtype: 'test' });
      const expected = test.flatMap((s) =>
        s.questions.map((q, k) => ({
          questionId: s.imageId * 1000 + k,
          imageId: s.imageId,
          question: q.question,
          imagePath: path.join(files.imageRoot, cocoImageFileName('test', s.imageId, '.png')),
          answers: new Array(10).fill(q.answer),
          multipleChoiceAnswer: q.answer,
          answerType: q.answerType,
          questionType: q.questionType,
        })),
      );
      expect(loaded.questions).toEqual(expected);
      expect(await readPng(loaded.questions[9].imagePath)).toEqual(test[1].image);
    });
  });

  describe('loadVqaV2 on hand-written files', () => {
    it('joins questions and annotations and resolves COCO image names', async () => {
      const q = await writeJson('v2_OpenEnded_mscoco_val2014_questions.json', QUESTIONS);
      const a = await writeJson('v2_mscoco_val2014_annotations.json', ANNOTATIONS);
      const root = path.join((await tmp).dir, 'val2014');
      await mkdir(root, { recursive: true });
      await writeFile(path.join(root, 'COCO_val2014_000000262148.jpg'), '');
      await writeFile(path.join(root, 'COCO_val2014_000000393225.jpg'), '');
      const loaded = await loadVqaV2(q, a, root, { checkImages: true });
      expect(loaded.dataType).toBe('mscoco');
      expect(loaded.dataSubtype).toBe('val2014');
      expect(loaded.questions[0]).toEqual({
        questionId: 262148000,
        imageId: 262148,
        question: 'Where is he looking?',
        imagePath: path.join(root, 'COCO_val2014_000000262148.jpg'),
        answers: ['down', 'down', 'at table', 'skateboard', 'down', 'table', 'down', 'down', 'down', 'down'],
        multipleChoiceAnswer: 'down',
        answerType: 'other',
        questionType: 'none of the above',
      });
      expect(loaded.questions[2].answers?.filter((x) => x === 'yes')).toHaveLength(9);
    });

    it('loads questions alone (test-dev) and with a custom image naming', async () => {
      const q = await writeJson('v2_OpenEnded_mscoco_test-dev2015_questions.json', { ...QUESTIONS, data_subtype: 'test-dev2015' });
      const root = (await tmp).dir;
      const loaded = await loadVqaV2(q, undefined, root, { imageFile: (id) => `images/${id}.jpg` });
      expect(loaded.questions.map((r) => [r.questionId, r.imagePath, r.answers])).toEqual([
        [262148000, path.join(root, 'images', '262148.jpg'), undefined],
        [262148001, path.join(root, 'images', '262148.jpg'), undefined],
        [393225000, path.join(root, 'images', '393225.jpg'), undefined],
      ]);
      const plain = await loadVqaV2(q, undefined, root);
      expect(plain.questions[0].imagePath).toBe(path.join(root, 'COCO_test-dev2015_000000262148.jpg'));
    });

    it('throws typed errors naming the file for malformed or inconsistent content', async () => {
      const root = (await tmp).dir;
      const q = await writeJson('q.json', QUESTIONS);
      const cases: [string, string, unknown, RegExp][] = [
        ['questions', 'q-bad.json', { ...QUESTIONS, questions: [{ image_id: 1, question_id: 2 }] }, /questions\[0\]\.question must be a string/],
        ['questions', 'q-nosub.json', { questions: [] }, /data_subtype must be a string naming the image set/],
        ['annotations', 'a-noanswers.json', { ...ANNOTATIONS, annotations: [{ ...ANNOTATIONS.annotations[0], answers: [] }] }, /annotations\[0\]\.answers must be a non-empty array/],
        ['annotations', 'a-badanswer.json', { ...ANNOTATIONS, annotations: [{ ...ANNOTATIONS.annotations[0], answers: [{ answer: 3 }] }] }, /annotations\[0\]\.answers\[0\]\.answer must be a string/],
        ['annotations', 'a-missing.json', { ...ANNOTATIONS, annotations: ANNOTATIONS.annotations.slice(0, 2) }, /no annotation for question_id 393225000/],
        ['annotations', 'a-image.json', { ...ANNOTATIONS, annotations: [ANNOTATIONS.annotations[0], ANNOTATIONS.annotations[1], { ...ANNOTATIONS.annotations[2], image_id: 7 }] }, /image_id 7 for question_id 393225000/],
        ['annotations', 'a-json.json', '{', /not valid JSON/],
      ];
      for (const [which, name, content, message] of cases) {
        const file = await writeJson(name, content);
        const error = await (which === 'questions' ? loadVqaV2(file, undefined, root) : loadVqaV2(q, file, root)).catch((e: unknown) => e);
        expect(InvalidArgumentError.isInstance(error), name).toBe(true);
        expect((error as VlpError).path, name).toBe(file);
        expect((error as Error).message, name).toMatch(message);
      }
      await expect(loadVqaV2(path.join(root, 'none.json'), undefined, root)).rejects.toThrow(IoError);
      await expect(loadVqaV2(q, path.join(root, 'none.json'), root)).rejects.toThrow(/none\.json/);
      const missingImage = await loadVqaV2(q, undefined, root, { checkImages: true }).catch((e: unknown) => e);
      expect(IoError.isInstance(missingImage)).toBe(true);
      expect((missingImage as Error).message).toContain('q.json');
    });
  });
});
