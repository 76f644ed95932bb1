/**
 * Test helper: builds compacted CLIP geometries by slicing a loaded model's weights directly
 * (independently of the compaction code), so save/load and export can be tested on them.
 */
import type { LayerShape, TowerArch } from '../clip/clip-arch.js';
import { ClipModel } from '../clip/clip-model.js';
import { loadModel } from '../load-model.js';
import { ParamStore, type StoredParam } from '../weights/param-store.js';

/** `loadModel`, narrowed to CLIP. */
export async function loadClip(dir: string): Promise<ClipModel> {
  const model = await loadModel(dir);
  if (!(model instanceof ClipModel)) throw new Error(`${dir} is not a CLIP checkpoint.`);
  return model;
}

/** One layer's change: keep its first `heads` heads / first `neurons` MLP neurons, or drop it. */
export interface LayerEdit {
  readonly tower: 'vision' | 'text';
  /** Original HF layer index. */
  readonly index: number;
  readonly heads?: number;
  readonly neurons?: number;
  readonly drop?: boolean;
}

function rows(p: StoredParam, keep: number): StoredParam {
  const cols = p.shape.length > 1 ? (p.shape[1] as number) : 1;
  return { shape: [keep, ...p.shape.slice(1)], data: p.data.slice(0, keep * cols) };
}

function columns(p: StoredParam, keep: number): StoredParam {
  const [out, cols] = p.shape as [number, number];
  const data = new Float32Array(out * keep);
  for (let r = 0; r < out; r++) data.set(p.data.subarray(r * cols, r * cols + keep), r * keep);
  return { shape: [out, keep], data };
}

/** A new model with the edits applied (weights copied; `model` is left unchanged). */
export function editClipGeometry(model: ClipModel, edits: readonly LayerEdit[]): ClipModel {
  const params = new Map<string, StoredParam>();
  for (const name of model.params.names()) params.set(name, model.params.get(name));
  const towers = { vision: model.arch.vision, text: model.arch.text };
  for (const edit of edits) {
    const t: TowerArch = towers[edit.tower];
    const position = t.layerIndices.indexOf(edit.index);
    const layer = t.layers[position] as LayerShape;
    const p = `${edit.tower}_model.encoder.layers.${edit.index}`;
    const replace = (name: string, fn: (q: StoredParam) => StoredParam) => params.set(name, fn(params.get(name) as StoredParam));
    if (edit.drop) {
      for (const name of [...params.keys()]) if (name.startsWith(`${p}.`)) params.delete(name);
      towers[edit.tower] = { ...t, layerIndices: t.layerIndices.filter((_, i) => i !== position), layers: t.layers.filter((_, i) => i !== position) };
      continue;
    }
    const heads = edit.heads ?? layer.attention.heads;
    const neurons = edit.neurons ?? layer.mlp;
    const inner = heads * layer.attention.headDim;
    for (const proj of ['q_proj', 'k_proj', 'v_proj']) {
      replace(`${p}.self_attn.${proj}.weight`, (w) => rows(w, inner));
      replace(`${p}.self_attn.${proj}.bias`, (b) => rows(b, inner));
    }
    replace(`${p}.self_attn.out_proj.weight`, (w) => columns(w, inner));
    replace(`${p}.mlp.fc1.weight`, (w) => rows(w, neurons));
    replace(`${p}.mlp.fc1.bias`, (b) => rows(b, neurons));
    replace(`${p}.mlp.fc2.weight`, (w) => columns(w, neurons));
    const layers = [...t.layers];
    layers[position] = { attention: { ...layer.attention, heads }, mlp: neurons };
    towers[edit.tower] = { ...t, layers };
  }
  return new ClipModel(model.config, towers, new ParamStore(params), {}, model.sourceDir);
}
