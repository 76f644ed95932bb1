import * as tf from '@tensorflow/tfjs';
import type { CalibrationSource, PrunableUnit, PrunableView, RunOptions, StructureMask } from '@vlp/core';
import {
  type BlipForConditionalGeneration,
  type BlipForImageTextRetrieval,
  type BlipForQuestionAnswering,
  type BlipModel,
  type BlipViewBatch,
  blipView,
  compactBlip,
} from '@vlp/models';
import {
  type CaptioningSet,
  type RetrievalSet,
  type VqaSet,
  blipCaptionTask,
  blipRetrievalTask,
  blipVqaTask,
  evaluateBlipCaptioning,
  evaluateBlipRetrieval,
  evaluateBlipVqa,
  flattenMetrics,
} from '@vlp/tasks';
import type { TaskAdapter } from '@vlp/core';
import { usageError } from '../errors/bench-errors.js';
import { blipFlops } from '../metrics/flops.js';
import type { TaskId } from '../suite/types.js';
import { pixels, processors, tokens } from './batch-inputs.js';
import { gatedRetrieval } from './clip-adapter.js';
import type { ModelAdapter } from './model-adapter.js';

type Head = 'blip-itm' | 'blip-caption' | 'blip-vqa';

const TASK_OF: Record<Head, TaskId> = { 'blip-itm': 'retrieval', 'blip-caption': 'captioning', 'blip-vqa': 'vqa' };
const PRIMARY: Record<Head, string> = { 'blip-itm': 'r1Mean', 'blip-caption': 'ciderD', 'blip-vqa': 'accuracy' };

function task(model: BlipModel, train?: CalibrationSource<BlipViewBatch>): TaskAdapter<BlipViewBatch> {
  const options = { train: train as never };
  if (model.task === 'retrieval') return blipRetrievalTask(model as BlipForImageTextRetrieval, options) as TaskAdapter<BlipViewBatch>;
  if (model.task === 'captioning') return blipCaptionTask(model as BlipForConditionalGeneration, options) as TaskAdapter<BlipViewBatch>;
  return blipVqaTask(model as BlipForQuestionAnswering, options) as TaskAdapter<BlipViewBatch>;
}

/**
 * The negative mean task loss of validation batches with the run's gates and weights (tfjs): the
 * metric BLIP captioning and VQA pruners that evaluate while pruning (MoPE) maximise
 * (generation-based metrics would cost a decoding loop per gate configuration). Retrieval heads use
 * ITC R@1 instead (`pruneTask`).
 */
async function negativeLoss(t: TaskAdapter<BlipViewBatch>, view: PrunableView<BlipViewBatch>, batches: readonly BlipViewBatch[], run?: RunOptions): Promise<Record<string, number>> {
  let sum = 0;
  for (const batch of batches) {
    const loss = await (t.loss as NonNullable<typeof t.loss>)(view, batch, { gates: run?.gates, weights: run?.weights });
    try {
      sum += (await loss.data())[0] as number;
    } finally {
      loss.dispose();
    }
  }
  return { negLoss: -sum / batches.length };
}

/**
 * A BLIP head class: `blip-itm` (retrieval, primary `r1Mean`, ITC ranking), `blip-caption`
 * (captioning, primary CIDEr-D, greedy generation) or `blip-vqa` (VQA accuracy, generated answers).
 * Losses are the head's own (ITM + ITC, captioning LM, answer LM).
 */
export function blipAdapter(head: Head): ModelAdapter<BlipModel, BlipViewBatch> {
  const own = TASK_OF[head];
  return {
    architecture: head,
    tasks: [own],
    view: (model) => blipView(model),
    pruneTask(model, data = {}) {
      const t = task(model, data.train);
      const batches = data.validation;
      if (!batches) return t;
      if (model.task === 'retrieval') {
        // Retrieval: R@1 of the ITC similarities under the run's gates (MoPE's metric on BLIP
        // retrieval, issue #10), from the view's ITC forward (`forward: 'itc'`).
        const itc = batches.map((b) => ({ ...b, forward: 'itc' as const }));
        return { ...t, primaryMetric: 'r1Mean', evaluate: (view, run) => gatedRetrieval(view, itc, run, 'itm_score') };
      }
      return { ...t, primaryMetric: 'negLoss', evaluate: (view, run) => negativeLoss(t, view, batches, run) };
    },
    batch(model, examples) {
      const { tokenizer, imageProcessor } = processors(model);
      const pixelValues = pixels(imageProcessor, examples.map((e) => e.image));
      const bos = model.config.text.bosTokenId;
      if (model.task === 'retrieval') return { pixelValues, ...tokens(tokenizer, examples.map((e) => e.caption), { padding: 'longest' }) };
      if (model.task === 'captioning') return { pixelValues, ...tokens(tokenizer, examples.map((e) => e.caption), { padding: 'longest', firstToken: bos }) };
      const question = tokens(tokenizer, examples.map((e) => e.question), { padding: 'longest' });
      const answer = tokens(tokenizer, examples.map((e) => e.answer), { padding: 'longest', firstToken: bos });
      return { pixelValues, ...question, decoderInputIds: answer.inputIds, decoderAttentionMask: answer.attentionMask };
    },
    release: (batch) => tf.dispose(Object.values(batch).filter((v): v is tf.Tensor => v instanceof tf.Tensor)),
    loss(model, batch, weights) {
      const out = task(model).loss?.(undefined as never, batch, { weights } as unknown as RunOptions);
      if (!(out instanceof tf.Tensor)) throw usageError(`The ${head} loss is not synchronous; recovery needs a synchronous tfjs loss.`);
      return out as tf.Scalar;
    },
    async evaluate(model, t, set, options): Promise<Record<string, number>> {
      if (t !== own) throw usageError(`${head} has no "${t}" task; its task is ${own}.`);
      if (model.task === 'retrieval') {
        const r = await evaluateBlipRetrieval(model as BlipForImageTextRetrieval, set as RetrievalSet, { ...options, rerank: false });
        return { ...flattenMetrics(r), r1Mean: (r.i2t.r1 + r.t2i.r1) / 2 };
      }
      if (model.task === 'captioning') {
        const r = await evaluateBlipCaptioning(model as BlipForConditionalGeneration, set as CaptioningSet, { ...options, maxNewTokens: 20 });
        return { bleu4: r.bleu4, ciderD: r.ciderD };
      }
      const r = await evaluateBlipVqa(model as BlipForQuestionAnswering, set as VqaSet, { ...options, mode: 'generate' });
      return { accuracy: r.accuracy };
    },
    primaryMetric: () => PRIMARY[head],
    compact: (model, mask: StructureMask) => compactBlip(model, mask),
    flops: (model) => blipFlops(model),
    unitTokens(model, unit: PrunableUnit) {
      const v = model.config.vision;
      const image = (v.imageSize / v.patchSize) ** 2 + 1;
      const text = model.config.text.maxPositionEmbeddings;
      if (unit.modality === 'vision') return image;
      if (unit.role === 'cross.k' || unit.role === 'cross.v') return unit.blockId.startsWith('decoder') && model.task === 'vqa' ? text : image;
      return text;
    },
  };
}
