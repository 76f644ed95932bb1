/**
 * A minimal protocol-buffers writer (proto2 wire format), enough to emit ONNX models.
 *
 * Dependency decision: we write our own instead of depending on a package.
 * - `onnx-proto@8.0.1` is static protobufjs code generated from ONNX 1.10 (2021 schema). It pins
 *   `protobufjs ^6.11` (current major is 8), and protobufjs has a `postinstall` script, which pnpm 10 blocks
 *   here. It is ~430 KB of JS and d.ts for about ten messages.
 * - `onnx-buf` (@bufbuild/protobuf codegen of ONNX 1.20) has a single prerelease version, published from
 *   another project's monorepo. It is 2.9 MB, and its API is verbose (`create(Schema, …)`, BigInt int64).
 * - ONNX only needs varints, fixed32 floats and length-delimited fields. The messages and field numbers are
 *   stable (proto2, all optional), so about 150 lines cover them. Each message's size is computed once, and
 *   the model is written into a single buffer, so weight bytes are copied exactly once.
 * Correctness is checked by the decoder in `decode.ts` (round-trip tests) and by loading the bytes in
 * onnxruntime-node.
 *
 * Wire types used: 0 = varint, 2 = length-delimited, 5 = 32-bit.
 */

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextEncoder();

type Part =
  | { readonly kind: 'varint'; readonly tag: number; readonly value: number | bigint }
  | { readonly kind: 'fixed32f'; readonly tag: number; readonly value: number }
  | { readonly kind: 'bytes'; readonly tag: number; readonly value: Uint8Array }
  | { readonly kind: 'message'; readonly tag: number; readonly value: ProtoMessage };

/** Bytes a varint of the unsigned 64-bit value `v` occupies. */
function varintSizeBig(v: bigint): number {
  let n = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    n++;
  }
  return n;
}

/**
 * Bytes the varint encoding of an int64 takes. Negative values are encoded as their 64-bit two's
 * complement, which always takes 10 bytes (proto `int64`/`int32` semantics, not zigzag).
 */
export function varintSize(value: number | bigint): number {
  if (typeof value === 'bigint') return varintSizeBig(BigInt.asUintN(64, value));
  if (value < 0) return 10;
  let n = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    n++;
  }
  return n;
}

function checkInt64(value: number | bigint): void {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`Protobuf integer field needs a safe integer or a bigint, got ${value}.`);
  }
  if (typeof value === 'bigint' && (value < -(1n << 63n) || value >= 1n << 64n)) {
    throw new RangeError(`Protobuf integer ${value} does not fit in 64 bits.`);
  }
}

/** Writes the varint of `value` (int64 semantics) at `pos`; returns the next position. */
function writeVarint(buf: Uint8Array, pos: number, value: number | bigint): number {
  if (typeof value === 'number' && value >= 0) {
    while (value >= 0x80) {
      buf[pos++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    buf[pos++] = value;
    return pos;
  }
  let v = BigInt.asUintN(64, BigInt(value));
  while (v >= 0x80n) {
    buf[pos++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  buf[pos++] = Number(v);
  return pos;
}

/**
 * One protobuf message under construction: fields are appended in call order (protobuf allows any order,
 * and repeated fields keep theirs). Byte arrays and sub-messages are referenced, not copied, until
 * {@link ProtoMessage.encode}.
 */
export class ProtoMessage {
  private readonly parts: Part[] = [];
  private cachedSize = -1;

  /** Appends an int64/int32/enum/bool field (wire type 0). Negative numbers take 10 bytes. */
  varint(field: number, value: number | bigint): this {
    checkInt64(value);
    return this.push({ kind: 'varint', tag: field * 8 + WIRE_VARINT, value });
  }

  /** Appends a `float` field (wire type 5, IEEE 754 single, little-endian). */
  float(field: number, value: number): this {
    return this.push({ kind: 'fixed32f', tag: field * 8 + WIRE_FIXED32, value });
  }

  /** Appends a `string` field, UTF-8 encoded (wire type 2). */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** Appends a `bytes` field (wire type 2). The array is copied only when the message is encoded. */
  bytes(field: number, value: Uint8Array): this {
    return this.push({ kind: 'bytes', tag: field * 8 + WIRE_LEN, value });
  }

  /** Appends an embedded message field (wire type 2). */
  message(field: number, value: ProtoMessage): this {
    return this.push({ kind: 'message', tag: field * 8 + WIRE_LEN, value });
  }

  /** Encoded size in bytes (without a tag or length prefix of its own). */
  size(): number {
    if (this.cachedSize >= 0) return this.cachedSize;
    let n = 0;
    for (const p of this.parts) {
      n += varintSize(p.tag);
      switch (p.kind) {
        case 'varint':
          n += varintSize(p.value);
          break;
        case 'fixed32f':
          n += 4;
          break;
        case 'bytes':
          n += varintSize(p.value.byteLength) + p.value.byteLength;
          break;
        case 'message': {
          const s = p.value.size();
          n += varintSize(s) + s;
          break;
        }
      }
    }
    this.cachedSize = n;
    return n;
  }

  /** Serialises the message into a new buffer of exactly {@link ProtoMessage.size} bytes. */
  encode(): Uint8Array {
    const buf = new Uint8Array(this.size());
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const end = this.writeTo(buf, view, 0);
    if (end !== buf.byteLength) throw new Error(`Protobuf writer size mismatch: wrote ${end} of ${buf.byteLength} bytes.`);
    return buf;
  }

  private writeTo(buf: Uint8Array, view: DataView, pos: number): number {
    for (const p of this.parts) {
      pos = writeVarint(buf, pos, p.tag);
      switch (p.kind) {
        case 'varint':
          pos = writeVarint(buf, pos, p.value);
          break;
        case 'fixed32f':
          view.setFloat32(pos, p.value, true);
          pos += 4;
          break;
        case 'bytes':
          pos = writeVarint(buf, pos, p.value.byteLength);
          buf.set(p.value, pos);
          pos += p.value.byteLength;
          break;
        case 'message':
          pos = writeVarint(buf, pos, p.value.size());
          pos = p.value.writeTo(buf, view, pos);
          break;
      }
    }
    return pos;
  }

  private push(part: Part): this {
    this.parts.push(part);
    this.cachedSize = -1;
    return this;
  }
}
