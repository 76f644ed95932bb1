import { describe, expect, it } from 'vitest';
import { decodeModel, readWireFields, tensorValues, decodeTensor, decodeAttribute } from './decode.js';
import { rawBytes } from './dtypes.js';
import { encodeModel, type OnnxModel } from './onnx-messages.js';
import { ProtoMessage } from './protobuf-writer.js';

function sampleModel(): OnnxModel {
  const f32 = new Float32Array([1.5, -2.25, 3, 0.125, 1e-8, -0]);
  const i64 = new BigInt64Array([-1n, 0n, 2n ** 40n, -(2n ** 62n)]);
  return {
    irVersion: 8,
    opsetImport: [
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
    ],
    producerName: 'vlp',
    producerVersion: '0.0.0',
    docString: 'round trip',
    metadataProps: [
      { key: 'engine', value: 'onnxruntime' },
      { key: 'note', value: 'ünïcode ✓' },
    ],
    graph: {
      name: 'g',
      node: [
        {
          opType: 'LayerNormalization',
          input: ['x', 'w', ''],
          output: ['y'],
          name: 'ln',
          attribute: [
            { name: 'epsilon', type: 'FLOAT', value: 1 },
            { name: 'axis', type: 'INT', value: -1 },
          ],
        },
        {
          opType: 'Custom',
          domain: 'com.microsoft',
          input: ['y'],
          output: ['z', 'z2'],
          name: 'custom',
          attribute: [
            { name: 's', type: 'STRING', value: 'tanh' },
            { name: 'fs', type: 'FLOATS', value: [0.5, -1.25] },
            { name: 'is', type: 'INTS', value: [0, -3, 2n ** 60n] },
            { name: 'ss', type: 'STRINGS', value: ['a', 'β'] },
            { name: 't', type: 'TENSOR', value: { dims: [4], dataType: 7, rawData: rawBytes(i64) } },
          ],
        },
      ],
      initializer: [
        { name: 'w', dims: [2, 3], dataType: 1, rawData: rawBytes(f32) },
        { name: 'scalar', dims: [], dataType: 6, rawData: rawBytes(new Int32Array([-7])) },
        { name: 'mask', dims: [3], dataType: 9, rawData: new Uint8Array([1, 0, 1]) },
        { name: 'empty', dims: [0, 4], dataType: 2, rawData: new Uint8Array(0) },
        {
          name: 'ext',
          dims: [1024],
          dataType: 1,
          dataLocation: 1,
          externalData: [
            { key: 'location', value: 'model.onnx_data' },
            { key: 'offset', value: '4096' },
            { key: 'length', value: '4096' },
          ],
        },
      ],
      input: [
        { name: 'x', elemType: 1, shape: ['batch', 3, 'seq'] },
        { name: 'unknown_rank', elemType: 7 },
        { name: 'scalar_in', elemType: 1, shape: [] },
      ],
      output: [
        { name: 'z', elemType: 1, shape: ['batch', 3] },
        { name: 'z2', elemType: 9, shape: [0] },
      ],
      valueInfo: [{ name: 'y', elemType: 1, shape: ['batch', 3, 'seq'] }],
      docString: 'graph doc',
    },
  };
}

describe('decodeModel', () => {
  it('reproduces every model, graph, node, attribute, tensor and value-info field', () => {
    const model = sampleModel();
    const decoded = decodeModel(encodeModel(model));
    // Uint8Array views compare by content in toEqual.
    expect(decoded).toEqual(model);
    const a = decoded.graph.node[0].attribute[0];
    expect(a).toEqual({ name: 'epsilon', type: 'FLOAT', value: 1 });
    const big = decoded.graph.node[1].attribute[2];
    expect(big.type === 'INTS' && big.value[2]).toBe(2n ** 60n);
  });

  it('recovers tensor values of each dtype, including external ones', () => {
    const model = sampleModel();
    const g = decodeModel(encodeModel(model)).graph;
    expect(Array.from(tensorValues(g.initializer[0]) as Float32Array)).toEqual([1.5, -2.25, 3, 0.125, Math.fround(1e-8), -0]);
    expect(Array.from(tensorValues(g.initializer[1]) as Int32Array)).toEqual([-7]);
    expect(Array.from(tensorValues(g.initializer[2]) as Uint8Array)).toEqual([1, 0, 1]);
    expect(tensorValues(g.initializer[3]).length).toBe(0);
    const t = g.node[1].attribute[4];
    expect(t.type).toBe('TENSOR');
    if (t.type === 'TENSOR') expect(Array.from(tensorValues(t.value) as BigInt64Array)).toEqual([-1n, 0n, 2n ** 40n, -(2n ** 62n)]);
    const side = new Uint8Array(8192);
    const values = new Float32Array(1024).map((_, i) => i / 8);
    side.set(rawBytes(values), 4096);
    expect(Array.from(tensorValues(g.initializer[4], side) as Float32Array)).toEqual(Array.from(values));
    expect(() => tensorValues(g.initializer[4])).toThrow(/external/);
  });

  it('accepts packed repeated fields (what other writers emit)', () => {
    // TensorProto: dims = 1 packed [2, 300], data_type = 2 → 1 (FLOAT)
    const packedDims = new ProtoMessage().bytes(1, new Uint8Array([2, 0xac, 0x02])).varint(2, 1).encode();
    expect(decodeTensor(packedDims)).toEqual({ dims: [2, 300], dataType: 1 });
    // AttributeProto: name = "f", type = FLOATS (6), floats = 7 packed [1, 2]
    const floats = new Float32Array([1, 2]);
    const attrBytes = new ProtoMessage().string(1, 'f').varint(20, 6).bytes(7, rawBytes(floats)).encode();
    expect(decodeAttribute(attrBytes)).toEqual({ name: 'f', type: 'FLOATS', value: [1, 2] });
  });

  it('skips unknown fields and rejects truncated input', () => {
    const withUnknown = new ProtoMessage().varint(2, 1).string(99, 'future').varint(1, 5).encode();
    expect(decodeTensor(withUnknown)).toEqual({ dims: [5], dataType: 1 });
    const bytes = encodeModel(sampleModel());
    expect(() => readWireFields(bytes.subarray(0, bytes.length - 3))).toThrow();
  });
});
