/**
 * `pnpm --filter @vlp/core bench:kernels`: times the host-side kernels on a ViT-B-sized tensor
 * (768×3072) and the RNG. Figures only — correctness is covered by the unit tests.
 */
import { createRng, pruneLowest, pruneLowestPerRow, pruneNM } from '../src/index.js';

function time(label: string, fn: () => void, reps = 5): void {
  fn();
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  process.stdout.write(`| ${label} | ${(ms[Math.floor(reps / 2)] as number).toFixed(1)} ms |\n`);
}

const n = 768 * 3072;
const scores = new Float32Array(n);
createRng(0).fillUniform(scores);
process.stdout.write('| kernel (768×3072) | median |\n| --- | --- |\n');
time('pruneLowest, 50%', () => void pruneLowest(scores, n / 2));
time('pruneLowestPerRow, 50%', () => void pruneLowestPerRow(scores, [768, 3072], 1536));
time('pruneNM 2:4', () => void pruneNM(scores, [768, 3072], 2, 4));
const normals = new Float32Array(10_000_000);
time('fillNormal, 10M samples', () => void createRng(1).fillNormal(normals), 3);
