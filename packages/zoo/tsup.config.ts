import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'train-tiny-clip': 'scripts/train-tiny-clip.ts',
    'eval-tiny-clip': 'scripts/eval-tiny-clip.ts',
    'train-tiny-blip': 'scripts/train-tiny-blip.ts',
    'eval-tiny-blip': 'scripts/eval-tiny-blip.ts',
    'clip-tower-worker': 'src/tiny-clip/clip-tower-worker.ts',
  },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
