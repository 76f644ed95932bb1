import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HF_FIXTURES } from '../testing/fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '../..');
const doc = path.resolve(pkgDir, '../../docs/models/blip.md');

/** The value printed after `label: ` on its own line. */
function printed(stdout: string, label: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(`${label}: `));
  expect(line, `no "${label}:" line in\n${stdout}`).toBeDefined();
  return (line as string).slice(label.length + 2);
}

/** `a b c | d e f` → [[a, b, c], [d, e, f]]. */
const matrix = (text: string) => text.split(' | ').map((row) => row.split(' ').map(Number));

describe('docs/models/blip.md', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'vlp-blip-doc-'));
  // inside the package so that '@vlp/models' (self-reference) and its dependencies resolve
  const script = path.join(pkgDir, `.doc-blip-example-${process.pid}.mjs`);
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
    rmSync(script, { force: true });
  });

  it('its complete example retrieves, captions, answers and captions again from the ONNX export, on the tiny checkpoints', () => {
    const block = /```js\n(\/\/ blip-quickstart\.mjs[\s\S]*?)```/.exec(readFileSync(doc, 'utf8'));
    expect(block, 'the blip-quickstart block is missing').not.toBeNull();
    writeFileSync(script, block?.[1] as string);
    const dirs = ['blip-itm-tiny', 'blip-caption-tiny', 'blip-vqa-tiny'].map((d) => path.join(HF_FIXTURES, d));
    const onnxDir = path.join(out, 'onnx');
    const stdout = execFileSync(process.execPath, [script, ...dirs, onnxDir], { cwd: pkgDir, encoding: 'utf8' });

    // ITC: cosine similarities [2 images, 3 texts]; ITM: match probabilities of the same 6 pairs.
    const itc = matrix(printed(stdout, 'itc'));
    const itm = matrix(printed(stdout, 'itm'));
    for (const [got, want] of [
      [itc, [[-0.231, -0.196, -0.1], [-0.23, -0.275, -0.231]]],
      [itm, [[0.061, 0.089, 0.074], [0.03, 0.049, 0.038]]],
    ] as const) {
      expect(got.map((r) => r.length)).toEqual([3, 3]);
      got.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - (want[i]?.[j] as number))).toBeLessThanOrEqual(1.5e-3)));
    }
    expect(itc.flat().every((v) => v >= -1 && v <= 1) && itm.flat().every((v) => v > 0 && v < 1)).toBe(true);

    // Greedy captions (the tiny vocabulary is made up, so they are word salad), prompted ones keep the prompt.
    const captions = JSON.parse(printed(stdout, 'captions')) as string[];
    expect(captions).toEqual(['chair black field city black black black black', 'q sofa largeu city sofa city phone']);
    const prompted = JSON.parse(printed(stdout, 'prompted')) as string[];
    expect(prompted).toHaveLength(2);
    for (const p of prompted) expect(p.startsWith('a picture of ')).toBe(true);
    expect(prompted).toEqual(['a picture of truck truck old black black chair jumping jumping', 'a picture of dog city q sofa city q q q']);
    expect(JSON.parse(printed(stdout, 'answers'))).toEqual(['with with with with with with', 'woman woman woman woman woman woman']);

    // The export, run by onnxruntime-node alone, captions exactly as vlp does.
    expect(printed(stdout, 'onnx')).toBe('model.onnx vision_model.onnx text_decoder_model.onnx');
    expect(JSON.parse(printed(stdout, 'onnx captions'))).toEqual(captions);
    for (const f of ['model.onnx', 'vision_model.onnx', 'text_decoder_model.onnx']) expect(existsSync(path.join(onnxDir, f)), f).toBe(true);
  });
});
