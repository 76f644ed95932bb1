import { describe, expect, it } from 'vitest';
import { SplitMix64, fnv1a64, fnv1a64String, mix64 } from './hash.js';

describe('splitmix64', () => {
  it('matches the reference splitmix64.c outputs for seed 0', () => {
    const sm = new SplitMix64(0n);
    expect(sm.next()).toBe(0xe220a8397b1dcdafn);
    expect(sm.next()).toBe(0x6e789e6aa1b965f4n);
    expect(sm.next()).toBe(0x06c45d188009454fn);
  });

  it('mix64 is the finaliser of the generator and fixes 0', () => {
    expect(mix64(0x9e3779b97f4a7c15n)).toBe(0xe220a8397b1dcdafn);
    expect(mix64(0n)).toBe(0n);
  });
});

describe('fnv1a64', () => {
  it('matches the published FNV-1a-64 test vectors', () => {
    expect(fnv1a64(new Uint8Array(0))).toBe(0xcbf29ce484222325n);
    expect(fnv1a64String('a')).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64String('foobar')).toBe(0x85944171f73967e8n);
  });

  it('hashes the UTF-8 bytes of a string', () => {
    expect(fnv1a64String('é')).toBe(fnv1a64(new Uint8Array([0xc3, 0xa9])));
  });
});
