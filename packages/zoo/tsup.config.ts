import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'train-tiny-clip': 'scripts/train-tiny-clip.ts', 'eval-tiny-clip': 'scripts/eval-tiny-clip.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
