import { describe, expect, it } from 'vitest';
import { scanJsonKeys } from './json-keys.js';

describe('scanJsonKeys', () => {
  it('lists keys in text order, integer-like keys included (JSON.parse would move them first)', () => {
    const text = '{"b":{"y":1,"x":[{"q":1}]},"10":2,"a \\"quoted\\" {key}":{"k":"}"},"2":[]}';
    expect(Object.keys(JSON.parse(text))).toEqual(['2', '10', 'b', 'a "quoted" {key}']);
    const scan = scanJsonKeys(text);
    expect(scan.keys).toEqual(['b', '10', 'a "quoted" {key}', '2']);
    expect(scan.nested.get('b')).toEqual(['y', 'x']);
    expect(scan.nested.get('a "quoted" {key}')).toEqual(['k']);
    expect(scan.duplicate).toBeUndefined();
  });

  it('finds a duplicated top-level key', () => {
    expect(scanJsonKeys('{"w" : 1, "v": "w", "w":2}').duplicate).toEqual({ key: 'w' });
  });

  it('finds a duplicated key inside a top-level value, naming its parent', () => {
    expect(scanJsonKeys('{"t":{"dtype":"F32","dtype":"F16"}}').duplicate).toEqual({ key: 'dtype', parent: 't' });
  });

  it('treats escaped and unicode-escaped spellings of one key as the same key', () => {
    expect(scanJsonKeys('{"a\\u0062":1,"ab":2}').duplicate).toEqual({ key: 'ab' });
  });
});
