import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { InvalidConfigError, type PrunerRegistry, createPrunerRegistry, readSafetensors } from '@vlp/core';
import { baselinePruners } from '@vlp/baselines';
import { type Suite, type SuiteInput, SUITES, defineSuite, applyOverrides, mergeRuns, readAllCells, readManifest, writeReports, installedMethodPruners, installedPrunerVariants, resolveModelDir, main as benchMain, parseArgs, runBench } from '@vlp/bench';
import type { VlpConfig } from '../config/define-config.js';
import { usageError } from '../errors.js';
import { renderTable } from '../output/table.js';
import { assertCreatableDir } from '../output/writable.js';
import { benchEvents } from '../progress/event-sinks.js';
import { type ProgressMode, createProgress, resolveMode } from '../progress/progress.js';
import type { CommandContext } from './context.js';
import { printJson } from './context.js';

/**
 * The benchmark's registry: the pruners `pnpm bench` runs (the baselines, the method packages
 * of `@vlp/bench`'s METHOD_PACKAGES and its pruner variants such as `omp`, resolved from this
 * package's dependencies) plus those of `vlp.config.ts`.
 */
export async function benchRegistry(config: VlpConfig): Promise<PrunerRegistry> {
  const importer = (name: string): Promise<Record<string, unknown>> => import(name) as Promise<Record<string, unknown>>;
  const methods = await installedMethodPruners(importer);
  const variants = await installedPrunerVariants(importer);
  return createPrunerRegistry([...baselinePruners(), ...methods, ...variants, ...(config.pruners ?? [])]);
}

/**
 * Built-in suites plus those of `vlp.config.ts`, each validated (and defaults filled) by
 * `defineSuite`, so a config may export plain objects. A config suite may not reuse a taken id.
 */
export function benchSuites(config: VlpConfig, file = 'vlp.config.ts'): Record<string, Suite> {
  const suites: Record<string, Suite> = { ...SUITES };
  for (const s of config.suites ?? []) {
    if (suites[s.id]) throw usageError(`${file}: suite id "${s.id}" is already taken (suites: ${Object.keys(suites).join(', ')}); rename it.`);
    try {
      suites[s.id] = defineSuite(s as SuiteInput);
    } catch (cause) {
      throw new InvalidConfigError({ message: `${file}: suite "${s.id}" is invalid: ${(cause as Error).message}`, path: file, cause });
    }
  }
  return suites;
}

/** The `pnpm bench` usage text, for `vlp bench`. */
export async function benchUsage(): Promise<string> {
  // The usage text is not exported by @vlp/bench; its main prints it for --help.
  let text = '';
  await benchMain(['--help'], { stdout: (t) => (text += t), stderr: process.stderr, cwd: process.cwd(), signal: new AbortController().signal });
  return text.replaceAll('pnpm bench', 'vlp bench');
}

/**
 * Checks what `runBench` would only find out after creating the run directory: every pruner id
 * is registered and every model's weights file has a valid safetensors header. Bad input then
 * fails with exit code 2 and nothing written.
 */
async function preflight(suite: Suite, registry: PrunerRegistry, cwd: string): Promise<void> {
  if (suite.pruners !== 'installed') for (const id of suite.pruners) registry.get(id);
  for (const m of suite.models) {
    const file = await readSafetensors(await resolveModelDir(m.model, cwd));
    await file.close();
  }
}

/** `bench report <run-dir>`: re-renders summary.md, the plots and report.html from the cell records. */
async function report(dir: string, ctx: CommandContext): Promise<number> {
  const manifest = readManifest(dir);
  if (!manifest) throw usageError(`${dir} holds no run.json; pass a run directory written by vlp bench run (or pnpm bench).`, { path: dir });
  const cells = readAllCells(dir);
  const records = manifest.cells.grid.map((k) => cells.get(k)).filter((r) => r !== undefined);
  await writeReports(dir, manifest, records);
  ctx.io.stdout(`${path.join(dir, 'summary.md')}\n${path.join(dir, 'report.html')}\n`);
  return 0;
}

