import { cubicMaskingStep, cubicSchedule } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { readJson } from './__tests__/fixtures.js';
import { idIterativeConfigSchema } from './id-iterative-config.js';
import { scheduleOptions } from './schedule.js';

interface ScheduleFixture {
  configs: {
    label: string;
    config: { initial_threshold: number; final_threshold: number; initial_warmup: number; final_warmup: number; warmup_steps: number; deltaT: number };
    total_step: number;
    length: number;
    rows: { step: number; remaining_ratio: number; mask_ind: boolean }[];
  }[];
}

const fixture = readJson<ScheduleFixture>('schedule.json');

describe('scheduleOptions', () => {
  for (const c of fixture.configs) {
    it(`maps a run onto the official schedule "${c.label}" exactly`, () => {
      // T = epochs × batches per epoch; the fixture's T = 100 with length 25 is 4 epochs of 25 batches
      const epochs = c.total_step / c.length;
      const config = idIterativeConfigSchema.parse({
        epochs,
        initialWarmup: c.config.initial_warmup,
        finalWarmup: c.config.final_warmup,
        warmupSteps: c.config.warmup_steps,
        deltaT: c.config.deltaT,
      });
      const o = scheduleOptions(config, c.length, 1 - c.config.final_threshold);
      expect(o.totalSteps).toBe(c.total_step);
      for (const row of c.rows) {
        expect(cubicSchedule(row.step, o), `step ${row.step}`).toBeCloseTo(row.remaining_ratio, 15);
        expect(cubicMaskingStep(row.step, o), `mask at ${row.step}`).toBe(row.mask_ind);
      }
    });
  }

  it('uses one epoch as the warm-up unit by default (hand-computed boundaries)', () => {
    // 5 epochs × 20 batches, warm-ups of 1 epoch: tᵢ = 20, t_f = 20, ramp of 60 steps, 1 → 0.2
    const o = scheduleOptions(idIterativeConfigSchema.parse({}), 20, 0.8);
    expect(o).toMatchObject({ totalSteps: 100, warmupSteps: 20, length: 20, deltaT: 10, initialRatio: 1 });
    expect(o.finalRatio).toBeCloseTo(0.2, 15);
    expect(cubicSchedule(20, o)).toBe(1);
    expect(cubicMaskingStep(20, o)).toBe(false);
    expect(cubicSchedule(21, o)).toBeCloseTo(0.2 + 0.8 * (59 / 60) ** 3, 14);
    expect(cubicSchedule(50, o)).toBeCloseTo(0.2 + 0.8 * 0.5 ** 3, 14);
    expect(cubicMaskingStep(30, o)).toBe(true);
    expect(cubicMaskingStep(35, o)).toBe(false);
    expect(cubicSchedule(80, o)).toBeCloseTo(0.2, 14);
    expect(cubicSchedule(81, o)).toBe(o.finalRatio);
    expect(cubicMaskingStep(81, o)).toBe(true);
    expect(cubicMaskingStep(99, o)).toBe(true);
  });

  it('rejects warm-ups longer than the run, naming both fields', () => {
    expect(() => scheduleOptions(idIterativeConfigSchema.parse({ epochs: 1 }), 10, 0.5)).toThrowError(/initialWarmup.*finalWarmup/);
  });
});
