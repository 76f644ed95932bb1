import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs real Node processes against the BUILT package (turbo runs `build` before `test`), once as an
// ES module consumer and once as a CommonJS consumer (require(esm), Node >= 20.19).
const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(pkgDir, 'dist', 'index.js');

const body = (load: string) => `
${load}
(async () => {
  const core = await loadCore();
  const info = await core.initBackend({ backend: 'auto' });
  const tf = req('@tensorflow/tfjs-core');
  const x = tf.tensor1d([1, 2, 3]);
  const g = tf.grad((v) => v.square().sum())(x);          // gradient registered
  const chained = x.square().sum().dataSync()[0];          // chained op registered
  console.log(JSON.stringify({ backend: info.name, grad: Array.from(g.dataSync()), chained }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('@vlp/core consumers', () => {
  it('runs against a build (run `pnpm build` first; turbo does it before `test`)', () => {
    expect(existsSync(dist), `${dist} is missing`).toBe(true);
  });

  it('registers gradients and chained ops for an ESM consumer', () => {
    const script = body(
      `import { createRequire } from 'node:module'; const req = createRequire(${JSON.stringify(dist)}); const loadCore = () => import(${JSON.stringify(dist)});`,
    );
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: pkgDir, encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({ backend: 'wasm', grad: [2, 4, 6], chained: 14 });
  });

  it('registers gradients and chained ops for a CommonJS consumer (require)', () => {
    const script = body(
      `const req = require('node:module').createRequire(${JSON.stringify(dist)}); const loadCore = async () => req(${JSON.stringify(dist)});`,
    );
    const out = execFileSync(process.execPath, ['--input-type=commonjs', '-e', script], { cwd: pkgDir, encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({ backend: 'wasm', grad: [2, 4, 6], chained: 14 });
  });

});