/** `bench merge <out> <shard-dir>...`: combines the shards of one grid into one run directory. */
async function merge(args: { out: string; shards: readonly string[]; json: boolean; progress: ProgressMode }, ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  const out = path.resolve(io.cwd, args.out);
  for (const shard of args.shards) if (!readManifest(path.resolve(io.cwd, shard))) throw usageError(`${path.resolve(io.cwd, shard)} holds no run.json; pass the run directories of vlp bench run --shard i/n.`);
  assertCreatableDir(out);
  const progress = createProgress(resolveMode(args.progress, io.stderr, io.env, args.json), io.stderr, 'vlp bench:');
  try {
    const { manifest, records, missing } = await mergeRuns(out, args.shards.map((s) => path.resolve(io.cwd, s)), benchEvents(progress));
    if (args.json) io.stdout(`${JSON.stringify({ runDir: out, status: manifest.status, cells: records.length, missing })}\n`);
    else io.stdout(`Merged ${args.shards.length} shards: ${records.length} cells${missing ? `, ${missing} missing` : ''} → ${out}\n`);
    return manifest.status === 'complete' ? 0 : 1;
  } finally {
    progress.stop();
  }
}

function latestRun(base: string, suite: string): string {
  const runs = existsSync(base) ? readdirSync(base).filter((d) => existsSync(path.join(base, d, 'run.json'))).sort() : [];
  const latest = runs[runs.length - 1];
  if (!latest) throw usageError(`--resume: no earlier run of suite "${suite}" in ${base}; pass --out <run-dir>.`);
  return path.join(base, latest);
}

/**
 * `vlp bench run|report|merge|list`: the benchmark of `@vlp/bench` with the same flags as `pnpm bench`.
 * `run` calls the same `runBench` with the suites and pruners of `vlp.config.ts` added; `report` and
 * `merge` are `pnpm bench`'s own commands. Run directories default to `bench-results/<suite>/<timestamp>`
 * under the working directory.
 */
export async function runBenchCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  const args = parseArgs(argv);
  if (args.command === 'help') {
    io.stdout(await benchUsage());
    return 0;
  }
  if (args.command === 'report') return report(path.resolve(io.cwd, args.dir), ctx);
  if (args.command === 'merge') return merge(args, ctx);
  const loaded = await ctx.config();
  const suites = benchSuites(loaded.config, loaded.file);
  const registry = await benchRegistry(loaded.config);
  if (args.command === 'list') {
    const pruners = registry.list().map((p) => ({ id: p.id, displayName: p.displayName, version: p.version, granularity: p.capabilities.granularity }));
    const list = Object.values(suites).map((s) => ({ id: s.id, description: s.description }));
    if (args.json) printJson(ctx, { suites: list, pruners });
    else {
      io.stdout(`Suites:\n${renderTable(['id', 'description'], list.map((s) => [s.id, s.description]), ['left', 'left'])}`);
      io.stdout(`Pruners:\n${renderTable(['id', 'granularity', 'version'], pruners.map((p) => [p.id, p.granularity, p.version]), ['left', 'left', 'left'])}`);
    }
    return 0;
  }
  const base = suites[args.suite];
  if (!base) throw usageError(`Unknown suite "${args.suite}"; choose one of: ${Object.keys(suites).join(', ')} (or add it to vlp.config.ts).`);
  const suite = applyOverrides(base, args, io.cwd);
  await preflight(suite, registry, io.cwd);
  const runDir = args.out ? path.resolve(io.cwd, args.out) : args.resume ? latestRun(path.join(io.cwd, 'bench-results', suite.id), suite.id) : path.join(io.cwd, 'bench-results', suite.id, new Date().toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-'));
  if (!args.resume) assertCreatableDir(runDir);
  const progress = createProgress(resolveMode(args.progress, io.stderr, io.env, args.json), io.stderr, 'vlp bench:');
  try {
    const result = await runBench({ suite, runDir, resume: args.resume, shard: args.shard, limit: args.limit, dataDir: args.dataDir, registry, signal: io.signal, onEvent: benchEvents(progress), argv: ['vlp', 'bench', ...argv], cwd: io.cwd });
    progress.stop();
    if (args.json) io.stdout(`${JSON.stringify({ runDir: result.runDir, status: result.status, cells: result.records.length, failed: result.failed })}\n`);
    else {
      io.stdout(`Run ${result.status}: ${result.records.length} cells${result.failed ? `, ${result.failed} failed` : ''}.\n`);
      io.stdout(`  ${path.join(result.runDir, 'summary.md')}\n  ${path.join(result.runDir, 'report.html')}\n  ${path.join(result.runDir, 'results.jsonl')}\n`);
    }
    return result.status === 'complete' ? 0 : 1;
  } finally {
    progress.stop();
  }
}
