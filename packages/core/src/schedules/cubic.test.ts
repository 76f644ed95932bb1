import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CubicScheduleOptions, cubicMaskingStep, cubicSchedule } from './cubic.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixturePath = path.resolve(repoRoot, '../shared/fixtures/official/id/schedule.json');

interface FixtureConfig {
  label: string;
  config: {
    initial_threshold: number;
    final_threshold: number;
    initial_warmup: number;
    final_warmup: number;
    warmup_steps: number;
    deltaT: number;
  };
  total_step: number;
  length: number;
  rows: { step: number; remaining_ratio: number; mask_ind: boolean }[];
}

const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as { configs: FixtureConfig[] };

/** T = 100, 10 warm-up steps at each end, 1 → 0.2 (the fixture's `small` grid, in steps). */
const SMALL: CubicScheduleOptions = {
  initialRatio: 1,
  finalRatio: 0.2,
  totalSteps: 100,
  initialWarmup: 10,
  finalWarmup: 10,
};

describe('cubicSchedule: official ID code (schedule_threshold_comb)', () => {
  it('has at least one config with rows', () => {
    expect(fixture.configs.length).toBeGreaterThan(0);
    for (const c of fixture.configs) expect(c.rows.length).toBeGreaterThan(0);
  });

  for (const c of fixture.configs) {
    it(`reproduces every remaining ratio and mask flag of "${c.label}" exactly`, () => {
      const options = {
        initialRatio: c.config.initial_threshold,
        finalRatio: c.config.final_threshold,
        totalSteps: c.total_step,
        initialWarmup: c.config.initial_warmup,
        finalWarmup: c.config.final_warmup,
        warmupSteps: c.config.warmup_steps,
        deltaT: c.config.deltaT,
        length: c.length,
      };
      for (const row of c.rows) {
        expect(cubicSchedule(row.step, options), `step ${row.step}`).toBe(row.remaining_ratio);
        expect(cubicMaskingStep(row.step, options), `mask at step ${row.step}`).toBe(row.mask_ind);
      }
    });
  }

  it('warm-ups given directly in steps (warmupSteps = 1) give the same values', () => {
    const c = fixture.configs[0];
    for (const row of c.rows) {
      expect(cubicSchedule(row.step, SMALL)).toBe(row.remaining_ratio);
    }
  });
});

describe('cubicSchedule: hand-computed values (T = 100, warm-ups 10 + 10, 1 → 0.2)', () => {
  it('first step and t = initialWarmup hold the initial ratio', () => {
    expect(cubicSchedule(0, SMALL)).toBe(1);
    expect(cubicSchedule(10, SMALL)).toBe(1);
  });

  it('the ramp starts right after the warm-up: 0.2 + 0.8 · (79/80)³', () => {
    expect(cubicSchedule(11, SMALL)).toBeCloseTo(0.9703734375, 15);
  });

  it('mid-ramp t = 50: 0.2 + 0.8 · (1/2)³ = 0.3', () => {
    expect(cubicSchedule(50, SMALL)).toBeCloseTo(0.3, 15);
  });

  it('t = totalSteps − finalWarmup ends the ramp at exactly the final ratio; the last steps stay there', () => {
    expect(cubicSchedule(90, SMALL)).toBe(0.2);
    expect(cubicSchedule(91, SMALL)).toBe(0.2);
    expect(cubicSchedule(100, SMALL)).toBe(0.2);
    expect(cubicSchedule(250, SMALL)).toBe(0.2);
  });

  it('is non-increasing when decaying and works as a sparsity ramp 0 → 0.8 with no warm-up', () => {
    let prev = Infinity;
    for (let t = 0; t <= 100; t++) {
      const v = cubicSchedule(t, SMALL);
      expect(v).toBeLessThanOrEqual(prev);
      prev = v;
    }
    const ramp = { initialRatio: 0, finalRatio: 0.8, totalSteps: 4, initialWarmup: 0, finalWarmup: 0 };
    // 0.8 + (0 − 0.8) · (1 − t/4)³ → t = 1: 0.8 − 0.8 · 27/64 = 0.4625; t = 2: 0.7; t = 3: 0.7875; t = 4: 0.8
    const expected = [0, 0.4625, 0.7, 0.7875, 0.8];
    for (let t = 0; t <= 4; t++) expect(cubicSchedule(t, ramp)).toBeCloseTo(expected[t], 15);
    expect(cubicSchedule(4, ramp)).toBe(0.8);
  });

  it('masks never in the initial warm-up, every deltaT / length steps on the ramp, always at the end', () => {
    const m = { ...SMALL, deltaT: 10, length: 25 };
    expect(cubicMaskingStep(0, m)).toBe(false);
    expect(cubicMaskingStep(10, m)).toBe(false); // 10 % 10 = 0 but still warm-up
    expect(cubicMaskingStep(20, m)).toBe(true);
    expect(cubicMaskingStep(21, m)).toBe(false);
    expect(cubicMaskingStep(25, m)).toBe(true); // epoch end
    expect(cubicMaskingStep(90, m)).toBe(true);
    expect(cubicMaskingStep(91, m)).toBe(true);
  });

  it('rejects invalid arguments', () => {
    expect(() => cubicSchedule(-1, SMALL)).toThrowError(/step/);
    expect(() => cubicSchedule(0, { ...SMALL, finalRatio: 1.5 })).toThrowError(/finalRatio/);
    expect(() => cubicSchedule(0, { ...SMALL, totalSteps: 0 })).toThrowError(/totalSteps/);
    expect(() => cubicSchedule(0, { ...SMALL, initialWarmup: -1 })).toThrowError(/initialWarmup/);
    expect(() => cubicSchedule(0, { ...SMALL, initialWarmup: 60, finalWarmup: 50 })).toThrowError(/fit in totalSteps/);
    expect(() => cubicSchedule(Number.NaN, SMALL)).toThrowError(/step/);
    expect(() => cubicMaskingStep(20, { ...SMALL, deltaT: 0, length: 25 })).toThrowError(/deltaT/);
  });
});
