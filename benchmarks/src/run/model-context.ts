import type { AnyModelAdapter } from '../adapters/model-adapter.js';
import type { BenchData, TrainExample } from '../data/bench-data.js';
import type { ModelGrid } from '../suite/model-grid.js';
import type { SuiteModel, TaskId } from '../suite/types.js';

/** Everything prepared once per model of a run and shared by its cells. */
export interface ModelContext {
  readonly suiteModel: SuiteModel;
  /** The settings this model runs with: the suite's, with the model's own overrides applied. */
  readonly grid: ModelGrid;
  /** Absolute checkpoint directory. */
  readonly dir: string;
  /** config.json `architectures[0]`. */
  readonly hfArchitecture: string;
  readonly adapter: AnyModelAdapter;
  /** sha256 over the checkpoint's files (names and contents). */
  readonly sha256: string;
  /** The model's image side (Shapes-VL renders at this size). */
  readonly imageSize: number;
  /** Held-out set of each task. */
  readonly evalSets: ReadonlyMap<TaskId, unknown>;
  /** sha256 of each task's held-out set. */
  readonly evalHashes: Readonly<Partial<Record<TaskId, string>>>;
  readonly data: BenchData;
  /** Training examples `[start, start + count)` (cached). */
  examples(start: number, count: number): Promise<TrainExample[]>;
}

/** Wraps `data.trainExample` with a cache keyed by index (cells share calibration and recovery data). */
export function cachedExamples(data: BenchData, size: number): (start: number, count: number) => Promise<TrainExample[]> {
  const cache = new Map<number, Promise<TrainExample>>();
  return async (start, count) => {
    const total = await data.trainSize();
    return Promise.all(
      Array.from({ length: count }, (_, i) => {
        const index = (start + i) % total;
        let p = cache.get(index);
        if (!p) cache.set(index, (p = data.trainExample(index, size)));
        return p;
      }),
    );
  };
}
