import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadMasks } from '@vlp/core';
import { installedPrunerRegistry } from '@vlp/bench';
import { describe, expect, it } from 'vitest';
import { clipTiny, fixturesDir, leftovers, runCli, tempDir } from '../__tests__/helpers.js';

// Every command on the HF fixture clip-tiny (../shared/fixtures/hf) and the embedded tiny-clip,
// in-process, with small sample counts.
const tmp = tempDir('vlp-cmd-');
const json = (stdout: string) => JSON.parse(stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('vlp', () => {
  describe('--help', () => {
    it('lists every command and the exit codes', async () => {
      const { code, stdout } = await runCli(['--help']);
      expect(code).toBe(0);
      for (const c of ['list', 'inspect', 'prune', 'eval', 'id', 'bench']) expect(stdout).toContain(`  ${c}`);
      expect(stdout).toContain('130 interrupted');
    });

    it('documents the options of each command', async () => {
      expect((await runCli(['prune', '--help'])).stdout).toMatch(/--sparsity <s>[\s\S]*--dry-run/);
      expect((await runCli(['eval', '--help'])).stdout).toContain('--task <ids>');
      expect((await runCli(['id', '--help'])).stdout).toContain('--max-blocks <n>');
      const bench = await runCli(['bench', '--help']);
      expect(bench.code).toBe(0);
      expect(bench.stdout).toContain('vlp bench merge <out> <shard-dir>');
    });

    it('fails with exit code 2 on an unknown command', async () => {
      const { code, stderr } = await runCli(['prnue']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/^vlp: unknown command 'prnue'/);
    });
  });

  describe('list', () => {
    it('prints every built-in pruner with capabilities, paper and config schema', async () => {
      const { code, stdout } = await runCli(['list', '--json']);
      expect(code).toBe(0);
      const out = json(stdout);
      const ids = out.pruners.map((p: { id: string }) => p.id);
      expect(ids).toEqual(expect.arrayContaining(['random', 'magnitude', 'wanda', 'sparsegpt', 'multiflow', 'ecoflap', 'upop', 'mope', 'id-metric']));
      const wanda = out.pruners.find((p: { id: string }) => p.id === 'wanda');
      expect(wanda.paper.year).toBe(2024);
      expect(wanda.capabilities.requires.calibration).toBe(true);
      expect(wanda.configSchema.type).toBe('object');
      expect((await runCli(['list'])).stdout).toMatch(/multiflow\s+│ unstructured/);
    });
  });

  describe('inspect', () => {
    it('reports units, structures, parameters and estimates of an HF checkpoint', async () => {
      const { code, stdout } = await runCli(['inspect', clipTiny, '--json']);
      expect(code).toBe(0);
      const out = json(stdout);
      expect(out.model.architecture).toBe('clip');
      expect(out.units).toHaveLength(30); // 3 vision + 2 text layers × (q, k, v, out, fc1, fc2)
      expect(Object.keys(out.modalities)).toEqual(['vision', 'text']);
      expect(out.modalities.vision.structures.head).toBe(12);
      expect(out.sparsity.realised).toBe(0);
      expect(out.estimates.perPruner.find((e: { pruner: string }) => e.pruner === 'sparsegpt').memoryBytes).toBeGreaterThan(0);
    });
  });

  describe('prune', () => {
    const out = path.join(tmp, 'wanda');

    it('writes the pruned checkpoint, masks and the per-layer report', async () => {
      const { code, stdout, stderr } = await runCli(['prune', '--model', clipTiny, '--pruner', 'wanda', '--sparsity', '0.5', '--samples', '8', '--batch-size', '4', '--out', out, '--json']);
      expect(code, stderr).toBe(0);
      const result = json(stdout);
      expect(result.out).toBe(out);
      expect(Math.abs(result.sparsity.total.sparsity - 0.5)).toBeLessThan(0.01);
      for (const f of ['model/config.json', 'model/model.safetensors', 'model/tokenizer.json', 'masks.safetensors', 'report.json', 'layers.csv']) expect(existsSync(path.join(out, f)), f).toBe(true);
      const csv = readFileSync(path.join(out, 'layers.csv'), 'utf8').trim().split('\n');
      expect(csv[0]).toBe('layer,modality,block,role,params,targetSparsity,realizedSparsity');
      expect(csv).toHaveLength(31);
      const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
      expect(report.format).toBe('vlp-prune-report');
      expect(report.layers).toHaveLength(30);
      expect((await loadMasks(path.join(out, 'masks.safetensors'))).masks.size).toBe(30);
      expect(leftovers(tmp).filter((e) => e.includes('vlp-tmp'))).toEqual([]);
    });

    it('reads the realised sparsity back from the pruned checkpoint (inspect)', async () => {
      const { stdout } = await runCli(['inspect', path.join(out, 'model'), '--json']);
      expect(Math.abs(json(stdout).sparsity.realised - 0.5)).toBeLessThan(0.01);
    });

    it('prints the table on the terminal', async () => {
      const { code, stdout } = await runCli(['prune', '--model', clipTiny, '--pruner', 'magnitude', '--sparsity', '0.25', '--out', path.join(tmp, 'magnitude')]);
      expect(code).toBe(0);
      expect(stdout).toMatch(/vision_model\.encoder\.layers\.0\.self_attn\.q_proj\.weight\s+│ vision\s+│/);
      expect(stdout).toContain('realised 25.00%');
    });

    it('compacts a structured result into a smaller checkpoint that loads back', async () => {
      const dir = path.join(tmp, 'mope');
      const { code, stdout, stderr } = await runCli(['prune', '--model', clipTiny, '--pruner', 'mope', '--sparsity', '0.3', '--eval-samples', '8', '--out', dir, '--json']);
      expect(code, stderr).toBe(0);
      const result = json(stdout);
      expect(result.compacted).toBe(true);
      expect(result.params.after).toBeLessThan(result.params.before);
      const reloaded = json((await runCli(['inspect', path.join(dir, 'model'), '--json'])).stdout);
      expect(reloaded.params.total).toBe(result.params.after);
    });

    it('--dry-run prints the resolved config and estimates and writes nothing', async () => {
      const dir = path.join(tmp, 'dry');
      const { code, stdout } = await runCli(['prune', '--model', 'embedded:tiny-clip', '--pruner', 'wanda', '--sparsity', '0.5', '--out', dir, '--dry-run', '--json']);
      expect(code).toBe(0);
      const plan = json(stdout);
      expect(plan.config).toMatchObject({ comparisonGroup: 'row' });
      expect(plan.estimate.memoryBytes).toBeGreaterThan(0);
      expect(plan.estimate.seconds).toBeGreaterThan(0);
      expect(existsSync(dir)).toBe(false);
      expect((await runCli(['prune', '--model', 'embedded:tiny-clip', '--pruner', 'wanda', '--sparsity', '0.5', '--dry-run'])).stdout).toMatch(/estimate\s+~[\d.]+ MiB peak memory/);
    });

    it('refuses a non-empty --out unless --overwrite', async () => {
      const args = ['prune', '--model', clipTiny, '--pruner', 'random', '--sparsity', '0.1', '--out', out];
      expect((await runCli(args)).code).toBe(2);
      expect((await runCli([...args, '--overwrite'])).code).toBe(0);
      expect(JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')).pruner.id).toBe('random');
    });
  });

  describe('on the BLIP fixtures', () => {
    it.each([
      ['blip-itm-tiny', 'blip-itm', 'retrieval'],
      ['blip-caption-tiny', 'blip-caption', 'captioning'],
      ['blip-vqa-tiny', 'blip-vqa', 'vqa'],
    ])('prunes and evaluates %s', async (fixture, architecture, task) => {
      const dir = path.join(tmp, fixture);
      const pruned = await runCli(['prune', '--model', path.join(fixturesDir, fixture), '--pruner', 'wanda', '--sparsity', '0.5', '--samples', '4', '--batch-size', '4', '--out', dir, '--json']);
      expect(pruned.code, pruned.stderr).toBe(0);
      expect(json(pruned.stdout).model.architecture).toBe(architecture);
      const evaluated = await runCli(['eval', '--model', path.join(dir, 'model'), '--limit', '4', '--json']);
      expect(evaluated.code, evaluated.stderr).toBe(0);
      expect(Object.keys(json(evaluated.stdout).metrics)).toEqual([task]);
    });
  });

  describe('eval', () => {
    it('evaluates every task of the architecture', async () => {
      const { code, stdout } = await runCli(['eval', '--model', clipTiny, '--limit', '16', '--json']);
      expect(code).toBe(0);
      const out = json(stdout);
      expect(Object.keys(out.metrics)).toEqual(['zero-shot', 'retrieval']);
      expect(out.primary).toEqual({ 'zero-shot': 'top1', retrieval: 'r1Mean' });
      expect(out.metrics['zero-shot'].count).toBe(16);
    });

    it('prints a table for one task', async () => {
      const { code, stdout } = await runCli(['eval', '--model', 'embedded:tiny-clip', '--task', 'retrieval', '--limit', '16']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/retrieval\s+│ r1Mean \*/);
    });
  });

  describe('id', () => {
    it('measures the intrinsic dimension of every prunable layer and writes the report and figure', async () => {
      const dir = path.join(tmp, 'id');
      const { code, stdout } = await runCli(['id', '--model', clipTiny, '--samples', '20', '--batch-size', '10', '--max-blocks', '2', '--out', dir, '--json']);
      expect(code).toBe(0);
      const report = json(stdout);
      expect(report.format).toBe('vlp-id-report');
      expect(report.units).toHaveLength(30);
      expect(report.meanByModality.vision).toBeGreaterThan(0);
      expect(existsSync(path.join(dir, 'id-report.json'))).toBe(true);
      expect(readFileSync(path.join(dir, 'id-plot.svg'), 'utf8')).toMatch(/^<svg/);
    });
  });

  describe('bench', () => {
    it('lists the suites and the pruners of pnpm bench', async () => {
      const { code, stdout } = await runCli(['bench', 'list', '--json']);
      expect(code).toBe(0);
      const out = json(stdout);
      expect(out.suites.map((s: { id: string }) => s.id)).toEqual(['default', 'smoke']);
      expect(out.pruners.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['random', 'magnitude', 'wanda']));
      // the same pruners, in the same order, as `pnpm bench` (variants such as `omp` included)
      const benchIds = (await installedPrunerRegistry()).list().map((p) => p.id);
      expect(benchIds).toEqual(expect.arrayContaining(['omp', 'ecoflap-first-order']));
      expect(out.pruners.map((p: { id: string }) => p.id)).toEqual(benchIds);
    });

    it('runs a suite on an HF checkpoint and re-renders its report', async () => {
      const dir = path.join(tmp, 'bench');
      const run = await runCli(['bench', 'run', '--suite', 'smoke', '--model-dir', clipTiny, '--pruners', 'magnitude', '--sparsities', '0.5', '--limit', '8', '--recovery-steps', '0', '--out', dir, '--json']);
      expect(run.code, run.stderr).toBe(0);
      expect(json(run.stdout)).toMatchObject({ status: 'complete', cells: 2, failed: 0 });
      const lines = readFileSync(path.join(dir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => l.pruner.id)).toEqual(['dense', 'magnitude']);
      const report = await runCli(['bench', 'report', dir]);
      expect(report.code).toBe(0);
      expect(report.stdout).toContain(path.join(dir, 'summary.md'));
    });
  });
});
