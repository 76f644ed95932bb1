import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { atomicWriteFile, BadSafetensorsError, readSafetensors, writeSafetensors } from '@vlp/core';

/** What a trainer checkpoint holds besides tensors. */
export interface TrainerState {
  readonly format: 'vlp-trainer-checkpoint';
  readonly version: 1;
  /** Optimizer steps completed. */
  readonly step: number;
  readonly seed: number;
  readonly totalSteps: number;
  /** Loss of each completed step. */
  readonly losses: readonly number[];
}

const POINTER = 'latest.json';

/**
 * Writes `step-<n>/` (params.safetensors, optimizer.safetensors, state.json) and only then points
 * `latest.json` at it (atomic rename), so a crash at any moment leaves the previous checkpoint
 * intact; afterwards only the newest `keep` step directories (default 1) are kept.
 */
export async function saveCheckpoint(
  dir: string,
  state: TrainerState,
  params: ReadonlyMap<string, tf.Variable>,
  slots: ReadonlyMap<string, { m: tf.Variable; v: tf.Variable }>,
  keep = 1,
): Promise<void> {
  const name = `step-${state.step}`;
  const stepDir = path.join(dir, name);
  rmSync(stepDir, { recursive: true, force: true });
  mkdirSync(stepDir, { recursive: true });
  const tensor = async (t: tf.Tensor) => ({ dtype: 'F32' as const, shape: t.shape, data: (await t.data()) as Float32Array });
  const p = [];
  for (const [n, v] of params) p.push({ name: n, ...(await tensor(v)) });
  await writeSafetensors(path.join(stepDir, 'params.safetensors'), p);
  const o = [];
  for (const [n, s] of slots) o.push({ name: `m.${n}`, ...(await tensor(s.m)) }, { name: `v.${n}`, ...(await tensor(s.v)) });
  await writeSafetensors(path.join(stepDir, 'optimizer.safetensors'), o);
  await atomicWriteFile(path.join(stepDir, 'state.json'), `${JSON.stringify(state)}\n`);
  await atomicWriteFile(path.join(dir, POINTER), `${JSON.stringify({ checkpoint: name })}\n`);
  const older = checkpointSteps(dir).filter((s) => s !== state.step);
  for (const s of older.slice(0, Math.max(0, older.length - (keep - 1)))) rmSync(path.join(dir, `step-${s}`), { recursive: true, force: true });
}

/** The steps of the complete checkpoints (`step-<n>/` with its state.json) in `dir`, ascending. */
export function checkpointSteps(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((n) => /^step-(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null && existsSync(path.join(dir, m[0], 'state.json')))
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

function readPointer(dir: string): string | undefined {
  const file = path.join(dir, POINTER);
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { checkpoint: string }).checkpoint;
}

/**
 * The latest checkpoint in `dir` (or the one of `step`, which must exist), or undefined when there
 * is none.
 */
export async function loadCheckpoint(dir: string, step?: number): Promise<
  | { state: TrainerState; params: Map<string, Float32Array>; m: Map<string, Float32Array>; v: Map<string, Float32Array> }
  | undefined
> {
  const name = step === undefined ? readPointer(dir) : `step-${step}`;
  if (!name) return undefined;
  if (step !== undefined && !existsSync(path.join(dir, name, 'state.json'))) {
    throw new BadSafetensorsError({ message: `${dir} has no checkpoint of step ${step} (it has: ${checkpointSteps(dir).join(', ') || 'none'}).`, path: path.join(dir, name) });
  }
  const stepDir = path.join(dir, name);
  const state = JSON.parse(readFileSync(path.join(stepDir, 'state.json'), 'utf8')) as TrainerState;
  if (state.format !== 'vlp-trainer-checkpoint') {
    throw new BadSafetensorsError({ message: `${stepDir} is not a vlp trainer checkpoint (state.json format "${String(state.format)}").`, path: stepDir });
  }
  const read = async (file: string) => {
    const st = await readSafetensors(path.join(stepDir, file));
    const out = new Map<string, Float32Array>();
    try {
      for (const n of st.names) out.set(n, await st.readFloat32(n));
    } finally {
      await st.close();
    }
    return out;
  };
  const params = await read('params.safetensors');
  const opt = await read('optimizer.safetensors');
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  for (const [n, data] of opt) (n.startsWith('m.') ? m : v).set(n.slice(2), data);
  return { state, params, m, v };
}
