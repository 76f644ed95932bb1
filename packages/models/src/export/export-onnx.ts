import path from 'node:path';
import { InvalidArgumentError } from '@vlp/core';
import type { BlipModel } from '../blip/load-blip.js';
import type { ClipModel } from '../clip/clip-model.js';
import { saveOnnxModel } from '../onnx/save.js';
import { DescribeContext } from '../ops/describe-context.js';
import { OnnxOps } from '../ops/onnx-ops.js';
import { requireClip } from '../save/require-clip.js';
import { writeDirectoryAtomically } from '../save/stage-directory.js';
import { exportBlipOnnx } from './blip-export-onnx.js';
import type { BlipOnnxGraph } from './blip-onnx-graphs.js';
import { CLIP_ONNX_GRAPHS, type ClipOnnxGraph, clipGraphPlan } from './clip-onnx-graphs.js';
import { ExportGraphBuilder } from './export-graph-builder.js';
import { storeInitializers } from './store-initializers.js';

/** Default {@link ExportOnnxOptions.externalDataThreshold}: 1.5 GiB (protobuf caps a model file at 2 GiB). */
export const DEFAULT_EXTERNAL_DATA_THRESHOLD = 1.5 * 2 ** 30;

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /** Replace `dir` when it exists and is not empty (default `false`: refuse with `VLP_INVALID_ARGUMENT`). */
  readonly overwrite?: boolean;
  /**
   * When a graph's weights total more than this many bytes, they are stored in `<file>.onnx_data`
   * beside the `.onnx` file (ONNX external data; tensors under 1 KiB stay inline). Default
   * {@link DEFAULT_EXTERNAL_DATA_THRESHOLD}; `0` always uses external data, `Infinity` never does.
   */
  readonly externalDataThreshold?: number;
  /**
   * Token axis of the text inputs: `'dynamic'` (default) accepts any length up to
   * `max_position_embeddings` (CLIP) or `maxSequenceLength` (BLIP); a number fixes it (inputs must
   * then be padded to exactly that length, e.g. `padding: 'max_length'`), which makes short
   * fixed-length graphs cheaper.
   */
  readonly sequenceLength?: 'dynamic' | number;
  /**
   * BLIP only: the static buffer that dynamic text inputs are padded to inside the graph (every run
   * costs this length). Default `min(max_position_embeddings, 64)`.
   */
  readonly maxSequenceLength?: number;
  /**
   * Which files to write (default all of the model's: CLIP `model`, `vision_model`, `text_model`;
   * BLIP see `BLIP_ONNX_GRAPHS`).
   */
  readonly graphs?: readonly (ClipOnnxGraph | BlipOnnxGraph)[];
}

/** One written file. */
export interface ExportedOnnxFile {
  readonly graph: ClipOnnxGraph | BlipOnnxGraph;
  /** File name inside the export directory, e.g. `model.onnx`. */
  readonly file: string;
  /** Its external-data file (`model.onnx_data`), when the weights were stored outside. */
  readonly externalDataFile?: string;
}

/** What {@link exportOnnx} wrote. */
export interface ExportedOnnx {
  readonly dir: string;
  readonly files: readonly ExportedOnnxFile[];
}

