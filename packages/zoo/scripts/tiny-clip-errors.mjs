#!/usr/bin/env node
/**
 * `pnpm --filter @vlp/zoo errors:tiny-clip [--model DIR]`
 *
 * Where tiny-clip's zero-shot errors are, on the full Shapes-VL test split (1 000 images, dataset seed
 * 0, prompt `a photo of a {}.`, ONNX Runtime): top-1 and colour / shape accuracy by scene kind
 * (number of objects, size of the main object) and the most frequent shape confusions.
 */
import { parseArgs } from 'node:util';
import { initBackend } from '@vlp/core';
import { shapesVLClasses, shapesVLSample } from '@vlp/data';
import { loadModel, zeroShotClassify } from '@vlp/models';
import { loadEmbeddedModel } from '../dist/index.js';

const { values } = parseArgs({ options: { model: { type: 'string' } } });
await initBackend();
const model = values.model ? await loadModel(values.model) : await loadEmbeddedModel('tiny-clip');
const classes = shapesVLClasses();
const samples = Array.from({ length: 1000 }, (_, i) => shapesVLSample(0, 'test', i, model.config.vision.imageSize));
const predictions = [];
for (let b = 0; b < samples.length; b += 100) {
  const probs = await zeroShotClassify(model, samples.slice(b, b + 100).map((s) => s.image), classes, { engine: 'onnx' });
  for (const p of probs) predictions.push(p.indexOf(Math.max(...p)));
}
await model.dispose();
const groups = new Map();
const confusions = new Map();
samples.forEach((s, i) => {
  const predicted = classes[predictions[i]].split(' ');
  const { colour, shape } = s.label;
  const main = s.objects.find((o) => o.colour === colour && o.shape === shape);
  const right = { top1: predictions[i] === s.label.classIndex, colour: predicted[0] === colour, shape: predicted[1] === shape };
  for (const key of [`${s.objects.length} object(s), main ${main.size}`, 'all']) {
    const g = groups.get(key) ?? { n: 0, top1: 0, colour: 0, shape: 0 };
    g.n += 1;
    for (const k of ['top1', 'colour', 'shape']) g[k] += right[k] ? 1 : 0;
    groups.set(key, g);
  }
  if (!right.shape) confusions.set(`${shape} → ${predicted[1]}`, (confusions.get(`${shape} → ${predicted[1]}`) ?? 0) + 1);
});
console.log('| scenes | images | top-1 | colour right | shape right |\n|---|---:|---:|---:|---:|');
const pct = (v, n) => ((100 * v) / n).toFixed(1);
for (const [key, g] of [...groups].sort(([a], [b]) => (a === 'all' ? 1 : b === 'all' ? -1 : a.localeCompare(b)))) {
  console.log(`| ${key} | ${g.n} | ${pct(g.top1, g.n)} | ${pct(g.colour, g.n)} | ${pct(g.shape, g.n)} |`);
}
console.log(`\nmost frequent shape confusions (true → predicted): ${[...confusions].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${v}`).join(', ')}`);
