import { type CalibrationSource, type PrunableUnit, type PrunableView, type PruneContext, throwIfAborted } from '@vlp/core';

/**
 * Per-sample output representations of units, as the official `ComputeID` forward hooks: each
 * sample's unit output (`tokens × out`) flattened, zero-padded to the longest token count seen
 * (`expand_dim1`), over the first calibration batches until at least `samples` samples were seen
 * (whole batches, as the official `ceil(n / bs)·bs`; then cut to `samples`). Uses the view's
 * `unit-output` taps; one pass over the calibration data per call. Memory: units × samples ×
 * tokens × out floats.
 */

/** Representations of one unit: `[samples, width]` row-major. */
export interface UnitRepresentation {
  readonly unit: string;
  readonly samples: number;
  /** `maxTokens × out`. */
  readonly width: number;
  readonly values: Float32Array;
}

interface Pending {
  tokens: number;
  out: number;
  chunks: { rows: number; tokens: number; data: Float32Array }[];
}

/**
 * Runs calibration batches with a `unit-output` tap on each of `units` and returns their padded,
 * flattened outputs. Emits `calibration-start` / `calibration-batch-end` / `calibration-end`;
 * checks `ctx.signal` before every batch; disposes every run result.
 */
export async function collectRepresentations<Batch>(
  view: PrunableView<Batch>,
  units: readonly PrunableUnit[],
  calibration: CalibrationSource<Batch>,
  samples: number,
  ctx: Pick<PruneContext<unknown>, 'signal' | 'emit'>,
  engine?: 'onnx' | 'tfjs',
): Promise<UnitRepresentation[]> {
  const pending: Pending[] = units.map((u) => ({ tokens: 0, out: u.shape[0], chunks: [] }));
  const taps = units.map((u) => ({ kind: 'unit-output' as const, unit: u.name }));
  let seen = 0;
  let index = 0;
  ctx.emit({ type: 'calibration-start', batches: calibration.size });
  for await (const batch of calibration.batches()) {
    if (seen >= samples) break;
    throwIfAborted(ctx.signal, `ID calibration batch ${index}`);
    const result = await view.run(batch, { taps, signal: ctx.signal, ...(engine ? { engine } : {}) });
    try {
      for (const [i, tap] of result.taps.entries()) {
        const p = pending[i]!;
        const rows = tap.sequences;
        const tokens = tap.value.size / rows / p.out;
        p.tokens = Math.max(p.tokens, tokens);
        p.chunks.push({ rows, tokens, data: Float32Array.from((await tap.value.data()) as Float32Array) });
        if (i === 0) seen += rows;
      }
    } finally {
      result.dispose();
    }
    ctx.emit({ type: 'calibration-batch-end', index, total: calibration.size });
    index++;
  }
  ctx.emit({ type: 'calibration-end', batches: index });
  const n = Math.min(seen, samples);
  return units.map((u, i) => {
    const p = pending[i]!;
    const width = p.tokens * p.out;
    const values = new Float32Array(n * width);
    let row = 0;
    for (const chunk of p.chunks) {
      const w = chunk.tokens * p.out;
      for (let r = 0; r < chunk.rows && row < n; r++, row++) values.set(chunk.data.subarray(r * w, (r + 1) * w), row * width);
    }
    return { unit: u.name, samples: n, width, values };
  });
}
