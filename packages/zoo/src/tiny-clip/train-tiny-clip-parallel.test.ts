import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, VlpError } from '@vlp/core';
import { type ClipModel, createRandomClip } from '@vlp/models';
import { applyHfClipInit } from '../training/hf-clip-init.js';
import { tinyClipConfig } from './tiny-clip-config.js';
import type { TrainEvent } from '@vlp/tasks';
import { checkpointSteps } from '@vlp/tasks';
import { clipTowerOf } from './clip-towers.js';
import { towerCheckpointDir } from './train-clip-tower.js';
import { trainTinyClip } from './train-tiny-clip.js';

// hidden 32, 16-px patches: a small tiny-clip, so that three steps take seconds
const SMALL = { steps: 3, batchSize: 4, trainImages: 8, warmupSteps: 1, checkpointEvery: 1, hiddenSize: 32, patchSize: 16 } as const;

describe('trainTinyClip, tower-parallel (two worker threads)', () => {
  let tmp: string;
  beforeAll(async () => {
    await initBackend();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'vlp-zoo-parallel-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const run = async (name: string, towerParallel: 0 | 1, extra: { labelWeight?: number; hardNegatives?: number; objectWeight?: number; events?: TrainEvent[] } = {}) => {
    const { result, model } = await trainTinyClip({
      ...SMALL,
      labelWeight: extra.labelWeight,
      hardNegatives: extra.hardNegatives,
      objectWeight: extra.objectWeight ?? 0, // the recipe's is 1; these cases name their terms
      towerParallel,
      outDir: path.join(tmp, name, 'out'),
      runDir: path.join(tmp, name, 'run'),
      onEvent: (e) => extra.events?.push(e),
    });
    return { result, model };
  };
  const maxDiff = (a: ClipModel, b: ClipModel) => {
    let worst = { name: '', diff: 0 };
    for (const name of a.params.names()) {
      const x = a.params.get(name).data;
      const y = b.params.get(name).data;
      for (let i = 0; i < x.length; i++) {
        const d = Math.abs((x[i] as number) - (y[i] as number));
        if (d > worst.diff) worst = { name, diff: d };
      }
    }
    return worst;
  };

  it.each([
    ['captions + class prompts', { labelWeight: 1 }],
    ['captions + hard negatives, no prompts', { labelWeight: 0, hardNegatives: 1 }],
    ['captions + class prompts + object term', { labelWeight: 1, objectWeight: 2 }],
  ] as const)('takes the single-thread trainer’s steps (%s): same losses, same weights', async (label, extra) => {
    const tag = label.replace(/\W+/g, '-');
    const events: TrainEvent[] = [];
    const serial = await run(`serial-${tag}`, 0, extra);
    const parallel = await run(`parallel-${tag}`, 1, { ...extra, events });
    try {
      expect(parallel.result.losses).toHaveLength(3);
      parallel.result.losses.forEach((l, i) => expect(l).toBeCloseTo(serial.result.losses[i] as number, 4));
      // it trained: the weights moved from the initial ones by ~lr per step
      const initial = createRandomClip(tinyClipConfig({ hiddenSize: SMALL.hiddenSize, patchSize: SMALL.patchSize }), 0);
      applyHfClipInit(initial);
      expect(maxDiff(serial.model, initial).diff).toBeGreaterThan(1e-3);
      await initial.dispose();
      // AdamW's first steps are ≈ lr·sign(g): equal up to float rounding of the gradients
      expect(maxDiff(parallel.model, serial.model).diff).toBeLessThan(1e-4);
      expect(events.filter((e) => e.type === 'step-end').map((e) => (e as { step: number }).step)).toEqual([1, 2, 3]);
    } finally {
      await Promise.all([serial.model.dispose(), parallel.model.dispose()]);
    }
  });

  it('the object term adds objectWeight × the head\'s loss (≈ the sum of ln(classes) at step 1) and leaves no head in the model', async () => {
    const plain = await run('object-plain', 0, { labelWeight: 1 });
    const object = await run('object-weighted', 0, { labelWeight: 1, objectWeight: 2 });
    try {
      const uniform = Math.log(8) + Math.log(8) + Math.log(2) + Math.log(9);
      expect(Math.abs(((object.result.losses[0] as number) - (plain.result.losses[0] as number)) / 2 - uniform)).toBeLessThan(0.2);
      expect(object.model.params.names()).toEqual(plain.model.params.names());
      expect(maxDiff(object.model, plain.model).name.startsWith('vision_model.') || maxDiff(object.model, plain.model).name.startsWith('visual_projection')).toBe(true);
    } finally {
      await Promise.all([plain.model.dispose(), object.model.dispose()]);
    }
  });

  it('resumes from the newest step both towers have, after a kill between their checkpoint writes', async () => {
    const full = await run('full', 1);
    const cut = await run('cut', 1);
    await cut.model.dispose();
    const runDir = path.join(tmp, 'cut', 'run');
    // the vision thread wrote step 3, the text thread was killed before it did
    expect(checkpointSteps(towerCheckpointDir(runDir, 'vision'))).toEqual([2, 3]);
    rmSync(path.join(towerCheckpointDir(runDir, 'text'), 'step-3'), { recursive: true });
    const events: TrainEvent[] = [];
    const resumed = await run('cut', 1, { events });
    try {
      expect(resumed.result.resumedFrom).toBe(2);
      expect(events.filter((e) => e.type === 'step-end').map((e) => (e as { step: number }).step)).toEqual([3]);
      expect(resumed.result.losses).toEqual(full.result.losses);
      for (const name of full.model.params.names()) expect(Array.from(resumed.model.params.get(name).data), name).toEqual(Array.from(full.model.params.get(name).data));
    } finally {
      await Promise.all([full.model.dispose(), resumed.model.dispose()]);
    }
    // no step in common: refused with the way out
    rmSync(path.join(towerCheckpointDir(runDir, 'text')), { recursive: true });
    const error = await run('cut', 1).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/no step in common \(vision: 2, 3; text: none\).*--no-resume/);
  });

  it('is abortable: both threads stop with VLP_ABORTED and the run resumes from its checkpoint', async () => {
    const controller = new AbortController();
    const error = await trainTinyClip({
      ...SMALL,
      objectWeight: 1,
      towerParallel: 1,
      outDir: path.join(tmp, 'abort', 'out'),
      runDir: path.join(tmp, 'abort', 'run'),
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'checkpoint-end' && e.step === 1) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_ABORTED')).toBe(true);
    const resumed = await run('abort', 1, { objectWeight: 1 });
    expect(resumed.result.resumedFrom).toBeGreaterThanOrEqual(1);
    expect(resumed.result.losses).toHaveLength(3);
    await resumed.model.dispose();
  });

  it('places every CLIP parameter in exactly one tower', () => {
    const model = createRandomClip(tinyClipConfig({ hiddenSize: 32, patchSize: 16 }), 0);
    const towers = model.params.names().map(clipTowerOf);
    expect(towers.filter((t) => t === 'vision').length).toBeGreaterThan(10);
    expect(towers.filter((t) => t === 'text').length).toBeGreaterThan(10);
    expect(clipTowerOf('logit_scale')).toBe('vision');
    expect(() => clipTowerOf('lm_head.weight')).toThrowError(/neither tower/);
    void model.dispose();
  });
});
