import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { atomicWriteFile } from '@vlp/core';
import type { Shard } from '../grid/shard.js';
import type { EvaluationSpec, ModelSpec, RecoverySpec, Suite, TaskId } from '../suite/types.js';
import type { RunEnvironment } from './environment.js';

/** The `run.json` of a run directory. */
export interface RunManifest {
  readonly format: 'vlp-bench-run';
  readonly version: 1;
  readonly runId: string;
  readonly status: 'running' | 'complete' | 'interrupted' | 'failed';
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly argv: readonly string[];
  readonly suite: { readonly id: string; readonly description: string; readonly hash: string; readonly definition: Suite };
  /** `--limit`: evaluation images per task were capped at this number. */
  readonly limit: number | null;
  readonly shard: Shard | null;
  /** Shard directories this run was merged from (`bench merge`). */
  readonly mergedFrom?: readonly string[];
  readonly environment: RunEnvironment;
  readonly backend: { readonly tfjs: string; readonly engine: 'onnx' | 'tfjs'; readonly gradients: 'tfjs' };
  readonly seeds: readonly number[];
  readonly data: { readonly id: string };
  readonly models: readonly {
    readonly id: string;
    readonly spec: ModelSpec;
    readonly dir: string;
    readonly architecture: string;
    readonly hfArchitecture: string;
    readonly sha256: string;
    readonly files: Readonly<Record<string, string>>;
    readonly tasks: readonly TaskId[];
    readonly evalSets: Readonly<Partial<Record<TaskId, string>>>;
    /**
     * The grid this model ran: its pruner ids (the run's, minus those its own `pruners` setting
     * leaves out), targets, evaluation and recovery — the suite's, or the model's own overrides
     * (`suite.definition.models` holds the overrides as written). Absent in older run.json files.
     */
    readonly grid?: {
      readonly pruners: readonly string[];
      readonly sparsities: readonly number[];
      /** Per-pruner sparsities on this model (its `prunerSparsities`), when it sets them. */
      readonly prunerSparsities?: Readonly<Record<string, readonly number[]>>;
      readonly compressions: readonly number[];
      readonly evaluation: EvaluationSpec;
      readonly recovery: RecoverySpec | false;
      /** Which of these the model sets itself (the rest are the suite's). */
      readonly overrides: readonly string[];
    };
  }[];
  readonly pruners: readonly {
    readonly id: string;
    readonly displayName: string;
    readonly version: string;
    readonly granularity: string;
    readonly paper: unknown;
    readonly config: unknown;
  }[];
  readonly skipped: readonly { readonly modelId: string; readonly prunerId: string; readonly reason: string }[];
  /** `grid`: the key of every cell of the whole grid, in grid order (all shards); the counts are this run's. */
  readonly cells: { readonly grid: readonly string[]; readonly total: number; readonly finished: number; readonly failed: number };
}

/** Writes `run.json` atomically. */
export async function writeManifest(runDir: string, manifest: RunManifest): Promise<void> {
  await atomicWriteFile(path.join(runDir, 'run.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Reads `run.json`, or undefined when the directory has none. */
export function readManifest(runDir: string): RunManifest | undefined {
  const file = path.join(runDir, 'run.json');
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as RunManifest;
}
