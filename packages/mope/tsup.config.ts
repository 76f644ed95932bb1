import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  entry: { index: 'src/index.ts', 'mope-report': 'scripts/mope-report.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // the report script imports dev-only workspace packages (@vlp/zoo finds its checkpoints next to its own dist)
  external: [/^@vlp\//],
  define: { __VLP_VERSION__: JSON.stringify(version) },
});
