import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HF_FIXTURES } from '../testing/fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '../..');
const doc = path.resolve(pkgDir, '../../docs/models/clip.md');

describe('docs/models/clip.md', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'vlp-clip-doc-'));
  // inside the package so that '@vlp/models' (self-reference) and its dependencies resolve
  const script = path.join(pkgDir, `.doc-example-${process.pid}.mjs`);
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(script, { force: true });
  });

  it('its complete example runs on the tiny checkpoint and writes what it says', () => {
    const block = /```js\n(\/\/ clip-quickstart\.mjs[\s\S]*?)```/.exec(readFileSync(doc, 'utf8'));
    expect(block, 'the clip-quickstart block is missing').not.toBeNull();
    writeFileSync(script, block?.[1] as string);
    const stdout = execFileSync(process.execPath, [script, path.join(HF_FIXTURES, 'clip-tiny'), out], { cwd: pkgDir, encoding: 'utf8' });
    const probs = /zero-shot: ([\d. ]+)/.exec(stdout)?.[1]?.trim().split(' ').map(Number) ?? [];
    expect(probs).toHaveLength(3);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    expect(stdout).toContain('pruned units: 10');
    expect(stdout).toContain('onnx: model.onnx vision_model.onnx text_model.onnx');
    for (const f of ['checkpoint/config.json', 'checkpoint/model.safetensors', 'checkpoint/tokenizer.json', 'checkpoint/preprocessor_config.json', 'onnx/model.onnx']) {
      expect(existsSync(path.join(out, f)), f).toBe(true);
    }
  });
});
