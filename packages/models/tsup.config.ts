import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  entry: { index: 'src/index.ts', 'bench-speed': 'bench/speed.ts', 'bench-blip-speed': 'bench/blip-speed.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  // one self-contained file per entry: the bench scripts must not pull the library into shared chunks
  splitting: false,
  target: 'node20',
  define: { __VLP_VERSION__: JSON.stringify(version) },
});
