import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { upopSchedule } from './upop.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixturePath = path.resolve(repoRoot, '../shared/fixtures/official/upop/update_alpha_cases.json');
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as {
  'pi_grid_p0.5': Record<string, { step: number; pi: number }[]>;
  cases: { total_steps: number; p: number; updates: { step: number; pi: number }[] }[];
};

describe('upopSchedule', () => {
  it('reproduces the official pi grid (p = 0.5, T = 10 and 1000) within 1e-15', () => {
    const grids = Object.entries(fixture['pi_grid_p0.5']);
    expect(grids.length).toBeGreaterThan(0);
    for (const [total, rows] of grids) {
      for (const row of rows) {
        expect(Math.abs(upopSchedule(row.step, { p: 0.5, totalSteps: Number(total) }) - row.pi)).toBeLessThanOrEqual(1e-15);
      }
    }
  });

  it('reproduces the pi of every official update step', () => {
    for (const c of fixture.cases) {
      for (const u of c.updates) {
        expect(Math.abs(upopSchedule(u.step, { p: c.p, totalSteps: c.total_steps }) - u.pi)).toBeLessThanOrEqual(1e-15);
      }
    }
  });

  it('t = T − 1 gives p exactly; t = T/2 − 1 gives p·√½; t = 0 gives p·sin(π/2T)', () => {
    expect(upopSchedule(9, { p: 0.5, totalSteps: 10 })).toBe(0.5);
    expect(upopSchedule(999, { p: 0.75, totalSteps: 1000 })).toBe(0.75);
    expect(upopSchedule(4, { p: 0.5, totalSteps: 10 })).toBeCloseTo(0.5 * Math.SQRT1_2, 15);
    expect(upopSchedule(0, { p: 0.5, totalSteps: 10 })).toBeCloseTo(0.5 * Math.sin(Math.PI / 20), 15);
    expect(upopSchedule(0, { p: 0.3, totalSteps: 1 })).toBe(0.3);
  });

  it('is strictly increasing', () => {
    let prev = 0;
    for (let t = 0; t < 500; t++) {
      const v = upopSchedule(t, { p: 0.5, totalSteps: 500 });
      expect(v).toBeGreaterThan(prev);
      prev = v;
    }
  });

  it('rejects invalid arguments', () => {
    expect(() => upopSchedule(10, { p: 0.5, totalSteps: 10 })).toThrowError(/step must be a number in \[0, 9\]/);
    expect(() => upopSchedule(-1, { p: 0.5, totalSteps: 10 })).toThrowError(/step/);
    expect(() => upopSchedule(0, { p: 1.5, totalSteps: 10 })).toThrowError(/p must be/);
    expect(() => upopSchedule(0, { p: 0.5, totalSteps: 0 })).toThrowError(/totalSteps/);
  });
});
