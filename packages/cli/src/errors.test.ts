import { AbortedError, BadSafetensorsError, InvalidConfigError, SparsityMismatchError } from '@vlp/core';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, oneLineError } from './errors.js';

describe('exitCodeOf', () => {
  it('maps input errors to 2, interrupts to 130 and everything else to 1', () => {
    expect(exitCodeOf(new InvalidConfigError({ message: 'x' }))).toBe(2);
    expect(exitCodeOf(new BadSafetensorsError({ message: 'x', path: 'm' } as never))).toBe(2);
    expect(exitCodeOf(new CommanderError(1, 'commander.unknownOption', 'x'))).toBe(2);
    expect(exitCodeOf(new AbortedError({ message: 'x' }))).toBe(130);
    const controller = new AbortController();
    controller.abort();
    expect(exitCodeOf(new Error('whatever'), controller.signal)).toBe(130);
    expect(exitCodeOf(new SparsityMismatchError({ message: 'x' } as never))).toBe(1);
    expect(exitCodeOf(new TypeError('bug'))).toBe(1);
  });
});

describe('oneLineError', () => {
  it('folds a multi-line message into one line with the code', () => {
    const error = new InvalidConfigError({ message: 'Invalid config of pruner "wanda" (2 issues):\n  - a: bad\n  - b: worse' });
    expect(oneLineError(error)).toBe('VLP_INVALID_CONFIG: Invalid config of pruner "wanda" (2 issues): a: bad; b: worse. Fix the fields named; vlp list --json prints every pruner\'s config schema.');
  });

  it('adds no hint when the message already says how to fix it', () => {
    expect(oneLineError(new InvalidConfigError({ message: 'Bad file; fix it.' }))).toBe('VLP_INVALID_CONFIG: Bad file; fix it.');
  });
});
