import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, VlpError } from '@vlp/core';
import { type ClipModel, loadModel } from '@vlp/models';
import type { TrainEvent } from '@vlp/tasks';
import { trainTinyClip } from './train-tiny-clip.js';

describe('trainTinyClip', () => {
  let tmp: string;
  beforeAll(async () => {
    await initBackend();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'vlp-zoo-train-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const run = async (name: string, events?: TrainEvent[]) => {
    const { result, saved, model } = await trainTinyClip({
      outDir: path.join(tmp, name, 'out'),
      runDir: path.join(tmp, name, 'run'),
      steps: 2,
      batchSize: 4,
      trainImages: 8,
      warmupSteps: 1,
      checkpointEvery: 1,
      onEvent: (e) => events?.push(e),
    });
    await model.dispose();
    return { result, saved };
  };

  it('is reproducible: same seed, byte-identical checkpoint with the tokenizer and preprocessor files', async () => {
    const events: TrainEvent[] = [];
    const a = await run('a', events);
    const b = await run('b');
    expect(a.result.losses).toEqual(b.result.losses);
    expect(a.result.losses.every(Number.isFinite)).toBe(true);
    expect(events.filter((e) => e.type === 'checkpoint-end').map((e) => e.step)).toEqual([1, 2]);
    expect(readFileSync(path.join(a.saved.dir, 'model.safetensors')).equals(readFileSync(path.join(b.saved.dir, 'model.safetensors')))).toBe(true);
    expect([...a.saved.files].sort()).toEqual(
      ['config.json', 'merges.txt', 'model.safetensors', 'preprocessor_config.json', 'special_tokens_map.json', 'tokenizer_config.json', 'vocab.json'],
    );
    const model = (await loadModel(a.saved.dir)) as ClipModel;
    expect(model.tokenizer?.maxLength).toBe(32);
    await model.dispose();
  });

  it('refuses to resume a run made with another recipe', async () => {
    const error = await trainTinyClip({ outDir: path.join(tmp, 'x'), runDir: path.join(tmp, 'a', 'run'), steps: 2, batchSize: 8, trainImages: 8 }).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/another recipe/);
  });

  it('rejects a negative object weight before writing anything', async () => {
    const error = await trainTinyClip({ outDir: path.join(tmp, 'o'), runDir: path.join(tmp, 'o-run'), objectWeight: -1 }).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/objectWeight/);
    expect(existsSync(path.join(tmp, 'o-run'))).toBe(false);
  });

  it('resumes a finished run from its last trainer checkpoint without training again', async () => {
    const events: TrainEvent[] = [];
    const again = await run('a', events);
    expect(again.result.resumedFrom).toBe(2);
    expect(events.some((e) => e.type === 'step-end')).toBe(false);
  });
});
