import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportImageFolders, exportKarpathyJson, exportVqaV2, shapesVLSample } from '@vlp/data';
import { createPrunerRegistry } from '@vlp/core';
import { baselinePruners } from '@vlp/baselines';
import { tempDir, tinySuite } from '../__tests__/helpers.js';
import { runBench } from '../run/run-bench.js';
import { dataDirData } from './data-dir.js';

describe('--data-dir: real-dataset layouts from a local directory', () => {
  const tmp = tempDir();
  const data = path.join(tmp.dir, 'data');
  beforeAll(async () => {
    const samples = [...Array.from({ length: 4 }, (_, i) => shapesVLSample(0, 'train', i, 40)), ...Array.from({ length: 3 }, (_, i) => shapesVLSample(0, 'test', i, 40))];
    await exportKarpathyJson(data, samples);
    await exportImageFolders(path.join(data, 'image-folders'), samples);
    await exportVqaV2(path.join(data, 'vqa'), samples.filter((s) => s.split === 'test'));
  });
  afterAll(() => tmp.cleanup());

  it('reads every task set and training examples from the exporters’ layout', async () => {
    const d = dataDirData(data);
    const retrieval = await d.retrieval(10, 0);
    expect(retrieval.images).toHaveLength(3);
    expect(retrieval.texts).toHaveLength(15);
    expect(retrieval.images[0]).toMatchObject({ width: 40, height: 40 });
    const zs = await d.zeroShot(2, 0);
    expect(zs.images).toHaveLength(2);
    expect(zs.classNames).toHaveLength(64);
    expect(zs.classNames[0]).not.toContain('_');
    const vqa = await d.vqa(2, 0);
    expect(vqa.images).toHaveLength(2);
    expect(vqa.questions.length).toBe(18);
    expect(vqa.questions[0]?.answers).toHaveLength(10);
    expect((await d.captioning(3, 0)).references[2]).toHaveLength(5);
    expect(await d.trainSize()).toBe(4);
    expect((await d.trainExample(5, 0)).caption).toBe(shapesVLSample(0, 'train', 1, 40).captions[0]);
  });

  it('runs a benchmark on it, recording the data directory, and names a missing part', async () => {
    const registry = createPrunerRegistry(baselinePruners());
    const result = await runBench({ suite: tinySuite({ pruners: ['magnitude'] }), runDir: path.join(tmp.dir, 'run'), registry, dataDir: data });
    expect(result.status).toBe('complete');
    expect(result.manifest.data.id).toBe(`dir:${data}`);
    expect(result.records[0]?.metrics.oneShot.retrieval?.['i2t.r1']).toBeTypeOf('number');
    const empty = path.join(tmp.dir, 'empty-data');
    await exportVqaV2(empty, [shapesVLSample(0, 'test', 0, 40)]);
    await expect(dataDirData(empty).retrieval(1, 0)).rejects.toThrowError(/has no Karpathy split file \(dataset_\*\.json\)/);
    await expect(dataDirData(empty).zeroShot(1, 0)).rejects.toThrowError(/no image-folders\/test\/<class>\//);
  });
});
