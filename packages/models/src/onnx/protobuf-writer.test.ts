import { describe, expect, it } from 'vitest';
import { readWireFields } from './decode.js';
import { ProtoMessage, varintSize } from './protobuf-writer.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('ProtoMessage', () => {
  it('encodes varints as in the protobuf spec (150 → 08 96 01, 300 → ac 02)', () => {
    expect(hex(new ProtoMessage().varint(1, 150).encode())).toBe('089601');
    expect(hex(new ProtoMessage().varint(2, 300).encode())).toBe('10ac02');
    expect(hex(new ProtoMessage().varint(1, 0).encode())).toBe('0800');
  });

  it('encodes negative int64 as 10-byte two’s complement and round-trips large values', () => {
    const bytes = new ProtoMessage().varint(3, -1).encode();
    expect(hex(bytes)).toBe('18ffffffffffffffffff01');
    expect(varintSize(-1)).toBe(10);
    const big = new ProtoMessage().varint(1, -(2n ** 63n)).varint(2, 2n ** 53n + 1n).varint(3, Number.MAX_SAFE_INTEGER).encode();
    const f = readWireFields(big);
    expect(BigInt.asIntN(64, f[0].varint!)).toBe(-(2n ** 63n));
    expect(f[1].varint).toBe(2n ** 53n + 1n);
    expect(f[2].varint).toBe(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it('rejects non-integer and out-of-range varints', () => {
    expect(() => new ProtoMessage().varint(1, 1.5)).toThrow(RangeError);
    expect(() => new ProtoMessage().varint(1, 2n ** 64n)).toThrow(RangeError);
  });

  it('encodes floats as little-endian fixed32 and strings/bytes/messages length-delimited', () => {
    expect(hex(new ProtoMessage().float(2, 1).encode())).toBe('150000803f');
    expect(hex(new ProtoMessage().string(1, 'hé').encode())).toBe('0a0368c3a9');
    const inner = new ProtoMessage().varint(1, 5);
    const outer = new ProtoMessage().message(7, inner).bytes(9, new Uint8Array([1, 2, 3]));
    expect(hex(outer.encode())).toBe('3a020805' + '4a03010203');
    expect(outer.size()).toBe(9);
  });

  it('writes sizes above 127 with multi-byte length prefixes', () => {
    const payload = new Uint8Array(300).fill(7);
    const enc = new ProtoMessage().bytes(9, payload).encode();
    expect(enc.length).toBe(1 + 2 + 300);
    const [f] = readWireFields(enc);
    expect(f.field).toBe(9);
    expect(f.bytes!.length).toBe(300);
    expect(f.bytes!.every((x) => x === 7)).toBe(true);
  });
});
