import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AbortedError, InvalidArgumentError, VlpError, type VlpErrorCode } from '@vlp/core';
import { checkpointSteps, type TrainEvent, type TrainResult } from '@vlp/tasks';
import { shapesVLClasses } from '@vlp/data';
import { FeatureExchange } from '../training/feature-exchange.js';
import type { ClipTower } from './clip-towers.js';
import { type ClipTowerJob, exchangeLengths, type TinyClipRecipe, towerCheckpointDir } from './train-clip-tower.js';

const TOWERS: readonly ClipTower[] = ['vision', 'text'];

/** `dist/clip-tower-worker.js` of this package, from the bundle (`dist/`) or from the sources (tests). */
function workerScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dist = path.basename(here) === 'dist' ? here : path.resolve(here, '../../dist');
  const file = path.join(dist, 'clip-tower-worker.js');
  if (!existsSync(file)) throw new InvalidArgumentError({ message: `${file} is missing: build @vlp/zoo first (pnpm --filter @vlp/zoo build).`, path: file });
  return file;
}

/** The newest step both towers have a checkpoint of (undefined: none, start from scratch). */
function commonResumeStep(runDir: string): number | undefined {
  const [vision, text] = TOWERS.map((t) => checkpointSteps(towerCheckpointDir(runDir, t))) as [number[], number[]];
  const common = vision.filter((s) => text.includes(s));
  if (common.length > 0) return Math.max(...common);
  if (vision.length + text.length > 0) {
    throw new InvalidArgumentError({
      message: `The tower checkpoints in ${runDir} have no step in common (vision: ${vision.join(', ') || 'none'}; text: ${text.join(', ') || 'none'}); start again without resuming (--no-resume).`,
      path: runDir,
    });
  }
  return undefined;
}

/**
 * Tower-parallel training of tiny-clip: the vision tower and the text tower each train in their own
 * worker thread (tfjs-wasm runs one thread per instance, so this uses two cores), exchanging their
 * features every step (`trainClipTower`); the joint loss, gradient and AdamW step are those of
 * `trainTinyClip`'s single-thread loop up to float rounding. Events are the vision thread's. A
 * failure or abort of either thread stops both. Returns the losses and the trained parameters of
 * both towers.
 */
export async function trainTinyClipTowerParallel(options: {
  readonly recipe: TinyClipRecipe;
  readonly backend: string;
  readonly runDir: string;
  readonly filesDir: string;
  readonly resume: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainEvent) => void;
}): Promise<{ result: TrainResult; params: Map<string, Float32Array> }> {
  const script = workerScript();
  if (!options.resume) for (const t of TOWERS) rmSync(towerCheckpointDir(options.runDir, t), { recursive: true, force: true });
  const resumeStep = options.resume ? commonResumeStep(options.runDir) : undefined;
  const lengths = exchangeLengths(options.recipe, shapesVLClasses().length);
  const buffer = new SharedArrayBuffer(FeatureExchange.byteLength(lengths));
  const control = new FeatureExchange(buffer, 0, lengths); // only to abort
  const workers: Worker[] = [];
  const onAbort = () => control.abort();
  options.signal?.addEventListener('abort', onAbort);
  try {
    if (options.signal?.aborted) throw new AbortedError({ message: 'Tower-parallel training was aborted before it started.' });
    const runs = TOWERS.map((tower) => {
      const job: ClipTowerJob = {
        tower,
        recipe: options.recipe,
        backend: options.backend,
        filesDir: options.filesDir,
        checkpointDir: towerCheckpointDir(options.runDir, tower),
        resume: options.resume,
        resumeStep,
        buffer,
      };
      const worker = new Worker(script, { workerData: job });
      workers.push(worker);
      return new Promise<{ result: TrainResult; params: Map<string, Float32Array> }>((resolve, reject) => {
        let settled = false;
        const fail = (error: Error) => {
          if (settled) return;
          settled = true;
          control.abort();
          reject(error);
        };
        worker.on('message', (m: { type: string; event?: TrainEvent; result?: TrainResult; params?: Map<string, Float32Array>; code?: VlpErrorCode; message?: string; path?: string; tensor?: string }) => {
          if (m.type === 'event' && tower === 'vision' && m.event) options.onEvent?.(m.event);
          else if (m.type === 'done' && !settled) {
            settled = true;
            resolve({ result: m.result as TrainResult, params: m.params as Map<string, Float32Array> });
          } else if (m.type === 'failed') {
            const message = `${tower} tower: ${m.message}`;
            fail(m.code ? new VlpError({ code: m.code, message, path: m.path, tensor: m.tensor }) : new Error(message));
          }
        });
        worker.on('error', (error) => fail(error));
        worker.on('exit', (code) => fail(new Error(`The ${tower} tower's thread exited (code ${code}) before it finished.`)));
      });
    });
    const settled = await Promise.allSettled(runs);
    const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as Error);
    if (failures.length > 0) {
      // the first real cause, not the other side's "aborted" echo
      const cause = failures.find((e) => !VlpError.isInstance(e, 'VLP_ABORTED')) ?? failures[0];
      if (options.signal?.aborted && VlpError.isInstance(cause, 'VLP_ABORTED')) throw new AbortedError({ message: 'Tower-parallel training was aborted; the last complete checkpoints stay valid.' });
      throw cause;
    }
    const [vision, text] = settled.map((s) => (s as PromiseFulfilledResult<{ result: TrainResult; params: Map<string, Float32Array> }>).value) as [
      { result: TrainResult; params: Map<string, Float32Array> },
      { result: TrainResult; params: Map<string, Float32Array> },
    ];
    // both threads computed the same loss from the same features: a mismatch is a bug, not noise
    vision.result.losses.forEach((l, i) => {
      const t = text.result.losses[i] as number;
      if (!(Math.abs(l - t) <= 1e-5 * Math.max(1, Math.abs(l)))) throw new Error(`Tower-parallel training: step ${i + 1} loss ${l} (vision) ≠ ${t} (text).`);
    });
    return { result: vision.result, params: new Map([...vision.params, ...text.params]) };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
