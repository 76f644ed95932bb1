/**
 * Per-token statistics of tiny-clip's vision units for the analysis scripts (multiflow-analysis,
 * wanda-analysis): each unit's inputs are reconstructed from the `unit-output` taps (the view exposes
 * per-unit statistics, not per-token inputs) and accumulated split by token type.
 */
import { readSafetensors } from '@vlp/core';
import { embeddedModelDir } from '@vlp/zoo';

/** Solves A X = B in float64 (A n×n row-major, B n×m row-major), partial pivoting; returns X. */
function solve(A, B, n, m) {
  const a = Float64Array.from(A);
  const b = Float64Array.from(B);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
    if (p !== c) {
      for (let k = 0; k < n; k++) [a[c * n + k], a[p * n + k]] = [a[p * n + k], a[c * n + k]];
      for (let k = 0; k < m; k++) [b[c * m + k], b[p * m + k]] = [b[p * m + k], b[c * m + k]];
    }
    const d = a[c * n + c];
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c] / d;
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r * n + k] -= f * a[c * n + k];
      for (let k = 0; k < m; k++) b[r * m + k] -= f * b[c * m + k];
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    const d = a[c * n + c];
    for (let k = 0; k < m; k++) {
      let s = b[c * m + k];
      for (let j = c + 1; j < n; j++) s -= a[c * n + j] * b[j * m + k];
      b[c * m + k] = s / d;
    }
  }
  return b;
}

/**
 * The inputs x [N, in] of a linear from its outputs y [N, out] = x Wᵀ + b (W [out, in], out ≥ in,
 * full column rank): (WᵀW) xᵀ = Wᵀ (y − b)ᵀ, in float64.
 */
function inputsFromOutputs(y, N, W, bias, out, inn) {
  const G = new Float64Array(inn * inn);
  for (let i = 0; i < inn; i++) for (let j = 0; j < inn; j++) {
    let s = 0;
    for (let o = 0; o < out; o++) s += W[o * inn + i] * W[o * inn + j];
    G[i * inn + j] = s;
  }
  const R = new Float64Array(inn * N); // Wᵀ (y − b)ᵀ  [in, N]
  for (let t = 0; t < N; t++) for (let o = 0; o < out; o++) {
    const r = y[t * out + o] - bias[o];
    for (let i = 0; i < inn; i++) R[i * N + t] += W[o * inn + i] * r;
  }
  return solve(G, R, inn, N); // xᵀ [in, N]
}

const quickGelu = (v) => v / (1 + Math.exp(-1.702 * v));

/**
 * Vision units' statistic split by token type: per unit, Σ x_j² over class-token rows and over
 * patch-token rows (divided by N_seq like the official statistic), reconstructed from unit outputs
 * (`unit-output` taps: q/k/v inputs from q_proj's output, out_proj's input from its output, fc1's
 * input from its output, fc2's input = quick_gelu(fc1 output)). Checked against the view's own
 * `input-sum-squares` taps (all rows): the largest relative error is returned.
 */
