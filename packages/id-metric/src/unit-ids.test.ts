import * as tf from '@tensorflow/tfjs';
import { createRng, type PruneEvent } from '@vlp/core';
import { createSyntheticView, syntheticCalibration } from '@vlp/testkit';
import { describe, expect, it } from 'vitest';
import { collectRepresentations } from './collect-representations.js';
import { idPlotSvg } from './id-plot-svg.js';
import { idReport, idsByUnit } from './id-report.js';
import { measureUnitIds } from './unit-ids.js';

const calibration = syntheticCalibration(4, 0, { batchSize: 8 });

describe('collectRepresentations', () => {
  it('flattens each sample\'s unit output (tokens × out), stops after `samples`, disposes every result', async () => {
    const view = createSyntheticView();
    try {
      const before = tf.memory().numTensors;
      const unit = view.units.find((u) => u.modality === 'text')!;
      const [rep] = await collectRepresentations(view, [unit], calibration, 10, { signal: new AbortController().signal, emit: () => {} });
      expect(rep!.samples).toBe(10);
      expect(rep!.width).toBe(6 * unit.shape[0]); // 6 text tokens × out
      expect(tf.memory().numTensors).toBe(before);
      // the first sample equals the tap of the first batch's first row
      let first: Float32Array | undefined;
      for await (const batch of calibration.batches()) {
        const r = await view.run(batch, { taps: [{ kind: 'unit-output', unit: unit.name }] });
        first = (await r.taps[0]!.value.data()).slice(0, rep!.width) as Float32Array;
        r.dispose();
        break;
      }
      expect(Array.from(rep!.values.subarray(0, rep!.width))).toEqual(Array.from(first!));
    } finally {
      view.dispose();
    }
  });
});

describe('measureUnitIds', () => {
  it('measures every unit, emits paired events, and builds the JSON report and the SVG figure', async () => {
    const view = createSyntheticView();
    try {
      const events: PruneEvent[] = [];
      const ids = await measureUnitIds(view, view.units, calibration, { samples: 32, maxBlocks: 3, unitsPerPass: 5 }, { signal: new AbortController().signal, emit: (e) => events.push(e), rng: createRng(0) });
      expect(ids.map((u) => u.unit)).toEqual(view.units.map((u) => u.name));
      for (const u of ids) expect(u.id).toBeGreaterThan(0);
      expect(events.filter((e) => e.type === 'unit-score-end')).toHaveLength(view.units.length);
      expect(events.filter((e) => e.type === 'calibration-start')).toHaveLength(Math.ceil(view.units.length / 5));
      const report = idReport(ids, { model: 'synthetic', maxBlocks: 3 });
      expect(report.format).toBe('vlp-id-report');
      expect(Object.keys(report.meanByModality).sort()).toEqual(['text', 'vision']);
      expect(Object.keys(idsByUnit(report))).toHaveLength(view.units.length);
      const svg = idPlotSvg(report);
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.match(/<circle /g)).toHaveLength(view.units.length);
      expect(svg).toContain('#1f77b4');
      expect(svg).toContain('#ff7f0e');
      const again = await measureUnitIds(view, view.units, calibration, { samples: 32, maxBlocks: 3, unitsPerPass: 24 }, { signal: new AbortController().signal, emit: () => {}, rng: createRng(0) });
      expect(again.map((u) => u.id)).toEqual(ids.map((u) => u.id));
    } finally {
      view.dispose();
    }
  });

  it('stops with VLP_ABORTED', async () => {
    const view = createSyntheticView();
    try {
      const ac = new AbortController();
      ac.abort();
      await expect(measureUnitIds(view, view.units, calibration, { samples: 32, maxBlocks: 3, unitsPerPass: 8 }, { signal: ac.signal, emit: () => {}, rng: createRng(0) })).rejects.toMatchObject({ code: 'VLP_ABORTED' });
    } finally {
      view.dispose();
    }
  });
});
