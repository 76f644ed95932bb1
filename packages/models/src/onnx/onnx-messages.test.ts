import { NotSupportedError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { encodeModel, MAX_PROTO_BYTES, type OnnxModel } from './onnx-messages.js';

describe('encodeModel', () => {
  it('refuses models above the 2 GiB protobuf limit before allocating', () => {
    // Only byteLength is read before the size check, so no 2 GiB buffer is needed.
    const huge = { byteLength: MAX_PROTO_BYTES } as Uint8Array;
    const model: OnnxModel = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: { name: 'g', node: [], input: [], output: [], initializer: [{ name: 'w', dims: [MAX_PROTO_BYTES], dataType: 2, rawData: huge }] },
    };
    expect(() => encodeModel(model)).toThrow(/2 GiB limit; store large initializers as external data/);
    expect(NotSupportedError.isInstance((() => { try { encodeModel(model); } catch (e) { return e; } })())).toBe(true);
  });

  it('writes fields in a stable order, so identical graphs give identical bytes', () => {
    const model: OnnxModel = {
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      producerName: 'vlp',
      graph: {
        name: 'g',
        node: [{ opType: 'Relu', input: ['x'], output: ['y'], attribute: [] }],
        initializer: [],
        input: [{ name: 'x', elemType: 1, shape: [2] }],
        output: [{ name: 'y', elemType: 1, shape: [2] }],
      },
    };
    const a = encodeModel(model);
    expect(Buffer.from(encodeModel(structuredClone(model))).equals(Buffer.from(a))).toBe(true);
    // ir_version = 1 → tag 0x08, value 8
    expect(Array.from(a.subarray(0, 2))).toEqual([0x08, 0x08]);
  });
});
