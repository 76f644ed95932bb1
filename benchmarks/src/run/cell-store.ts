import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { atomicWriteFile } from '@vlp/core';
import { type CellRecord, RESULTS_SCHEMA_VERSION, resultLine } from '../results/schema.js';

/** `cells/<key>.json` of a run directory. */
export function cellFile(runDir: string, key: string): string {
  return path.join(runDir, 'cells', `${key}.json`);
}

/** The record of a finished cell, or undefined (missing, unreadable or of another schema version). */
export function readCell(runDir: string, key: string): CellRecord | undefined {
  const file = cellFile(runDir, key);
  if (!existsSync(file)) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as CellRecord;
    return record.schema === RESULTS_SCHEMA_VERSION && record.key === key ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Every cell record of a run directory, by key. */
export function readAllCells(runDir: string): Map<string, CellRecord> {
  const dir = path.join(runDir, 'cells');
  const out = new Map<string, CellRecord>();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    const record = readCell(runDir, name.slice(0, -'.json'.length));
    if (record) out.set(record.key, record);
  }
  return out;
}

/** Writes `cells/<key>.json` atomically (temp file + rename): a crash leaves the old state or the new one. */
export async function writeCell(runDir: string, record: CellRecord): Promise<void> {
  await atomicWriteFile(cellFile(runDir, record.key), `${JSON.stringify(record, null, 1)}\n`);
}

/**
 * Rewrites `results.jsonl` atomically from cell records, one line per cell in the given (grid)
 * order. Regenerated after every cell, so the file always holds exactly one line per finished cell,
 * whatever moment a run is killed at.
 */
export async function writeResults(runDir: string, records: readonly CellRecord[]): Promise<void> {
  await atomicWriteFile(path.join(runDir, 'results.jsonl'), records.map((r) => `${JSON.stringify(resultLine(r))}\n`).join(''));
}
