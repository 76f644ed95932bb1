import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { blockingFile, corruptClipTiny, leftovers, runCli, tempDir } from '../__tests__/helpers.js';

// Bad input to every command: exit code 2, ONE line on stderr naming the problem and the fix,
// nothing on stdout, and nothing written to --out (no staging directory left beside it either).
const tmp = tempDir('vlp-bad-');
let corrupt: string;
let file: string;
let badJson: string;
let badConfigDir: string;
const missing = path.join(tmp, 'no-such-model');
const FIX = /(pass|choose|fix|use |check|known ids|takes|must be|register|copy|rename|is required)/i;

beforeAll(() => {
  corrupt = corruptClipTiny(tmp);
  file = blockingFile(tmp);
  badJson = path.join(tmp, 'bad.json');
  writeFileSync(badJson, '{"comparisonGroup": ');
  badConfigDir = path.join(tmp, 'bad-config');
  mkdirSync(badConfigDir);
  writeFileSync(path.join(badConfigDir, 'vlp.config.ts'), 'export default { pruners: [ };\n');
});

interface Case {
  readonly name: string;
  readonly argv: (out: string) => string[];
  readonly cwd?: () => string;
  readonly code?: RegExp;
}

const prune = (args: string[]) => (out: string) => ['prune', '--model', 'embedded:tiny-clip', '--pruner', 'magnitude', '--sparsity', '0.5', '--out', out, ...args];