function checkOptions(model: ClipModel, options: ExportOnnxOptions): { tokens: number; dynamic: boolean; threshold: number; graphs: readonly ClipOnnxGraph[] } {
  const max = model.config.text.maxPositionEmbeddings;
  const seq = options.sequenceLength ?? 'dynamic';
  if (seq !== 'dynamic' && !(Number.isSafeInteger(seq) && seq >= 1 && seq <= max)) {
    throw new InvalidArgumentError({
      message: `exportOnnx: sequenceLength must be 'dynamic' or an integer in [1, ${max}] (max_position_embeddings), got ${JSON.stringify(seq)}.`,
    });
  }
  if (options.maxSequenceLength !== undefined) {
    throw new InvalidArgumentError({ message: `exportOnnx: maxSequenceLength applies to BLIP only; CLIP's dynamic text accepts up to max_position_embeddings (${max}).` });
  }
  const threshold = options.externalDataThreshold ?? DEFAULT_EXTERNAL_DATA_THRESHOLD;
  if (typeof threshold !== 'number' || Number.isNaN(threshold) || threshold < 0) {
    throw new InvalidArgumentError({ message: `exportOnnx: externalDataThreshold must be a number of bytes >= 0 (or Infinity), got ${String(threshold)}.` });
  }
  const graphs = (options.graphs ?? CLIP_ONNX_GRAPHS) as readonly ClipOnnxGraph[];
  const unknown = graphs.filter((g) => !CLIP_ONNX_GRAPHS.includes(g));
  if (graphs.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError({ message: `exportOnnx: graphs must be a non-empty subset of ${CLIP_ONNX_GRAPHS.join(', ')}; got ${JSON.stringify(graphs)}.` });
  }
  return { tokens: seq === 'dynamic' ? max : seq, dynamic: seq === 'dynamic', threshold, graphs };
}

const textDoc = (tokens: number, dynamic: boolean) =>
  dynamic ? ` Text inputs: int64 [batch, sequence_length <= ${tokens}].` : ` Text inputs: int64 [batch, ${tokens}] (pad to exactly ${tokens} tokens).`;

/**
 * Exports a CLIP model (dense, masked or compacted) as standalone ONNX files — `model.onnx`,
 * `vision_model.onnx`, `text_model.onnx` — with the current weights as initializers and the
 * input/output names of Hugging Face's ONNX exports (see `clip-onnx-graphs.ts` for the exact
 * contract), runnable by ONNX Runtime (Node, web) without vlp. Opset 17. A BLIP head class is
 * exported the same way as its own set of files (`model.onnx`, `vision_model.onnx`, text encoder /
 * decoder graphs; see `blip-onnx-graphs.ts`).
 *
 * The directory appears all at once (staged beside it, then renamed). Throws
 * `InvalidArgumentError` for bad options or a non-empty `dir` without `{ overwrite: true }`, and
 * `IoError` naming the path when it cannot be written.
 */
export async function exportOnnx(model: ClipModel | BlipModel, dir: string, options: ExportOnnxOptions = {}): Promise<ExportedOnnx> {
  if (model?.architecture === 'blip') {
    return exportBlipOnnx(model, dir, { ...options, externalDataThreshold: options.externalDataThreshold ?? DEFAULT_EXTERNAL_DATA_THRESHOLD });
  }
  requireClip(model, 'exportOnnx');
  const { tokens, dynamic, threshold, graphs } = checkOptions(model, options);
  const files: ExportedOnnxFile[] = [];
  await writeDirectoryAtomically(dir, { overwrite: options.overwrite }, async (staging) => {
    for (const graph of graphs) {
      const plan = clipGraphPlan(model, graph, tokens, dynamic);
      const builder = new ExportGraphBuilder(plan.spec);
      const ops = new OnnxOps(builder, (name) => model.params.get(name).shape, storeInitializers(model.params));
      plan.describe(new DescribeContext(ops));
      let bytes = 0;
      for (const bound of ops.params.values()) bytes += model.params.get(bound.name).data.byteLength;
      const file = `${graph}.onnx`;
      const location = `${file}_data`;
      const built = builder.toModel({
        docString: `CLIP ${graph} exported by vlp.${graph === 'vision_model' ? '' : textDoc(tokens, dynamic)}`,
        ...(bytes > threshold ? { externalData: { location } } : {}),
      });
      const saved = await saveOnnxModel(staging, file, built);
      files.push({ graph, file, ...(saved.externalDataPath === undefined ? {} : { externalDataFile: location }) });
    }
  });
  return { dir: path.resolve(dir), files };
}
