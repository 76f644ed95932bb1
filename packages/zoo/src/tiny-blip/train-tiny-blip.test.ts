import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, readSafetensors, VlpError } from '@vlp/core';
import { BlipForConditionalGeneration, BlipForQuestionAnswering, type BlipModel, loadModel } from '@vlp/models';
import type { TrainEvent } from '@vlp/tasks';
import type { TinyBlipName } from './tiny-blip-config.js';
import { trainTinyBlip } from './train-tiny-blip.js';

const SIDE_FILES = ['added_tokens.json', 'config.json', 'model.safetensors', 'preprocessor_config.json', 'special_tokens_map.json', 'tokenizer_config.json', 'vocab.txt'];

describe('trainTinyBlip', () => {
  let tmp: string;
  beforeAll(async () => {
    await initBackend();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'vlp-zoo-train-blip-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const run = async (name: TinyBlipName, dir: string, events?: TrainEvent[], recipe: 'pixels' | 'clip-vision' = 'clip-vision') => {
    const { result, saved, model } = await trainTinyBlip(name, {
      recipe,
      outDir: path.join(tmp, dir, 'out'),
      runDir: path.join(tmp, dir, 'run'),
      initFrom: name === 'tiny-blip-itm' ? undefined : path.join(tmp, 'itm-a', 'run', 'pretrained'),
      steps: 2,
      finetuneSteps: name === 'tiny-blip-itm' ? 1 : undefined,
      decoderFirstSteps: name === 'tiny-blip-vqa' ? 0 : undefined,
      visionSteps: name === 'tiny-blip-itm' && recipe === 'clip-vision' ? 1 : undefined,
      textSteps: name === 'tiny-blip-itm' && recipe === 'clip-vision' ? 1 : undefined,
      visionFitImages: recipe === 'clip-vision' ? 8 : undefined,
      batchSize: 4,
      trainImages: 8,
      warmupSteps: 1,
      checkpointEvery: 1,
      onEvent: (e) => events?.push(e),
    });
    await model.dispose();
    return { result, saved };
  };

  it('clip-vision with textFirst: the text stage runs before the first stage (pretrained/ is after both)', async () => {
    const events: TrainEvent[] = [];
    const { model } = await trainTinyBlip('tiny-blip-itm', {
      recipe: 'clip-vision', textFirst: 1, outDir: path.join(tmp, 'first', 'out'), runDir: path.join(tmp, 'first', 'run'),
      steps: 1, finetuneSteps: 1, visionSteps: 1, textSteps: 1, visionFitImages: 8, batchSize: 4, trainImages: 8, warmupSteps: 1, checkpointEvery: 1,
      onEvent: (e) => events.push(e),
    });
    await model.dispose();
    expect(events.filter((e) => e.type === 'checkpoint-end').map((e) => path.basename((e as { dir: string }).dir))).toEqual(['trainer-vision', 'trainer-text', 'trainer', 'trainer-finetune']);
  });

  it('the pixels recipe trains tiny-blip-itm on pixels (16-px patches, every weight trains)', async () => {
    const { result, saved } = await run('tiny-blip-itm', 'shipped', undefined, 'pixels');
    expect(result.losses).toHaveLength(3);
    const [trained, init] = [await loadModel(saved.dir), await loadModel(path.join(tmp, 'shipped', 'run', 'pretrained'))];
    expect(trained.config.vision).toMatchObject({ patchSize: 16, hiddenAct: 'gelu' });
    const name = 'vision_model.encoder.layers.1.mlp.fc1.weight';
    expect(Buffer.from(trained.params.get(name).data.buffer).equals(Buffer.from(init.params.get(name).data.buffer))).toBe(false);
    await Promise.all([trained.dispose(), init.dispose()]);
  });

  it('clip-vision: tiny-blip-itm (vision from tiny-clip, ITC + ITM, text stage, caption negatives) is reproducible: same seed, byte-identical checkpoint', async () => {
    const events: TrainEvent[] = [];
    const a = await run('tiny-blip-itm', 'itm-a', events);
    const b = await run('tiny-blip-itm', 'itm-b');
    expect(a.result.losses).toEqual(b.result.losses);
    expect(a.result.losses.every(Number.isFinite)).toBe(true);
    expect(a.result.losses).toHaveLength(4);
    // vision stage (1 step), text stage (1 step; the recipe runs it first), stage 1 (2 steps), stage 2 (1 step)
    expect(events.filter((e) => e.type === 'checkpoint-end').map((e) => [e.step, path.basename(e.dir)])).toEqual([
      [1, 'trainer-vision'], [1, 'trainer-text'], [1, 'trainer'], [2, 'trainer'], [1, 'trainer-finetune'],
    ]);
    expect(readdirSync(path.join(tmp, 'itm-a', 'run', 'pretrained'))).toContain('model.safetensors');
    expect(readFileSync(path.join(a.saved.dir, 'model.safetensors')).equals(readFileSync(path.join(b.saved.dir, 'model.safetensors')))).toBe(true);
    expect([...a.saved.files].sort()).toEqual(SIDE_FILES);
  });

  it.each([
    // they start from the retrieval model after its first stage (run/pretrained)
    ['tiny-blip-caption', BlipForConditionalGeneration, 'text_decoder.bert.encoder.layer.3.crossattention.self.key.weight'],
    ['tiny-blip-vqa', BlipForQuestionAnswering, 'text_encoder.encoder.layer.3.crossattention.self.key.weight'],
  ] as const)('clip-vision: %s starts from the retrieval checkpoint, keeps its vision tower, and saves with generation_config.json', async (name, cls, textWeight) => {
    const { result, saved } = await run(name, name);
    expect(result.losses.every(Number.isFinite)).toBe(true);
    expect([...saved.files].sort()).toEqual([...SIDE_FILES, 'generation_config.json'].sort());
    const [itm, trained] = [await loadModel(path.join(tmp, 'itm-a', 'run', 'pretrained')), (await loadModel(saved.dir)) as BlipModel];
    expect(trained).toBeInstanceOf(cls);
    const source = itm.params.get('text_encoder.encoder.layer.3.crossattention.self.key.weight').data;
    const moved = trained.params.get(textWeight).data;
    // two small AdamW steps from the copied values: close, not equal
    let maxDiff = 0;
    source.forEach((v, i) => { maxDiff = Math.max(maxDiff, Math.abs(v - (moved[i] as number))); });
    expect(maxDiff).toBeGreaterThan(0);
    expect(maxDiff).toBeLessThan(0.01);
    // the recipe freezes the vision tower: trained on its cached embeddings, it is the retrieval model's, bit for bit
    for (const frozen of ['vision_model.encoder.layers.1.mlp.fc1.weight', 'vision_model.embeddings.patch_embedding.weight']) {
      expect(Buffer.from(trained.params.get(frozen).data.buffer).equals(Buffer.from(itm.params.get(frozen).data.buffer)), frozen).toBe(true);
    }
    await Promise.all([itm.dispose(), trained.dispose()]);
  });

  it('clip-vision VQA with decoderFirstSteps: the answer decoder trains alone first, then the question encoder with it', async () => {
    const events: TrainEvent[] = [];
    const { model } = await trainTinyBlip('tiny-blip-vqa', {
      recipe: 'clip-vision', initFromFinal: 0, decoderFirstSteps: 1, steps: 3, batchSize: 4, trainImages: 8, warmupSteps: 1, checkpointEvery: 1,
      outDir: path.join(tmp, 'lpft', 'out'), runDir: path.join(tmp, 'lpft', 'run'), initFrom: path.join(tmp, 'itm-a', 'run', 'pretrained'),
      onEvent: (e) => events.push(e),
    });
    await model.dispose();
    expect(events.filter((e) => e.type === 'checkpoint-end').map((e) => [e.step, path.basename((e as { dir: string }).dir)])).toEqual([[1, 'trainer-decoder'], [1, 'trainer'], [2, 'trainer']]);
    const [itm, phase1, trained] = [await loadModel(path.join(tmp, 'itm-a', 'run', 'pretrained')), await readSafetensors(path.join(tmp, 'lpft', 'run', 'trainer-decoder', 'step-1', 'params.safetensors')), await loadModel(path.join(tmp, 'lpft', 'out'))];
    const encoder = 'text_encoder.encoder.layer.2.crossattention.self.value.weight';
    const same = (x: Float32Array, y: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
    // phase 1 trains (and checkpoints) the answer decoder only; the encoder is not among its parameters
    expect(phase1.names.every((n) => n.startsWith('text_decoder.'))).toBe(true);
    expect(phase1.names.length).toBeGreaterThan(50);
    expect(same(trained.params.get(encoder).data, itm.params.get(encoder).data)).toBe(false); // trained in phase 2
    const decoder = 'text_decoder.bert.encoder.layer.2.crossattention.self.value.weight';
    expect(same(await phase1.readFloat32(decoder), itm.params.get(encoder).data)).toBe(false); // the decoder moved in phase 1
    await phase1.close();
    await Promise.all([itm.dispose(), trained.dispose()]);
    const bad = await trainTinyBlip('tiny-blip-caption', { recipe: 'clip-vision', decoderFirstSteps: 1, outDir: path.join(tmp, 'r'), runDir: path.join(tmp, 'r-run'), initFrom: path.join(tmp, 'none') }).catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/decoderFirstSteps applies to tiny-blip-vqa only/);
    const tooMany = await trainTinyBlip('tiny-blip-vqa', { recipe: 'clip-vision', decoderFirstSteps: 3, steps: 3, outDir: path.join(tmp, 'q'), runDir: path.join(tmp, 'q-run'), initFrom: path.join(tmp, 'none') }).catch((e: unknown) => e);
    expect((tooMany as Error).message).toMatch(/decoderFirstSteps must be an integer in \[0, steps = 3\)/);
    // the recipe's 500 decoder-only steps do not fit in a shorter run: the error says which flag to lower
    const shortRun = await trainTinyBlip('tiny-blip-vqa', { steps: 100, outDir: path.join(tmp, 'q2'), runDir: path.join(tmp, 'q2-run'), initFrom: path.join(tmp, 'none') }).catch((e: unknown) => e);
    expect((shortRun as Error).message).toMatch(/\[0, steps = 100\); got 500 \(with fewer steps, lower decoderFirstSteps too: --decoder-first-steps\)/);
  });

  it('rejects a caption or VQA run without initFrom, and an unknown name', async () => {
    const missing = await trainTinyBlip('tiny-blip-vqa', { outDir: path.join(tmp, 'x'), runDir: path.join(tmp, 'x-run'), steps: 1 }).catch((e: unknown) => e);
    expect(VlpError.isInstance(missing, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((missing as Error).message).toMatch(/initFrom/);
    const unknown = await trainTinyBlip('tiny-blip-huge' as TinyBlipName, { outDir: path.join(tmp, 'y'), runDir: path.join(tmp, 'y-run') }).catch((e: unknown) => e);
    expect(VlpError.isInstance(unknown, 'VLP_INVALID_ARGUMENT')).toBe(true);
    const encItm = await trainTinyBlip('tiny-blip-itm', { outDir: path.join(tmp, 'w'), runDir: path.join(tmp, 'w-run'), encQuestions: 1 }).catch((e: unknown) => e);
    expect(VlpError.isInstance(encItm, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((encItm as Error).message).toMatch(/tiny-blip-vqa only/);
    expect(existsSync(path.join(tmp, 'w-run'))).toBe(false); // refused before anything is written
    const finalItm = await trainTinyBlip('tiny-blip-itm', { outDir: path.join(tmp, 'v'), runDir: path.join(tmp, 'v-run'), initFromFinal: 1 }).catch((e: unknown) => e);
    expect(VlpError.isInstance(finalItm, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((finalItm as Error).message).toMatch(/initFromFinal/);
    // the object term belongs to a vision stage: not the pixels recipe (visionSteps 0), not caption / VQA
    const objectPixels = await trainTinyBlip('tiny-blip-itm', { recipe: 'pixels', outDir: path.join(tmp, 'u'), runDir: path.join(tmp, 'u-run'), visionObjectWeight: 1 }).catch((e: unknown) => e);
    expect((objectPixels as Error).message).toMatch(/visionObjectWeight.*visionSteps 0/);
    const objectVqa = await trainTinyBlip('tiny-blip-vqa', { recipe: 'clip-vision', outDir: path.join(tmp, 't'), runDir: path.join(tmp, 't-run'), initFrom: path.join(tmp, 'none'), visionObjectWeight: 1 }).catch((e: unknown) => e);
    expect(VlpError.isInstance(objectVqa, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((objectVqa as Error).message).toMatch(/visionObjectWeight applies to the vision stage of tiny-blip-itm/);
    const negative = await trainTinyBlip('tiny-blip-itm', { recipe: 'clip-vision', outDir: path.join(tmp, 's'), runDir: path.join(tmp, 's-run'), visionObjectWeight: -1 }).catch((e: unknown) => e);
    expect((negative as Error).message).toMatch(/≥ 0/);
    expect(existsSync(path.join(tmp, 's-run')) || existsSync(path.join(tmp, 't-run')) || existsSync(path.join(tmp, 'u-run'))).toBe(false);
  });

  it('refuses to resume a run made with another recipe', async () => {
    const error = await trainTinyBlip('tiny-blip-itm', { outDir: path.join(tmp, 'z'), runDir: path.join(tmp, 'itm-a', 'run'), steps: 2, batchSize: 8, trainImages: 8 }).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/another recipe/);
  });
});
