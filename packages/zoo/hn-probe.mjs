// temporary probe: does the image prefer its true caption over the same caption with the main object's shape / colour changed?
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@vlp/core';
import { shapesVLSample, SHAPES, COLOURS } from '@vlp/data';
import { loadModel } from '@vlp/models';
const dir = process.argv[2];
const n = Number(process.argv[3] ?? 200);
await initBackend();
const model = await loadModel(dir);
const samples = Array.from({ length: n }, (_, i) => shapesVLSample(0, 'val', i, 64));
const px = model.imageProcessor.preprocess(samples.map((s) => s.image));
const img = await model.getImageFeatures(tf.tensor(px.pixelValues, [...px.shape]));
const texts = [];
for (const [i, s] of samples.entries()) {
  const m = s.objects[0];
  const cap = s.captions[0];
  const ph = `${m.size} ${m.colour} ${m.shape}`;
  const sh = SHAPES[(SHAPES.indexOf(m.shape) + 1 + (i % 7)) % 8];
  const co = COLOURS[(COLOURS.indexOf(m.colour) + 1 + (i % 7)) % 8];
  texts.push(cap, cap.replace(ph, `${m.size} ${m.colour} ${sh}`), cap.replace(ph, `${m.size} ${co} ${m.shape}`));
}
const enc = model.tokenizer.encode(texts, { padding: 'max_length', truncation: true });
const txt = await model.getTextFeatures(tf.tensor2d(enc.inputIds, undefined, 'int32'), tf.tensor2d(enc.attentionMask, undefined, 'int32'));
const a = tf.tidy(() => tf.div(img, tf.norm(img, 2, -1, true)).arraySync());
const b = tf.tidy(() => tf.div(txt, tf.norm(txt, 2, -1, true)).arraySync());
const dot = (x, y) => x.reduce((acc, v, k) => acc + v * y[k], 0);
let shapeOk = 0, colourOk = 0;
for (let i = 0; i < n; i++) {
  const t = dot(a[i], b[3 * i]);
  if (t > dot(a[i], b[3 * i + 1])) shapeOk++;
  if (t > dot(a[i], b[3 * i + 2])) colourOk++;
}
console.log('true caption beats main-shape swap', (100 * shapeOk / n).toFixed(1), '% | main-colour swap', (100 * colourOk / n).toFixed(1), '%');
await model.dispose();
