import { describe, expect, it } from 'vitest';
import { pruneEvents } from './event-sinks.js';
import { createProgress, resolveMode } from './progress.js';

function stream(isTTY: boolean) {
  let text = '';
  return { s: { write: (t: string) => ((text += t), true), isTTY } as unknown as NodeJS.WriteStream, text: () => text };
}

describe('resolveMode', () => {
  it('draws bars only on a TTY outside CI, plain lines elsewhere, nothing for --json or none', () => {
    expect(resolveMode('auto', { isTTY: true }, {})).toBe('bar');
    expect(resolveMode('auto', { isTTY: true }, { CI: 'true' })).toBe('plain');
    expect(resolveMode('auto', { isTTY: false }, {})).toBe('plain');
    expect(resolveMode('auto', { isTTY: true }, {}, true)).toBe('none');
    expect(resolveMode('plain', { isTTY: true }, {}, true)).toBe('plain');
    expect(resolveMode('none', { isTTY: true }, {})).toBe('none');
  });
});

describe('createProgress', () => {
  it('prints plain lines for phases, throttled steps, the last step and warnings', () => {
    const { s, text } = stream(false);
    const sink = pruneEvents(createProgress('plain', s, 'vlp prune:'));
    sink({ type: 'prune-start', pruner: 'wanda', sparsity: 0.5 });
    sink({ type: 'calibration-start', batches: 3 });
    for (let i = 0; i < 3; i++) sink({ type: 'calibration-batch-end', index: i, total: 3 });
    sink({ type: 'warning', message: 'careful' });
    expect(text().split('\n')).toEqual(['vlp prune: prune wanda to 0.5', 'vlp prune: calibrate (3 steps)', 'vlp prune: calibrate 3/3', 'vlp prune: warning: careful', '']);
  });

  it('prints nothing with none', () => {
    const { s, text } = stream(true);
    const p = createProgress('none', s, 'x');
    p.phase('a', 2);
    p.step(1);
    p.note('b');
    expect(text()).toBe('');
  });
});
