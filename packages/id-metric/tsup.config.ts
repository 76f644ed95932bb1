import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  entry: { index: 'src/index.ts', 'id-platon-report': 'scripts/id-platon-report.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  // The report script's dev-only imports (@vlp/zoo, @vlp/models, @vlp/data) stay imports.
  external: [/^@vlp\//],
  define: { __VLP_VERSION__: JSON.stringify(version) },
});
