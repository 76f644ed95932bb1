import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend, InvalidArgumentError, readSafetensors } from '@vlp/core';
import { blipArchFromConfig } from '../blip/blip-arch.js';
import { compactBlip } from '../blip/blip-compact.js';
import { parseBlipConfig } from '../blip/blip-config.js';
import { expectedBlipParams } from '../blip/blip-params.js';
import { blipView } from '../blip/blip-view.js';
import type { BlipModel } from '../blip/load-blip.js';
import { BLIP_FIXTURE_DIRS, type FixtureBatch, fixtureBatch, loadBlipDir } from '../testing/blip-fixtures.js';
import { saveModel } from './save-model.js';
import { VLP_LAYER_SHAPES_KEY } from './vlp-layer-shapes.js';

type Task = 'retrieval' | 'captioning' | 'vqa';
const TASKS: readonly Task[] = ['retrieval', 'captioning', 'vqa'];

const root = mkdtempSync(path.join(os.tmpdir(), 'vlp-save-blip-'));
let counter = 0;
const fresh = () => path.join(root, `case-${counter++}`);
const sourceConfig = (task: Task) => JSON.parse(readFileSync(path.join(BLIP_FIXTURE_DIRS[task], 'config.json'), 'utf8')) as Record<string, unknown>;

/** Neurons 0..count−1 of every layer of the given blocks. */
const firstNeurons = (blocks: readonly string[], count: number) => blocks.flatMap((b) => Array.from({ length: count }, (_, n) => `${b}.mlp.neuron.${n}`));

