import { describe, expect, it } from 'vitest';
import { fromByteLevel, toByteLevel } from './byte-level.js';
import { ClipBpe, parseMerges } from './clip-bpe.js';

describe('parseMerges', () => {
  it('skips the version line and ranks pairs by line order', () => {
    const ranks = parseMerges('#version: 0.2\ni n\nin g</w>\n\n');
    expect([...ranks]).toEqual([
      ['i n', 0],
      ['in g</w>', 1],
    ]);
  });
});

describe('ClipBpe', () => {
  const bpe = new ClipBpe(parseMerges('#version: 0.2\ni n\nin g</w>\nt h\nth ing</w>\nh o'), ['<|endoftext|>']);

  it('applies merges by rank and marks the word end with </w>', () => {
    expect(bpe.apply('thing')).toEqual(['thing</w>']);
    expect(bpe.apply('hoing')).toEqual(['ho', 'ing</w>']);
    expect(bpe.apply('x')).toEqual(['x</w>']);
    expect(bpe.apply('ii')).toEqual(['i', 'i</w>']);
  });

  it('passes registered special tokens through unchanged', () => {
    expect(bpe.apply('<|endoftext|>')).toEqual(['<|endoftext|>']);
  });
});

describe('byte-level mapping', () => {
  it('maps bytes to printable stand-ins and back', () => {
    expect(toByteLevel('a é')).toBe('aĠÃ©');
    expect(fromByteLevel('aĠÃ©')).toBe('a é');
    expect(fromByteLevel('Ã')).toBe('\ufffd');
  });
});