const CASES: Record<string, Case[]> = {
  list: [{ name: 'invalid vlp.config.ts', argv: () => ['list'], cwd: () => badConfigDir, code: /VLP_INVALID_CONFIG/ }],
  inspect: [
    { name: 'missing model dir', argv: () => ['inspect', missing], code: /VLP_MODEL_FILE_NOT_FOUND/ },
    { name: 'corrupt safetensors', argv: () => ['inspect', corrupt], code: /VLP_BAD_SAFETENSORS/ },
    { name: 'unknown embedded model', argv: () => ['inspect', 'embedded:huge-clip'], code: /VLP_INVALID_ARGUMENT/ },
    { name: 'invalid vlp.config.ts', argv: () => ['inspect', 'embedded:tiny-clip'], cwd: () => badConfigDir, code: /VLP_INVALID_CONFIG/ },
  ],
  prune: [
    { name: 'missing model dir', argv: (out) => prune([])(out).map((a) => (a === 'embedded:tiny-clip' ? missing : a)), code: /VLP_MODEL_FILE_NOT_FOUND/ },
    { name: 'corrupt safetensors', argv: (out) => prune([])(out).map((a) => (a === 'embedded:tiny-clip' ? corrupt : a)), code: /VLP_BAD_SAFETENSORS/ },
    { name: 'corrupt safetensors (dry run)', argv: (out) => [...prune([])(out).map((a) => (a === 'embedded:tiny-clip' ? corrupt : a)), '--dry-run'], code: /VLP_BAD_SAFETENSORS/ },
    { name: 'unknown pruner', argv: (out) => prune([])(out).map((a) => (a === 'magnitude' ? 'no-such-pruner' : a)), code: /VLP_NO_SUCH_PRUNER/ },
    { name: 'sparsity 1.5', argv: (out) => prune([])(out).map((a) => (a === '0.5' ? '1.5' : a)), code: /--sparsity/ },
    { name: 'invalid config JSON', argv: (out) => prune(['--config', badJson])(out), code: /VLP_INVALID_CONFIG/ },
    { name: 'config the pruner rejects', argv: (out) => prune(['--config', path.join(tmp, 'wrong-field.json')])(out), code: /VLP_INVALID_CONFIG/ },
    { name: 'unwritable output dir', argv: () => prune([])(path.join(file, 'out')), code: /VLP_IO/ },
    { name: 'missing --out', argv: () => prune([])('').filter((a, i, all) => a !== '--out' && all[i - 1] !== '--out'), code: /--out/ },
    { name: 'unknown option', argv: (out) => prune(['--sparsty', '0.5'])(out), code: /unknown option/ },
    { name: 'invalid vlp.config.ts', argv: (out) => prune([])(out), cwd: () => badConfigDir, code: /VLP_INVALID_CONFIG/ },
  ],
  eval: [
    { name: 'missing model dir', argv: () => ['eval', '--model', missing], code: /VLP_MODEL_FILE_NOT_FOUND/ },
    { name: 'corrupt safetensors', argv: () => ['eval', '--model', corrupt, '--limit', '4'], code: /VLP_BAD_SAFETENSORS/ },
    { name: 'task of another architecture', argv: () => ['eval', '--model', 'embedded:tiny-clip', '--task', 'vqa'], code: /--task vqa/ },
    { name: 'limit 0', argv: () => ['eval', '--model', 'embedded:tiny-clip', '--limit', '0'], code: /--limit/ },
  ],
  id: [
    { name: 'missing model dir', argv: (out) => ['id', '--model', missing, '--out', out], code: /VLP_MODEL_FILE_NOT_FOUND/ },
    { name: 'corrupt safetensors', argv: (out) => ['id', '--model', corrupt, '--out', out, '--samples', '8'], code: /VLP_BAD_SAFETENSORS/ },
    { name: 'unwritable output dir', argv: () => ['id', '--model', 'embedded:tiny-clip', '--out', path.join(file, 'out')], code: /VLP_IO/ },
  ],
  bench: [
    { name: 'missing model dir', argv: (out) => ['bench', 'run', '--suite', 'smoke', '--model-dir', missing, '--out', out], code: /VLP_MODEL_FILE_NOT_FOUND/ },
    { name: 'corrupt safetensors', argv: (out) => ['bench', 'run', '--suite', 'smoke', '--model-dir', corrupt, '--out', out], code: /VLP_BAD_SAFETENSORS/ },
    { name: 'unknown pruner', argv: (out) => ['bench', 'run', '--suite', 'smoke', '--pruners', 'no-such-pruner', '--out', out], code: /VLP_NO_SUCH_PRUNER/ },
    { name: 'sparsity 1.5', argv: (out) => ['bench', 'run', '--suite', 'smoke', '--sparsities', '1.5', '--out', out], code: /sparsit/i },
    { name: 'unknown suite', argv: (out) => ['bench', 'run', '--suite', 'nope', '--out', out], code: /Unknown suite/ },
    { name: 'unwritable output dir', argv: () => ['bench', 'run', '--suite', 'smoke', '--out', path.join(file, 'out')], code: /VLP_IO/ },
    { name: 'invalid vlp.config.ts', argv: (out) => ['bench', 'run', '--suite', 'smoke', '--out', out], cwd: () => badConfigDir, code: /VLP_INVALID_CONFIG/ },
    { name: 'report of a directory without a run', argv: (out) => ['bench', 'report', out] },
  ],
};

describe('vlp on bad input', () => {
  beforeAll(() => writeFileSync(path.join(tmp, 'wrong-field.json'), JSON.stringify({ noSuchOption: 1 })));
  for (const [command, cases] of Object.entries(CASES)) {
    describe(command, () => {
      for (const c of cases) {
        it(`${c.name}: exits 2 with a one-line error and writes nothing`, async () => {
          const parent = path.join(tmp, `out-${command}-${c.name.replace(/\W+/g, '-')}`);
          mkdirSync(parent, { recursive: true });
          const out = path.join(parent, 'result');
          const { code, stdout, stderr } = await runCli(c.argv(out), { cwd: c.cwd?.() ?? tmp });
          expect(code, stderr).toBe(2);
          expect(stdout).toBe('');
          const lines = stderr.trim().split('\n');
          expect(lines, stderr).toHaveLength(1);
          expect(lines[0]).toMatch(new RegExp(`^vlp ${command}: `));
          if (c.code) expect(lines[0]).toMatch(c.code);
          expect(lines[0], 'names a fix').toMatch(FIX);
          expect(existsSync(out), 'nothing at --out').toBe(false);
          expect(leftovers(parent), 'no staging directory left').toEqual([]);
        });
      }
    });
  }
});
