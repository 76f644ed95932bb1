import { describe, expect, it } from 'vitest';
import { VlpError } from '../errors/index.js';
import { deriveSeed, normalizeSeed, normalizeSplitKey } from './seed.js';

describe('normalizeSeed', () => {
  it('keeps non-negative integers and reduces negatives and bigints modulo 2^64', () => {
    expect(normalizeSeed(42)).toBe(42n);
    expect(normalizeSeed(-1)).toBe((1n << 64n) - 1n);
    expect(normalizeSeed(-1n)).toBe((1n << 64n) - 1n);
    expect(normalizeSeed((1n << 64n) + 5n)).toBe(5n);
  });

  it('hashes strings with FNV-1a-64', () => {
    expect(normalizeSeed('vlp')).toBe(0x68fa24194ec91d1dn);
    expect(normalizeSeed('42')).not.toBe(42n);
  });

  it.each([1.5, Number.NaN, Infinity, 2 ** 60])('rejects the number %s with VLP_INVALID_ARGUMENT', (seed) => {
    expect(() => normalizeSeed(seed)).toThrowError(/safe integer/);
    try {
      normalizeSeed(seed);
    } catch (e) {
      expect(VlpError.isInstance(e, 'VLP_INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('split keys and derived seeds', () => {
  it('writes integer keys in decimal and rejects other numbers', () => {
    expect(normalizeSplitKey(3)).toBe('3');
    expect(normalizeSplitKey('cell:3')).toBe('cell:3');
    expect(() => normalizeSplitKey(0.5)).toThrowError(/safe integer/);
  });

  it('derives golden child seeds (independent Python reference)', () => {
    const a = deriveSeed(42n, 'a');
    expect(a).toBe(0xffe24e7cdf60830cn);
    expect(deriveSeed(a, 'b')).toBe(0xc248931538115157n);
  });

  it('is order-sensitive along a path and differs between keys', () => {
    const ab = deriveSeed(deriveSeed(7n, 'a'), 'b');
    const ba = deriveSeed(deriveSeed(7n, 'b'), 'a');
    expect(ab).not.toBe(ba);
    expect(deriveSeed(7n, 'ab')).not.toBe(ab);
    expect(deriveSeed(7n, 'x')).not.toBe(deriveSeed(8n, 'x'));
  });
});
