import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { atomicWriteFile } from '@vlp/core';
import { usageError } from '../errors/bench-errors.js';
import { writeReports } from '../report/write-reports.js';
import type { CellRecord } from '../results/schema.js';
import { readAllCells, writeCell, writeResults } from './cell-store.js';
import type { BenchEventSink } from './events.js';
import { acquireRunLock } from './lock.js';
import { type RunManifest, readManifest, writeManifest } from './manifest.js';

/**
 * `bench merge`: combines shard directories of one grid (`--shard i/n` runs of the same suite and
 * flags) into `outDir`: copies every cell record and mask file, rewrites `results.jsonl` in grid
 * order, and writes the reports and a `run.json` listing the shards. Shards of different grids
 * (another suite definition, model, data or flags) are refused; missing cells are reported and the
 * merged run is marked `interrupted` (run the missing shard, then merge again).
 */
export async function mergeRuns(outDir: string, shardDirs: readonly string[], onEvent: BenchEventSink = () => undefined): Promise<{ manifest: RunManifest; records: CellRecord[]; missing: number }> {
  if (shardDirs.length === 0) throw usageError('bench merge needs an output directory and at least one shard directory: bench merge <out> <shard-dir>...');
  const dirs = shardDirs.map((d) => path.resolve(d));
  const manifests = dirs.map((d) => {
    const m = readManifest(d);
    if (!m) throw usageError(`bench merge: ${d} holds no run.json (not a bench run directory).`);
    return m;
  });
  const first = manifests[0] as RunManifest;
  manifests.forEach((m, i) => {
    if (m.suite.hash !== first.suite.hash || m.cells.grid.join() !== first.cells.grid.join()) {
      throw usageError(`bench merge: ${dirs[i]} was run with another grid than ${dirs[0]} (suite "${m.suite.id}" vs "${first.suite.id}", or different flags, models or data); only shards of one grid can be merged.`);
    }
  });
  const out = path.resolve(outDir);
  await mkdir(path.join(out, 'cells'), { recursive: true });
  await mkdir(path.join(out, 'masks'), { recursive: true });
  const lock = await acquireRunLock(out, (message) => onEvent({ type: 'warning', message }));
  try {
    const byKey = new Map<string, { record: CellRecord; dir: string }>();
    for (const dir of dirs) {
      for (const [key, record] of readAllCells(dir)) {
        const have = byKey.get(key);
        if (!have || (have.record.status !== 'ok' && record.status === 'ok')) byKey.set(key, { record, dir });
      }
    }
    const records: CellRecord[] = [];
    for (const key of first.cells.grid) {
      const found = byKey.get(key);
      if (!found) continue;
      if (found.record.masks) {
        const src = path.join(found.dir, found.record.masks);
        if (existsSync(src)) await atomicWriteFile(path.join(out, found.record.masks), await readFile(src));
      }
      await writeCell(out, found.record);
      records.push(found.record);
    }
    const missing = first.cells.grid.length - records.length;
    if (missing > 0) onEvent({ type: 'warning', message: `${missing} of ${first.cells.grid.length} cells are in none of the shards; run the missing shards and merge again.` });
    const failed = records.filter((r) => r.status === 'failed').length;
    const manifest: RunManifest = {
      ...first,
      runId: path.basename(out),
      status: missing > 0 ? 'interrupted' : failed > 0 ? 'failed' : 'complete',
      startedAt: manifests.map((m) => m.startedAt).sort()[0] as string,
      endedAt: new Date().toISOString(),
      shard: null,
      mergedFrom: dirs,
      cells: { grid: first.cells.grid, total: first.cells.grid.length, finished: records.length - failed, failed },
    };
    await writeResults(out, records);
    await writeReports(out, manifest, records);
    await writeManifest(out, manifest);
    return { manifest, records, missing };
  } finally {
    await lock.release();
  }
}
