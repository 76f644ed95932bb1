import { defineSuite } from '../suite/define-suite.js';

/**
 * `pnpm bench` with no arguments: every installed pruner on the embedded tiny models, Shapes-VL
 * data, sparsities 0.5 / 0.63 / 0.75 / 0.9 (structured methods: 2× and 4× compression), seed 0,
 * one-shot and after a short recovery fine-tuning (10 AdamW steps of 32 image–caption pairs at a
 * peak learning rate of 5e-5, masks fixed: enough to repair heavy pruning without disturbing a
 * nearly dense model). Sized to finish in well under 30 minutes on 2 CPU cores.
 *
 * tiny-blip: when `@vlp/zoo` ships it, add one line per BLIP checkpoint to `models`, e.g.
 * `{ id: 'tiny-blip', model: { kind: 'embedded', name: 'tiny-blip' }, tasks: ['retrieval'] }`
 * (BLIP head classes: retrieval for BlipForImageTextRetrieval, captioning for
 * BlipForConditionalGeneration, vqa for BlipForQuestionAnswering).
 */
export const defaultSuite = defineSuite({
  id: 'default',
  description: 'Every installed pruner on the embedded tiny models (Shapes-VL), one-shot and after a short recovery fine-tuning.',
  models: [{ id: 'tiny-clip', model: { kind: 'embedded', name: 'tiny-clip' }, tasks: ['zero-shot', 'retrieval'] }],
  pruners: 'installed',
  // IterSNIP's 60 rounds (MULTIFLOW's setting) would take a third of the time budget on 2 cores;
  // 20 rounds keep its exponential schedule. Recorded in run.json like every resolved config.
  prunerConfigs: { itersnip: { rounds: 20 } },
  sparsities: [0.5, 0.63, 0.75, 0.9],
  compressions: [2, 4],
  seeds: [0],
  calibration: { batches: 2, batchSize: 32 },
  // 500 test images: zero-shot over 64 classes, retrieval over 500 images × 5 captions.
  evaluation: { count: 500, batchSize: 250 },
  recovery: { steps: 10, batchSize: 32, learningRate: 5e-5, warmupSteps: 1, images: 2000 },
});