export async function visionTokenStatistics(view, units, calibration, numBatches, modelDir = embeddedModelDir('tiny-clip')) {
  const vision = units.filter((u) => u.modality === 'vision');
  const byLayer = new Map();
  for (const u of vision) {
    const m = u.name.match(/layers\.(\d+)\.(self_attn\.(q|k|v|out)_proj|mlp\.fc(1|2))\.weight$/);
    if (!m) throw new Error(`unexpected vision unit ${u.name}`);
    const layer = m[1];
    if (!byLayer.has(layer)) byLayer.set(layer, {});
    byLayer.get(layer)[m[3] ?? `fc${m[4]}`] = u;
  }
  const sources = [...byLayer.values()].flatMap((l) => [l.q, l.out, l.fc1]);
  const taps = [...sources.map((u) => ({ kind: 'unit-output', unit: u.name })), ...vision.map((u) => ({ kind: 'input-sum-squares', unit: u.name, tokens: 'all' }))];
  const acc = new Map(vision.map((u) => [u.name, { cls: new Float64Array(u.shape[1]), patch: new Float64Array(u.shape[1]), all: new Float64Array(u.shape[1]), sum: new Float64Array(u.shape[1]), rows: 0, seq: 0 }]));
  const weights = new Map();
  for (const u of sources) weights.set(u.name, { W: await view.weight(u.name).data() });
  let batches = 0;
  for await (const batch of calibration.batches()) {
    if (batches >= numBatches) break;
    const result = await view.run(batch, { taps });
    try {
      const outs = new Map();
      for (const t of result.taps) {
        if (t.spec.kind === 'unit-output') outs.set(t.spec.unit, { y: await t.value.data(), rows: t.value.shape[0], seqs: t.sequences });
      }
      for (const t of result.taps) if (t.spec.kind === 'input-sum-squares') {
        const v = await t.value.data();
        const a = acc.get(t.spec.unit).all;
        for (let j = 0; j < v.length; j++) a[j] += v[j];
      }
      for (const layer of byLayer.values()) {
        for (const [src, targets] of [[layer.q, [layer.q, layer.k, layer.v]], [layer.out, [layer.out]], [layer.fc1, [layer.fc1]]]) {
          const { y, rows } = outs.get(src.name);
          const [out, inn] = src.shape;
          const { W } = weights.get(src.name);
          const bias = await biasOf(modelDir, src);
          const xT = inputsFromOutputs(y, rows, W, bias, out, inn);
          const seqLen = tokensPerImage(rows, batch);
          for (const u of targets) addRows(acc.get(u.name), xT, inn, rows, seqLen, (i, t) => xT[i * rows + t]);
          if (src === layer.fc1) {
            addRows(acc.get(layer.fc2.name), null, out, rows, seqLen, (i, t) => quickGelu(y[t * out + i]));
          }
        }
      }
      const images = batch.pixelValues.shape[0];
      for (const u of vision) acc.get(u.name).seq += images;
    } finally {
      result.dispose();
    }
    batches++;
  }
  let worst = 0;
  const stats = new Map();
  for (const u of vision) {
    const a = acc.get(u.name);
    const recon = a.cls.map((c, j) => c + a.patch[j]);
    for (let j = 0; j < recon.length; j++) worst = Math.max(worst, Math.abs(recon[j] - a.all[j]) / Math.max(1e-12, a.all[j]));
    // centred: Σ_t (x_tj − μ_j)² = Σ_t x_tj² − rows·μ_j², μ_j the mean over all rows (class + patch tokens)
    const centred = recon.map((v, j) => Math.max(0, v - (a.sum[j] * a.sum[j]) / a.rows));
    stats.set(u.name, { cls: a.cls.map((v) => v / a.seq), patch: a.patch.map((v) => v / a.seq), all: a.all.map((v) => v / a.seq), centred: centred.map((v) => v / a.seq) });
  }
  return { stats, worst };
}

function tokensPerImage(rows, batch) {
  return rows / batch.pixelValues.shape[0];
}

function addRows(acc, _x, inn, rows, seqLen, value) {
  for (let t = 0; t < rows; t++) {
    const target = t % seqLen === 0 ? acc.cls : acc.patch;
    for (let i = 0; i < inn; i++) {
      const v = value(i, t);
      target[i] += v * v;
      acc.sum[i] += v;
    }
  }
  acc.rows += rows;
}

const biasCache = new Map();
/** A unit's bias, read from the checkpoint in `modelDir` (the view exposes weights only). */
async function biasOf(modelDir, unit) {
  const key = `${modelDir}\0${unit.name}`;
  if (!biasCache.has(key)) {
    const file = await readSafetensors(modelDir);
    try {
      biasCache.set(key, await file.readFloat32(unit.name.replace(/weight$/, 'bias')));
    } finally {
      await file.close();
    }
  }
  return biasCache.get(key);
}
