import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { readArrays, readJson } from './__tests__/fixtures.js';
import { officialThresholdMasks } from './mask.js';
import { disposePlatonState, idScaledScore, initialPlatonState, type PlatonState, platonScore, platonUpdate, taylorSensitivity } from './score.js';

interface PlatonFixture {
  args: { beta1: number; beta2: number; deltaT: number };
  masked_parameters_in_order: string[];
  steps: { step: number; ipt_norm: Record<string, number> }[];
  remaining_ratio_used: number;
  results: Record<string, { mask_threshold: number; pruned: Record<string, number> }>;
}

const fixture = readJson<PlatonFixture>('platon_id_mask.json');
const names = fixture.masked_parameters_in_order;

/** Runs the fixture's PLATON steps; returns the states (caller disposes) and the inputs. */
async function runSteps() {
  const inputs = await readArrays('platon_inputs.safetensors');
  const get = (key: string) => inputs.get(key)!;
  const states = new Map<string, PlatonState>();
  const iptNorms: Record<string, number>[] = [];
  for (const name of names) states.set(name, tf.tidy(() => initialPlatonState(tf.tensor(get(`init/${name}`).values, get(`init/${name}`).shape))));
  for (const { step } of fixture.steps) {
    const norms: Record<string, number> = {};
    for (const name of names) {
      const next = tf.tidy(() => {
        const w = tf.tensor(get(`init/${name}`).values, get(`init/${name}`).shape);
        const g = tf.tensor(get(`step${step}/${name}`).values, get(`step${step}/${name}`).shape);
        return platonUpdate(states.get(name)!, taylorSensitivity(w, g), step, fixture.args);
      });
      disposePlatonState(states.get(name)!);
      states.set(name, next);
      norms[name] = tf.tidy(() => tf.norm(next.ipt).dataSync()[0]!);
    }
    iptNorms.push(norms);
  }
  return { inputs, states, iptNorms };
}

/** One ID per module: the index advances after every parameter whose name contains `bias`. */
function idPerParameter(ids: Float32Array): Map<string, number> {
  const out = new Map<string, number>();
  let i = 0;
  for (const name of names) {
    out.set(name, ids[i]!);
    if (name.includes('bias')) i++;
  }
  return out;
}

describe('PLATON × ID: parity with the official ID_pruner (platon_*)', () => {
  it('reproduces the final sensitivity window and both EMAs after the 5 steps', async () => {
    const before = tf.memory().numTensors;
    const { inputs, states, iptNorms } = await runSteps();
    expect(iptNorms).toHaveLength(fixture.steps.length);
    for (const name of names) {
      const s = states.get(name)!;
      for (const [key, t] of [['ipt', s.ipt], ['exp_avg_ipt', s.expAvgIpt], ['exp_avg_unc', s.expAvgUnc]] as const) {
        const want = inputs.get(`${key}/${name}`)!.values;
        const got = t.dataSync();
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1e-3, Math.abs(want[i]!)));
      }
      disposePlatonState(s);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  for (const useId of [false, true]) {
    it(`reproduces the weights after masking (useID = ${useId}), the pruned counts and the threshold`, async () => {
      const { inputs, states } = await runSteps();
      const ids = idPerParameter(inputs.get('ID')!.values);
      const scores = new Map<string, Float32Array>();
      for (const name of names) {
        const s = states.get(name)!;
        scores.set(name, tf.tidy(() => (useId ? idScaledScore(platonScore(s), ids.get(name)!) : platonScore(s)).dataSync() as Float32Array));
        disposePlatonState(s);
      }
      const { masks, threshold } = officialThresholdMasks(scores, fixture.remaining_ratio_used);
      const want = fixture.results[`useID=${useId ? 'True' : 'False'}`]!;
      expect(threshold).toBeCloseTo(want.mask_threshold, 6);
      const after = await readArrays(`platon_weights_after_useID_${useId ? 'True' : 'False'}.safetensors`);
      for (const name of names) {
        const mask = masks.get(name)!;
        expect(mask.length - mask.reduce((a, b) => a + b, 0), name).toBe(want.pruned[name]);
        const init = inputs.get(`init/${name}`)!.values;
        const masked = init.map((w, i) => (mask[i] ? w : 0));
        expect(Array.from(masked), name).toEqual(Array.from(after.get(name)!.values));
      }
    });
  }
});
