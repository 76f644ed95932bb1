import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';

describe('toCsv', () => {
  it('quotes fields with commas, quotes and line breaks', () => {
    expect(toCsv(['a', 'b'], [[1, 'x,y'], ['say "hi"', undefined]])).toBe('a,b\n1,"x,y"\n"say ""hi""",\n');
  });
});
