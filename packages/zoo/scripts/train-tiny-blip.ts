/**
 * `pnpm --filter @vlp/zoo train:tiny-blip [--only NAME] [--steps N] [--batch-size N] [--lr X]
 * [--warmup N] [--weight-decay X] [--train-images N] [--seed N] [--checkpoint-every N]
 * [--finetune-steps N] [--text-first 0|1] [--enc-questions 0|1] [--vision-object-weight X] [--vision-from CLIP_DIR] [--decoder-first-steps N] [--run-dir DIR] [--out-dir DIR] [--no-resume] [--recipe clip-vision|pixels]`
 *
 * Trains the tiny BLIP checkpoints on Shapes-VL (see `trainTinyBlip`), in order: `tiny-blip-itm`
 * from scratch, then `tiny-blip-caption` and `tiny-blip-vqa` from the retrieval model after its
 * first stage (`<run-dir>/tiny-blip-itm/pretrained`, written by the retrieval run) — or, when the
 * recipe's `initFromFinal` is 1 (the `clip-vision` VQA), from the finished `<out-dir>/tiny-blip-itm`. Each
 * is saved to `<out-dir>/<name>` (default: the package's `checkpoints/`); `--only NAME` trains one
 * (the recipe flags then override that one's recipe). Trainer checkpoints go to
 * `<run-dir>/<name>` (default `runs/`); a killed run resumes from the latest one when started again
 * with the same settings. The default recipes (`clip-vision`, `TINY_BLIP_RECIPES`: 8-px patches,
 * the vision tower from tiny-clip's, frozen) are the shipped checkpoints'; `--recipe pixels`
 * (`TINY_BLIP_PIXEL_RECIPES`) trains everything on pixels with 16-px patches, as the first ones were.
 * Prints each run's wall time; progress goes to stderr.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RUN_FLAGS, TRAINER_FLAGS, usageLine } from './usage.js';
import { initBackend, InvalidArgumentError } from '@vlp/core';
import { TINY_BLIP_NAMES, type TinyBlipName } from '../src/tiny-blip/tiny-blip-config.js';
import { TINY_BLIP_PRETRAINED_DIR, TINY_BLIP_RECIPE_NAMES, type TinyBlipRecipeName, tinyBlipRecipes, trainTinyBlip } from '../src/tiny-blip/train-tiny-blip.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OPTIONS = {
  only: { type: 'string' },
  ...TRAINER_FLAGS,
  'finetune-steps': { type: 'string' },
  'text-first': { type: 'string' },
  'enc-questions': { type: 'string' },
  'vision-object-weight': { type: 'string' },
  'decoder-first-steps': { type: 'string' },
  'vision-from': { type: 'string' },
  'run-dir': { type: 'string' },
  'out-dir': { type: 'string' },
  recipe: { type: 'string' },
  ...RUN_FLAGS,
} as const;
const { values } = parseArgs({ options: OPTIONS });
if (values.help) {
  process.stdout.write(usageLine('train:tiny-blip', OPTIONS));
  process.exit(0);
}
const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
const only = values.only as TinyBlipName | undefined;
if (only !== undefined && !TINY_BLIP_NAMES.includes(only)) {
  throw new InvalidArgumentError({ message: `--only must be one of ${TINY_BLIP_NAMES.join(', ')}; got ${only}.`, actual: only, expected: TINY_BLIP_NAMES });
}
const overrides = {
  seed: num(values.seed),
  steps: num(values.steps),
  batchSize: num(values['batch-size']),
  learningRate: num(values.lr),
  warmupSteps: num(values.warmup),
  weightDecay: num(values['weight-decay']),
  trainImages: num(values['train-images']),
  checkpointEvery: num(values['checkpoint-every']),
  finetuneSteps: num(values['finetune-steps']),
  textFirst: num(values['text-first']),
  encQuestions: num(values['enc-questions']),
  visionObjectWeight: num(values['vision-object-weight']),
  decoderFirstSteps: num(values['decoder-first-steps']),
};
if (only === undefined && Object.values(overrides).some((v) => v !== undefined)) {
  throw new InvalidArgumentError({ message: 'Recipe flags apply to one checkpoint: pass --only NAME with them.' });
}

const recipe = (values.recipe ?? 'clip-vision') as TinyBlipRecipeName;
if (!TINY_BLIP_RECIPE_NAMES.includes(recipe)) throw new InvalidArgumentError({ message: `--recipe must be ${TINY_BLIP_RECIPE_NAMES.join(' or ')}; got ${recipe}.`, actual: recipe, expected: [...TINY_BLIP_RECIPE_NAMES] });
const recipes = tinyBlipRecipes(recipe);
const backend = await initBackend();
const outRoot = path.resolve(values['out-dir'] ?? path.join(packageDir, 'checkpoints'));
const runRoot = path.resolve(values['run-dir'] ?? path.join(packageDir, 'runs'));
const times: string[] = [];
for (const name of only ? [only] : TINY_BLIP_NAMES) {
  const settings = only ? overrides : {};
  const effective = { ...recipes[name], ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) };
  const runDir = path.join(runRoot, name);
  process.stderr.write(`${name}: backend ${backend.name}, ${JSON.stringify(effective)}\nrun dir ${runDir}\n`);
  const t0 = performance.now();
  let last = t0;
  const { result, saved, model } = await trainTinyBlip(name, {
    ...settings,
    recipe,
    outDir: path.join(outRoot, name),
    runDir,
    initFrom: name === 'tiny-blip-itm' ? undefined : effective.initFromFinal === 1 ? path.join(outRoot, 'tiny-blip-itm') : path.join(runRoot, 'tiny-blip-itm', TINY_BLIP_PRETRAINED_DIR),
    decoderFrom: name === 'tiny-blip-vqa' ? path.join(outRoot, 'tiny-blip-caption') : undefined,
    visionFrom: values['vision-from'] === undefined ? undefined : path.resolve(values['vision-from']),
    resume: !values['no-resume'],
    onEvent: (e) => {
      const now = performance.now();
      if (e.type === 'train-start') last = now;
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
  const wall = `${name}: ${result.steps} steps, wall time ${((performance.now() - t0) / 60000).toFixed(1)} min (trainer ${(result.durationMs / 60000).toFixed(1)} min in this process)`;
  times.push(wall);
  process.stderr.write(`done: ${wall}, mean loss of the last ${tail.length} steps ${(tail.reduce((a, b) => a + b, 0) / tail.length).toFixed(4)}\nsaved ${saved.dir}: ${saved.files.join(', ')}\n`);
}
process.stdout.write(`${times.join('\n')}\n`);
