import path from 'node:path';
import { InvalidArgumentError } from '@vlp/core';
import type { BlipModel } from '../blip/load-blip.js';
import { saveOnnxModel } from '../onnx/save.js';
import { DescribeContext } from '../ops/describe-context.js';
import { OnnxOps } from '../ops/onnx-ops.js';
import { writeDirectoryAtomically } from '../save/stage-directory.js';
import { BlipExportGraphBuilder } from './blip-export-graph-builder.js';
import { BLIP_ONNX_GRAPHS, type BlipOnnxGraph, blipGraphPlan } from './blip-onnx-graphs.js';
import type { ExportedOnnx, ExportedOnnxFile, ExportOnnxOptions } from './export-onnx.js';
import { storeInitializers } from './store-initializers.js';

/**
 * Default buffer of BLIP's dynamic text axes (capped by `max_position_embeddings`): longer than
 * BLIP's own captions, questions and retrieval texts (its code truncates them to 30–40 tokens), and
 * far cheaper than padding every run to 512 positions.
 */
export const BLIP_DEFAULT_MAX_SEQUENCE_LENGTH = 64;

interface BlipExportPlan {
  readonly tokens: number;
  readonly dynamic: boolean;
  readonly graphs: readonly BlipOnnxGraph[];
}

const isLength = (n: unknown, max: number): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 && n <= max;

function checkBlipOptions(model: BlipModel, options: ExportOnnxOptions): BlipExportPlan {
  const max = model.config.text.maxPositionEmbeddings;
  const seq = options.sequenceLength ?? 'dynamic';
  if (seq !== 'dynamic' && !isLength(seq, max)) {
    throw new InvalidArgumentError({
      message: `exportOnnx: sequenceLength must be 'dynamic' or an integer in [1, ${max}] (max_position_embeddings), got ${JSON.stringify(seq)}.`,
    });
  }
  const buffer = options.maxSequenceLength;
  if (buffer !== undefined && (seq !== 'dynamic' || !isLength(buffer, max))) {
    throw new InvalidArgumentError({
      message: `exportOnnx: maxSequenceLength (the buffer of dynamic text axes) must be an integer in [1, ${max}] and needs sequenceLength 'dynamic'; got maxSequenceLength ${JSON.stringify(buffer)}, sequenceLength ${JSON.stringify(seq)}.`,
    });
  }
  const available = BLIP_ONNX_GRAPHS[model.config.architecture];
  const graphs = options.graphs ?? available;
  if (graphs.length === 0 || graphs.some((g) => !(available as readonly string[]).includes(g))) {
    throw new InvalidArgumentError({
      message: `exportOnnx: graphs of a ${model.config.architecture} must be a non-empty subset of ${available.join(', ')}; got ${JSON.stringify(graphs)}.`,
    });
  }
  const tokens = seq === 'dynamic' ? (buffer ?? Math.min(max, BLIP_DEFAULT_MAX_SEQUENCE_LENGTH)) : seq;
  return { tokens, dynamic: seq === 'dynamic', graphs: graphs as readonly BlipOnnxGraph[] };
}

const textDoc = (tokens: number, dynamic: boolean) =>
  dynamic ? `Text axes: int64, any length up to ${tokens} (padded inside the graph).` : `Text axes: int64, exactly ${tokens} tokens (pad to ${tokens}).`;

/**
 * Exports a BLIP head class as standalone ONNX files (see `blip-onnx-graphs.ts` for the files and
 * their names), weights as initializers, in external data above `externalDataThreshold` bytes per
 * file. Called by `exportOnnx`, which resolves the threshold's default; same directory semantics.
 */
export async function exportBlipOnnx(model: BlipModel, dir: string, options: ExportOnnxOptions & { readonly externalDataThreshold: number }): Promise<ExportedOnnx> {
  const { tokens, dynamic, graphs } = checkBlipOptions(model, options);
  const threshold = options.externalDataThreshold;
  if (typeof threshold !== 'number' || Number.isNaN(threshold) || threshold < 0) {
    throw new InvalidArgumentError({ message: `exportOnnx: externalDataThreshold must be a number of bytes >= 0 (or Infinity), got ${String(threshold)}.` });
  }
  const files: ExportedOnnxFile[] = [];
  await writeDirectoryAtomically(dir, { overwrite: options.overwrite }, async (staging) => {
    for (const graph of graphs) {
      const plan = blipGraphPlan(model, graph, tokens, dynamic);
      const builder = new BlipExportGraphBuilder(plan.spec);
      const ops = new OnnxOps(builder, (name) => model.params.get(name).shape, storeInitializers(model.params));
      plan.describe(new DescribeContext(ops));
      let bytes = 0;
      for (const bound of ops.params.values()) bytes += model.params.get(bound.name).data.byteLength;
      const file = `${graph}.onnx`;
      const location = `${file}_data`;
      const built = builder.toModel({
        docString: `BLIP ${model.config.architecture} ${graph} exported by vlp.${graph === 'vision_model' ? '' : ` ${textDoc(tokens, dynamic)}`}`,
        ...(bytes > threshold ? { externalData: { location } } : {}),
      });
      const saved = await saveOnnxModel(staging, file, built);
      files.push({ graph, file, ...(saved.externalDataPath === undefined ? {} : { externalDataFile: location }) });
    }
  });
  return { dir: path.resolve(dir), files };
}
