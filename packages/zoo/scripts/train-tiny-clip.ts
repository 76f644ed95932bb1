/**
 * `pnpm --filter @vlp/zoo train:tiny-clip [--steps N] [--batch-size N] [--lr X] [--warmup N]
 * [--weight-decay X] [--train-images N] [--seed N] [--checkpoint-every N] [--hard-negatives 0|1] [--spatial-negatives X] [--hidden-size N] [--patch-size N] [--label-weight X] [--object-weight X] [--tower-parallel 0|1] [--run-dir DIR] [--out DIR]
 * [--no-resume]`
 *
 * Trains tiny-clip from scratch on Shapes-VL (see `trainTinyClip`) and saves it to `--out` (default:
 * the package's `checkpoints/tiny-clip`). Trainer checkpoints go to `--run-dir` (default
 * `runs/tiny-clip` in the package); a killed run resumes from the latest one when started again with
 * the same settings. Progress goes to stderr.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RUN_FLAGS, TRAINER_FLAGS, usageLine } from './usage.js';
import { initBackend } from '@vlp/core';
import { embeddedModelDir } from '../src/embedded-models.js';
import { TINY_CLIP_RECIPE, trainTinyClip } from '../src/tiny-clip/train-tiny-clip.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OPTIONS = {
  ...TRAINER_FLAGS,
  'hard-negatives': { type: 'string' },
  'spatial-negatives': { type: 'string' },
  'hidden-size': { type: 'string' },
  'patch-size': { type: 'string' },
  'label-weight': { type: 'string' },
  'object-weight': { type: 'string' },
  'tower-parallel': { type: 'string' },
  'run-dir': { type: 'string' },
  out: { type: 'string' },
  ...RUN_FLAGS,
} as const;
const { values } = parseArgs({ options: OPTIONS });
if (values.help) {
  process.stdout.write(usageLine('train:tiny-clip', OPTIONS));
  process.exit(0);
}
const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

const backend = await initBackend();
const runDir = path.resolve(values['run-dir'] ?? path.join(packageDir, 'runs', 'tiny-clip'));
const outDir = path.resolve(values.out ?? embeddedModelDir('tiny-clip'));
const settings = {
  seed: num(values.seed),
  steps: num(values.steps),
  batchSize: num(values['batch-size']),
  learningRate: num(values.lr),
  warmupSteps: num(values.warmup),
  weightDecay: num(values['weight-decay']),
  trainImages: num(values['train-images']),
  checkpointEvery: num(values['checkpoint-every']),
  hardNegatives: num(values['hard-negatives']),
  spatialNegatives: num(values['spatial-negatives']),
  hiddenSize: num(values['hidden-size']),
  patchSize: num(values['patch-size']),
  labelWeight: num(values['label-weight']),
  objectWeight: num(values['object-weight']),
  towerParallel: num(values['tower-parallel']),
};
const effective = { ...TINY_CLIP_RECIPE, ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) };
process.stderr.write(`tiny-clip: backend ${backend.name}, ${JSON.stringify(effective)}\nrun dir ${runDir}\n`);
const t0 = performance.now();
let last = t0;
const { result, saved, model } = await trainTinyClip({
  ...settings,
  outDir,
  runDir,
  resume: !values['no-resume'],
  onEvent: (e) => {
    const now = performance.now();
    if (e.type === 'train-start') process.stderr.write(`train-start: ${e.steps} steps${e.resumedFrom ? `, resumed from step ${e.resumedFrom}` : ''}\n`);
    if (e.type === 'step-end') {
      process.stderr.write(`step ${e.step}/${e.total} loss ${e.loss.toFixed(4)} lr ${e.learningRate.toExponential(2)} ${((now - last) / 1000).toFixed(2)} s/step, elapsed ${((now - t0) / 60000).toFixed(1)} min\n`);
      last = now;
    }
    if (e.type === 'checkpoint-end') process.stderr.write(`checkpoint at step ${e.step}\n`);
  },
});
await model.dispose();
const tail = result.losses.slice(-20);
process.stderr.write(
  `done: ${result.steps} steps in ${(result.durationMs / 60000).toFixed(1)} min (this process), mean loss of the last ${tail.length} steps ${(tail.reduce((a, b) => a + b, 0) / tail.length).toFixed(4)}\nsaved ${saved.dir}: ${saved.files.join(', ')}\n`,
);
