import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, clipTiny, exampleDir, leftovers, spawnCli, tempDir } from './__tests__/helpers.js';

// The built binary as a user runs it: real exit codes, stdout purity, signals.
const tmp = tempDir('vlp-bin-');

describe('vlp (binary)', () => {
  it('prints only one JSON document on stdout with --json, progress on stderr', async () => {
    const out = path.join(tmp, 'json');
    const { code, stdout, stderr } = await spawnCli(['prune', '--model', clipTiny, '--pruner', 'wanda', '--sparsity', '0.5', '--samples', '8', '--batch-size', '4', '--out', out, '--json', '--progress', 'plain']);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).out).toBe(out);
    expect(stderr).toMatch(/^vlp prune: /m);
  });

  it('prints plain progress lines when stderr is not a TTY, and none with --progress none', async () => {
    const plain = await spawnCli(['eval', '--model', clipTiny, '--task', 'zero-shot', '--limit', '4', '--progress', 'plain']);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/^vlp eval: evaluate zero-shot/m);
    expect(plain.stderr).not.toMatch(/\u001b\[/); // no cursor movement
    const none = await spawnCli(['eval', '--model', clipTiny, '--task', 'zero-shot', '--limit', '4', '--progress', 'none']);
    expect(none.stderr).toBe('');
  });

  it('exits with 2 on a usage error and 130 when interrupted, leaving nothing at --out', async () => {
    expect((await spawnCli(['prune', '--sparsity', 'lots'])).code).toBe(2);
    const out = path.join(tmp, 'interrupted');
    let sent = false;
    const result = await spawnCli(['prune', '--model', 'embedded:tiny-clip', '--pruner', 'snip', '--sparsity', '0.5', '--samples', '64', '--batch-size', '8', '--out', out, '--progress', 'plain'], {
      onStderr: (text, kill) => {
        if (!sent && /calibrate|score units/.test(text)) {
          sent = true;
          kill('SIGINT');
        }
      },
    });
    expect(sent, result.stderr).toBe(true);
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toMatch(/interrupted; nothing was written to --out/);
    expect(existsSync(out)).toBe(false);
    expect(leftovers(tmp).filter((e) => e.includes('vlp-tmp'))).toEqual([]);
  });
});

describe('vlp.config.ts (examples/third-party-pruner)', () => {
  it('registers the example plugin: vlp list shows it', async () => {
    const { code, stdout } = await spawnCli(['list', '--json'], { cwd: exampleDir });
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.config).toBe(path.join(exampleDir, 'vlp.config.ts'));
    const rowNorm = out.pruners.find((p: { id: string }) => p.id === 'row-norm');
    expect(rowNorm.source).toBe(out.config);
    expect(rowNorm.configSchema.properties.norm.enum).toEqual(['l1', 'l2']);
  });

  it('runs it in the benchmark, in a suite of vlp.config.ts: vlp bench run --suite row-norm-smoke --pruners row-norm', async () => {
    const dir = path.join(tmp, 'bench-row-norm');
    const { code, stdout, stderr } = await spawnCli(['bench', 'run', '--suite', 'row-norm-smoke', '--pruners', 'row-norm', '--limit', '8', '--out', dir, '--json'], { cwd: exampleDir });
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'complete', failed: 0 });
    const ids = readFileSync(path.join(dir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).pruner.id);
    expect(ids).toContain('row-norm');
  });

  it('stops quietly with its exit code when the reader closes the pipe early (vlp list --json | true)', () => {
    // `true` exits without reading, long before vlp has started: its first write meets a closed pipe
    const script = `"${process.execPath}" "${binPath}" list --json 2>"$ERR" | true; echo "\${PIPESTATUS[0]}"`;
    const err = path.join(os.tmpdir(), `vlp-epipe-${process.pid}.txt`);
    const status = execFileSync('bash', ['-c', script], { env: { ...process.env, ERR: err }, encoding: 'utf8' }).trim();
    expect(status).toBe('0');
    expect(readFileSync(err, 'utf8')).not.toMatch(/EPIPE|Unhandled/);
    rmSync(err, { force: true });
  });
});
