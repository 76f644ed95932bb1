import path from 'node:path';
import { AbortedError, NoSuchPrunerError, VlpError } from '@vlp/core';
import { BenchUsageError } from '../errors/bench-errors.js';
import { installedPrunerRegistry } from '../pruners/installed-pruners.js';
import { writeReports } from '../report/write-reports.js';
import { readAllCells } from '../run/cell-store.js';
import { readManifest } from '../run/manifest.js';
import { mergeRuns } from '../run/merge.js';
import { runBench } from '../run/run-bench.js';
import { applyOverrides } from '../suite/apply-overrides.js';
import { SUITES, getSuite } from '../suites/index.js';
import { type BenchArgs, parseArgs, type RunArgs } from './parse-args.js';
import { createProgress } from './progress/create-progress.js';
import { resolveRunDir } from './run-dir.js';
import { USAGE } from './usage.js';

/** Where the CLI writes: stdout for results, stderr for progress and errors. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: NodeJS.WriteStream;
  /** Directory relative paths are resolved against (pnpm's INIT_CWD, else cwd). */
  readonly cwd: string;
  readonly signal: AbortSignal;
}

/** Exit codes: 0 ok, 1 failure, 2 usage, 130 interrupted. */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

async function run(args: RunArgs, argv: readonly string[], io: CliIo): Promise<number> {
  const suite = applyOverrides(getSuite(args.suite), args, io.cwd);
  const runDir = resolveRunDir(args, io.cwd);
  const progress = createProgress(args.json ? (args.progress === 'auto' ? 'none' : args.progress) : args.progress, io.stderr);
  try {
    const result = await runBench({
      suite,
      runDir,
      resume: args.resume,
      shard: args.shard,
      limit: args.limit,
      dataDir: args.dataDir,
      signal: io.signal,
      onEvent: progress.onEvent,
      argv,
      cwd: io.cwd,
    });
    progress.stop();
    if (args.json) {
      io.stdout(`${JSON.stringify({ runDir: result.runDir, status: result.status, cells: result.records.length, failed: result.failed })}\n`);
    } else {
      io.stdout(`Run ${result.status}: ${result.records.length} cells${result.failed ? `, ${result.failed} failed` : ''}.\n`);
      io.stdout(`  ${path.join(result.runDir, 'summary.md')}\n  ${path.join(result.runDir, 'report.html')}\n  ${path.join(result.runDir, 'results.jsonl')}\n`);
    }
    return result.status === 'complete' ? EXIT.ok : EXIT.failure;
  } finally {
    progress.stop();
  }
}

async function list(json: boolean, io: CliIo): Promise<number> {
  const registry = await installedPrunerRegistry();
  const pruners = registry.list().map((p) => ({ id: p.id, displayName: p.displayName, version: p.version, granularity: p.capabilities.granularity }));
  const suites = Object.values(SUITES).map((s) => ({ id: s.id, description: s.description }));
  if (json) io.stdout(`${JSON.stringify({ suites, pruners })}\n`);
  else {
    io.stdout(`Suites:\n${suites.map((s) => `  ${s.id.padEnd(10)} ${s.description}`).join('\n')}\n`);
    io.stdout(`Pruners:\n${pruners.map((p) => `  ${p.id.padEnd(18)} ${p.granularity.padEnd(13)} ${p.displayName} ${p.version}`).join('\n')}\n`);
  }
  return EXIT.ok;
}

async function dispatch(args: BenchArgs, argv: readonly string[], io: CliIo): Promise<number> {
  switch (args.command) {
    case 'help':
      io.stdout(USAGE);
      return EXIT.ok;
    case 'list':
      return list(args.json, io);
    case 'report': {
      const dir = path.resolve(io.cwd, args.dir);
      const manifest = readManifest(dir);
      if (!manifest) throw new BenchUsageError({ message: `bench report: ${dir} holds no run.json.` });
      const cells = readAllCells(dir);
      const records = manifest.cells.grid.map((k) => cells.get(k)).filter((r) => r !== undefined);
      await writeReports(dir, manifest, records);
      io.stdout(`${path.join(dir, 'summary.md')}\n${path.join(dir, 'report.html')}\n`);
      return EXIT.ok;
    }
    case 'merge': {
      const progress = createProgress(args.progress, io.stderr);
      const { manifest, records, missing } = await mergeRuns(path.resolve(io.cwd, args.out), args.shards.map((s) => path.resolve(io.cwd, s)), progress.onEvent);
      const out = path.resolve(io.cwd, args.out);
      if (args.json) io.stdout(`${JSON.stringify({ runDir: out, status: manifest.status, cells: records.length, missing })}\n`);
      else io.stdout(`Merged ${args.shards.length} shards: ${records.length} cells${missing ? `, ${missing} missing` : ''} → ${out}\n`);
      return manifest.status === 'complete' ? EXIT.ok : EXIT.failure;
    }
    case 'run':
      return run(args, argv, io);
  }
}

/**
 * The `pnpm bench` command: parses `argv`, runs the command, prints results on stdout and
 * progress and errors on stderr, and returns the exit code (0 ok, 1 failure, 2 usage error,
 * 130 interrupted).
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(parseArgs(argv), argv, io);
  } catch (error) {
    if (io.signal.aborted || AbortedError.isInstance(error)) {
      io.stderr.write('vlp bench: interrupted; run again with --resume to continue.\n');
      return EXIT.interrupted;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (BenchUsageError.isInstance(error) || NoSuchPrunerError.isInstance(error) || VlpError.isInstance(error, 'VLP_INVALID_CONFIG')) {
      io.stderr.write(`vlp bench: ${message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    io.stderr.write(`vlp bench: ${VlpError.isInstance(error) ? `${error.code}: ` : ''}${message}\n`);
    if (!VlpError.isInstance(error) && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT.failure;
  }
}