describe('saveModel / loadModel (BLIP)', () => {
  const models = {} as Record<Task, BlipModel>;
  const data = {} as Record<Task, FixtureBatch>;

  beforeAll(async () => {
    await initBackend();
    for (const task of TASKS) {
      models[task] = await loadBlipDir(BLIP_FIXTURE_DIRS[task], task);
      data[task] = await fixtureBatch(task);
    }
  });
  afterAll(async () => {
    await Promise.all(Object.values(models).map((m) => m.dispose()));
    tf.dispose(Object.values(data).flatMap((d) => [...d.inputs.values()]));
    rmSync(root, { recursive: true, force: true });
  });

  /** Every output of the view's forward on the fixture inputs, as plain arrays. */
  async function outputs(m: BlipModel): Promise<Record<string, Float32Array>> {
    const run = await blipView(m).run(data[m.task].batch as Parameters<ReturnType<typeof blipView>['run']>[0], { engine: 'onnx' });
    const result = Object.fromEntries(Object.entries(run.outputs).map(([k, v]) => [k, v.dataSync() as Float32Array]));
    run.dispose();
    return result;
  }

  /** Every parameter of `a` equals `b`'s (under `rename`) bit for bit, and nothing else is in `b`. */
  function expectSameParams(a: BlipModel, b: BlipModel, rename: (name: string) => string = (n) => n): void {
    expect(b.params.names().sort()).toEqual(a.params.names().map(rename).sort());
    for (const name of a.params.names()) {
      const [x, y] = [a.params.get(name), b.params.get(rename(name))];
      expect(y.shape, name).toEqual(x.shape);
      expect(Buffer.from(y.data.buffer, y.data.byteOffset, y.data.byteLength).equals(Buffer.from(x.data.buffer, x.data.byteOffset, x.data.byteLength)), name).toBe(true);
    }
  }

  async function saveAndLoad(m: BlipModel): Promise<{ dir: string; geometry: string; config: Record<string, unknown>; reloaded: BlipModel }> {
    const dir = fresh();
    const saved = await saveModel(m, dir);
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    return { dir, geometry: saved.geometry, config, reloaded: await loadBlipDir(dir, m.task) };
  }

  for (const task of TASKS) {
    it(`${task}: dense and masked models keep their config; weights and outputs round-trip exactly`, async () => {
      const dense = await saveAndLoad(models[task]);
      expect(dense.geometry).toBe('config');
      expect(dense.config).toEqual(sourceConfig(task));
      // F32 + {"format":"pt"} + canonical order + only predictions.bias: what save_pretrained wrote.
      expect(readFileSync(path.join(dense.dir, 'model.safetensors')).equals(readFileSync(path.join(BLIP_FIXTURE_DIRS[task], 'model.safetensors')))).toBe(true);
      expect(readFileSync(path.join(dense.dir, 'vocab.txt'), 'utf8')).toBe(readFileSync(path.join(BLIP_FIXTURE_DIRS[task], 'vocab.txt'), 'utf8'));
      expectSameParams(models[task], dense.reloaded);
      expect(await outputs(dense.reloaded)).toEqual(await outputs(models[task]));

      const masked = await loadBlipDir(BLIP_FIXTURE_DIRS[task], task);
      const view = blipView(masked);
      const masks = new Map(view.units.filter((_, i) => i % 3 === 0).map((u) => [u.name, Uint8Array.from({ length: u.shape[0] * u.shape[1] }, (_, j) => j % 2)]));
      view.applyMasks(masks);
      const saved = await saveAndLoad(masked);
      expect(saved.geometry).toBe('config');
      expect(saved.config).toEqual(sourceConfig(task));
      expectSameParams(masked, saved.reloaded);
      const got = await outputs(saved.reloaded);
      expect(got).toEqual(await outputs(masked));
      expect(got[task === 'retrieval' ? 'itm_score' : task === 'captioning' ? 'logits' : 'answer_logits']).not.toEqual((await outputs(models[task]))[task === 'retrieval' ? 'itm_score' : task === 'captioning' ? 'logits' : 'answer_logits']);
      await Promise.all([dense.reloaded.dispose(), saved.reloaded.dispose(), masked.dispose()]);
    });
  }

  for (const [task, seed, layers] of [
    ['retrieval', 11, ['text.0.layer']],
    ['captioning', 12, ['vision.1.layer']],
    ['vqa', 13, ['decoder.1.layer', 'text.0.layer']],
  ] as const) {
    it(`${task}: a compacted model records vlp_layer_shapes (cross-attention included) and reloads exactly`, async () => {
      const model = models[task];
      const rng = createRng(seed);
      const removed = blipView(model)
        .structures.filter((s) => s.kind !== 'layer' && rng.nextFloat() < 0.15)
        .map((s) => s.id);
      const compact = compactBlip(model, { removed: [...removed, ...layers] });
      const { geometry, config, reloaded } = await saveAndLoad(compact);
      expect(geometry).toBe('vlp_layer_shapes');
      const { [VLP_LAYER_SHAPES_KEY]: field, ...rest } = config as Record<string, Record<string, unknown[]>>;
      expect(rest).toEqual(sourceConfig(task)); // the *_config blocks still describe the original model
      expect(Object.keys(field ?? {}).sort()).toEqual(
        ['format_version', 'vision', ...(compact.arch.textEncoder ? ['text_encoder'] : []), ...(compact.arch.textDecoder ? ['text_decoder'] : [])].sort(),
      );
      for (const tower of ['text_encoder', 'text_decoder'] as const) {
        const t = tower === 'text_encoder' ? compact.arch.textEncoder : compact.arch.textDecoder;
        t?.layers.forEach((layer, i) =>
          expect((field?.[tower]?.[i] as Record<string, unknown>).crossattention).toEqual({
            num_attention_heads: layer.cross?.heads,
            head_dim: layer.cross?.headDim,
            attention_scale: layer.cross?.scale,
          }),
        );
      }
      expect(reloaded.arch).toEqual(compact.arch);
      expectSameParams(compact, reloaded);
      expect(await outputs(reloaded)).toEqual(await outputs(compact));
      await Promise.all([reloaded.dispose(), compact.dispose()]);
    });
  }

  it('retrieval: the recorded geometry reads as written (one layer, cross heads and channels sliced)', async () => {
    const compact = compactBlip(models.retrieval, { removed: ['text.1.layer', 'text.0.cross.head.2', 'text.0.cross.channel.5', 'vision.0.attn.head.0', 'vision.1.mlp.neuron.3'] });
    const { config, reloaded } = await saveAndLoad(compact);
    const vision = (index: number, heads: number, mlp: number) => ({ index, num_attention_heads: heads, head_dim: 16, attention_scale: 0.25, intermediate_size: mlp });
    expect(config[VLP_LAYER_SHAPES_KEY]).toEqual({
      format_version: 1,
      vision: [vision(0, 3, 128), vision(1, 4, 127)],
      text_encoder: [
        {
          index: 0,
          num_attention_heads: 4,
          head_dim: 12,
          attention_scale: 12 ** -0.5,
          intermediate_size: 96,
          crossattention: { num_attention_heads: 3, head_dim: 11, attention_scale: 12 ** -0.5 },
        },
      ],
    });
    expect(reloaded.arch.textEncoder?.layerIndices).toEqual([0]);
    expect(reloaded.params.get('text_encoder.encoder.layer.0.crossattention.self.key.weight').shape).toEqual([33, 64]);
    await Promise.all([reloaded.dispose(), compact.dispose()]);
  });

  it('captioning: a uniform reduced geometry gets a stock config transformers can instantiate (layers renumbered)', async () => {
    const model = models.captioning;
    const compact = compactBlip(model, { removed: [...firstNeurons(['vision.0', 'vision.1'], 28), ...firstNeurons(['decoder.1'], 10), 'decoder.0.layer'] });
    const { dir, geometry, config, reloaded } = await saveAndLoad(compact);
    expect(geometry).toBe('stock');
    expect(config[VLP_LAYER_SHAPES_KEY]).toBeUndefined();
    const raw = sourceConfig('captioning') as Record<string, Record<string, unknown>>;
    expect(config.vision_config).toEqual({ ...raw.vision_config, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 100 });
    expect(config.text_config).toEqual({ ...raw.text_config, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 86 });
    const parsed = parseBlipConfig(config);
    const expected = expectedBlipParams(parsed, blipArchFromConfig(parsed));
    const file = await readSafetensors(path.join(dir, 'model.safetensors'));
    try {
      expect([...file.names].sort()).toEqual([...expected.keys()].sort());
      for (const name of file.names) expect(file.info(name).shape, name).toEqual(expected.get(name));
    } finally {
      await file.close();
    }
    expectSameParams(compact, reloaded, (n) => n.replace('text_decoder.bert.encoder.layer.1.', 'text_decoder.bert.encoder.layer.0.'));
    expect(await outputs(reloaded)).toEqual(await outputs(compact));
    await Promise.all([reloaded.dispose(), compact.dispose()]);
  });

  it('vqa: stock only when the text encoder and decoder are alike (one text_config describes both)', async () => {
    const model = models.vqa;
    const uneven = compactBlip(model, { removed: ['decoder.0.layer'] });
    const unevenSaved = await saveAndLoad(uneven);
    expect(unevenSaved.geometry).toBe('vlp_layer_shapes');
    expect(unevenSaved.reloaded.arch).toEqual(uneven.arch);
    const alike = compactBlip(model, { removed: ['decoder.0.layer', 'text.1.layer', ...firstNeurons(['text.0', 'decoder.1'], 8)] });
    const { geometry, config, reloaded } = await saveAndLoad(alike);
    expect(geometry).toBe('stock');
    const raw = sourceConfig('vqa') as Record<string, Record<string, unknown>>;
    expect(config.text_config).toEqual({ ...raw.text_config, num_hidden_layers: 1, num_attention_heads: 4, intermediate_size: 120 });
    expect(config.vision_config).toEqual(raw.vision_config);
    expectSameParams(alike, reloaded, (n) => n.replace('text_decoder.bert.encoder.layer.1.', 'text_decoder.bert.encoder.layer.0.'));
    expect(await outputs(reloaded)).toEqual(await outputs(alike));
    await Promise.all([reloaded.dispose(), alike.dispose(), unevenSaved.reloaded.dispose(), uneven.dispose()]);
  });

  it('rejects malformed BLIP geometry when loading, naming the entry', async () => {
    const compact = compactBlip(models.retrieval, { removed: ['text.0.cross.head.1'] });
    const dir = fresh();
    await saveModel(compact, dir);
    const original = readFileSync(path.join(dir, 'config.json'), 'utf8');
    const attempt = async (edit: (field: Record<string, Record<string, unknown>[]>) => void): Promise<Error> => {
      const config = JSON.parse(original);
      edit(config[VLP_LAYER_SHAPES_KEY]);
      writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
      const error: unknown = await loadBlipDir(dir, 'retrieval').catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      return error as Error;
    };
    expect((await attempt((f) => ((f.text_encoder?.[0]?.crossattention as Record<string, unknown>).head_dim = 'x'))).message).toContain('vlp_layer_shapes.text_encoder[0].crossattention.head_dim');
    expect((await attempt((f) => delete f.text_encoder?.[1]?.crossattention)).message).toContain('vlp_layer_shapes.text_encoder[1] lacks "crossattention"');
    expect((await attempt((f) => (f.text = [])))).toHaveProperty('message', expect.stringContaining('vlp_layer_shapes.text is not a BLIP tower'));
    expect((await attempt((f) => (f.text_decoder = [])))).toHaveProperty('message', expect.stringContaining('text_decoder records a tower BlipForImageTextRetrieval does not have'));
    await compact.dispose();
  });
});
