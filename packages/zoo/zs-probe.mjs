// temporary probe (not committed): zero-shot colour/shape accuracy of a CLIP dir on Shapes-VL val
import { initBackend } from '@vlp/core';
import { shapesVLClasses, shapesVLSample } from '@vlp/data';
import { loadModel, zeroShotClassify } from '@vlp/models';
const dir = process.argv[2];
const n = Number(process.argv[3] ?? 300);
await initBackend();
const model = await loadModel(dir);
const classes = shapesVLClasses();
const samples = Array.from({ length: n }, (_, i) => shapesVLSample(0, 'val', i, 64));
for (const templates of [['a large {} in the center'], ['a large {}'], ['a {}'], ['there is a large {}'], ['an image of a large {}']]) {
  const probs = await zeroShotClassify(model, samples.map((s) => s.image), classes, { templates });
  let top1 = 0, colour = 0, shape = 0;
  probs.forEach((p, i) => {
    const k = p.indexOf(Math.max(...p));
    const [c, s] = classes[k].split(' ');
    const l = samples[i].label;
    if (k === l.classIndex) top1++;
    if (c === l.colour) colour++;
    if (s === l.shape) shape++;
  });
  console.log(JSON.stringify(templates), 'top1', (100 * top1 / n).toFixed(1), 'colour', (100 * colour / n).toFixed(1), 'shape', (100 * shape / n).toFixed(1));
}
await model.dispose();
