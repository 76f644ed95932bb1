import { describe, expect, it } from 'vitest';
import { VlpError } from '@vlp/core';
import { parseBenchArgs } from './cli-args.js';

describe('parseBenchArgs', () => {
  it('reads --model-dir and --json, ignoring the -- pnpm passes through', () => {
    expect(parseBenchArgs(['--', '--model-dir', 'x/y', '--json'])).toEqual({ modelDir: 'x/y', json: true });
    expect(parseBenchArgs([])).toEqual({ modelDir: undefined, json: false });
  });

  it('rejects unknown options and a --model-dir without a value with VLP_INVALID_ARGUMENT', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrowError(/Unknown option "--fast"/);
    let caught: unknown;
    try {
      parseBenchArgs(['--model-dir']);
    } catch (error) {
      caught = error;
    }
    expect(VlpError.isInstance(caught, 'VLP_INVALID_ARGUMENT')).toBe(true);
  });
});
