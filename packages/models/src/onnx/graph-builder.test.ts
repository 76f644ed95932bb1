import { InvalidArgumentError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { attr, toAttribute } from './attributes.js';
import { decodeModel, tensorValues } from './decode.js';
import { OnnxGraphBuilder } from './graph-builder.js';

describe('attribute typing', () => {
  it('infers INT/FLOAT/STRING(S)/INTS/FLOATS/TENSOR, with float-only names and explicit wrappers', () => {
    expect(toAttribute('axis', -1)).toEqual({ name: 'axis', type: 'INT', value: -1 });
    expect(toAttribute('epsilon', 1)).toEqual({ name: 'epsilon', type: 'FLOAT', value: 1 });
    expect(toAttribute('alpha', 1)).toEqual({ name: 'alpha', type: 'FLOAT', value: 1 });
    expect(toAttribute('ratio_like', 0.5)).toEqual({ name: 'ratio_like', type: 'FLOAT', value: 0.5 });
    expect(toAttribute('count', 2n ** 62n)).toEqual({ name: 'count', type: 'INT', value: 2n ** 62n });
    expect(toAttribute('perm', [0, 2, 1, 3])).toEqual({ name: 'perm', type: 'INTS', value: [0, 2, 1, 3] });
    expect(toAttribute('value_floats', [1, 2])).toEqual({ name: 'value_floats', type: 'FLOATS', value: [1, 2] });
    expect(toAttribute('weights', [1, 2.5])).toEqual({ name: 'weights', type: 'FLOATS', value: [1, 2.5] });
    expect(toAttribute('mode', 'constant')).toEqual({ name: 'mode', type: 'STRING', value: 'constant' });
    expect(toAttribute('names', ['a', 'b'])).toEqual({ name: 'names', type: 'STRINGS', value: ['a', 'b'] });
    expect(toAttribute('k', attr.float(3))).toEqual({ name: 'k', type: 'FLOAT', value: 3 });
    expect(toAttribute('k', attr.ints([]))).toEqual({ name: 'k', type: 'INTS', value: [] });
    const t = toAttribute('value', { dtype: 'int64', dims: [2], data: new BigInt64Array([4n, -1n]) });
    expect(t.type).toBe('TENSOR');
    if (t.type === 'TENSOR') expect(Array.from(tensorValues(t.value) as BigInt64Array)).toEqual([4n, -1n]);
  });

  it('rejects ill-typed explicit attributes and mismatched tensors', () => {
    expect(() => toAttribute('k', attr.int(1.5))).toThrow(/INT needs/);
    expect(() => toAttribute('v', { dtype: 'float32', dims: [3], data: new Float32Array(2) })).toThrow(/need 3 elements/);
    expect(() => toAttribute('v', { dtype: 'int64', dims: [2], data: new Float32Array(2) })).toThrow(/cannot hold dtype int64/);
  });
});

describe('OnnxGraphBuilder', () => {
  it('generates unique node and value names and keeps the graph topologically ordered', () => {
    const g = new OnnxGraphBuilder({ name: 'names' });
    const x = g.input('x', 'float32', [2]);
    const a = g.node('Relu', [x]);
    const b = g.node('Relu', [a]);
    const c = g.node('Relu', [b], { name: 'Relu' });
    expect([a, b, c]).toEqual(['Relu_output_0', 'Relu_1_output_0', 'Relu_2_output_0']);
    const [s1, s2] = g.node('Split', [c], { outputs: 2, attrs: { axis: 0, num_outputs: 2 } });
    expect([s1, s2]).toEqual(['Split_output_0', 'Split_output_1']);
    const named = g.node('Identity', [s1], { outputs: ['custom'] });
    expect(named).toEqual(['custom']);
    g.output(s2, 'out', 'float32', [1]);
    const { model } = g.toOnnx();
    expect(model.graph.node.map((n) => n.name)).toEqual(['Relu', 'Relu_1', 'Relu_2', 'Split', 'Identity']);
    expect(model.graph.node[3].output).toEqual(['Split_output_0', 'out']);
    expect(model.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(model.irVersion).toBe(8);
  });

  it('rejects duplicate names, unknown inputs, unimported domains and graphs without outputs', () => {
    const g = new OnnxGraphBuilder({ name: 'errors' });
    const x = g.input('x', 'float32', ['n']);
    expect(() => g.input('x', 'float32', [1])).toThrow(/already used/);
    expect(() => g.node('Relu', ['nope'])).toThrow(/"nope" is not a value/);
    expect(() => g.node('QuickGelu', [x], { domain: 'com.microsoft' })).toThrow(/not imported/);
    expect(() => g.input('bad', 'float32', [-1])).toThrow(/invalid dimension/);
    expect(() => g.toModel()).toThrow(/no outputs/);
    const caught = (() => {
      try {
        g.node('Relu', ['nope']);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'VLP_INVALID_ARGUMENT' });
    const ms = new OnnxGraphBuilder({ name: 'ms', extraOpsets: [{ domain: 'com.microsoft', version: 1 }] });
    const y = ms.node('QuickGelu', [ms.input('x', 'float32', [1])], { domain: 'com.microsoft', attrs: { alpha: 1.702 } });
    ms.output(y, 'y', 'float32', [1]);
    const m = decodeModel(ms.toModel().model);
    expect(m.opsetImport).toEqual([{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }]);
    expect(m.graph.node[0].domain).toBe('com.microsoft');
  });

  it('deduplicates small unnamed constants, copies them, and keeps named or large ones separate', () => {
    const g = new OnnxGraphBuilder({ name: 'consts' });
    const data = new BigInt64Array([-1, 4].map(BigInt));
    const a = g.constant(data, [2]);
    data[0] = 99n; // must not change the recorded constant
    const b = g.constInt64([-1, 4]);
    const c = g.constInt64([-1, 4], undefined, { name: 'shape' });
    const d = g.constInt64([-1, 4], [1, 2]);
    const n1 = g.constFloat32([0.5], [], { asNode: true });
    const n2 = g.constFloat32([0.5], [], { asNode: true });
    expect(a).toBe(b);
    expect(new Set([a, c, d]).size).toBe(3);
    expect(n1).toBe(n2);
    const mask = g.constant(new Uint8Array([1, 0]), [2], { dtype: 'bool' });
    g.output(g.node('Not', [mask]), 'y', 'bool', [2]);
    const m = decodeModel(g.toModel().model).graph;
    const byName = new Map(m.initializer.map((t) => [t.name, t]));
    expect(Array.from(tensorValues(byName.get(a)!) as BigInt64Array)).toEqual([-1n, 4n]);
    expect(byName.get(d)!.dims).toEqual([1, 2]);
    expect(byName.get(mask)!.dataType).toBe(9);
    expect(m.node.filter((n) => n.opType === 'Constant')).toHaveLength(1);
  });

  it('publishes outputs: renames node outputs, adds Identity for inputs and for a value published twice', () => {
    const g = new OnnxGraphBuilder({ name: 'outs' });
    const x = g.input('x', 'float32', ['n']);
    const y = g.node('Neg', [x]);
    g.output(y, 'first', 'float32', ['n']);
    g.output(y, 'second', 'float32', ['n']);
    g.output(x, 'x_out', 'float32');
    expect(() => g.output(y, 'first', 'float32')).toThrow(/already exists/);
    expect(() => g.output(y, 'x', 'float32')).toThrow(/already used/);
    const m = decodeModel(g.toModel({ metadata: { task: 'test' }, producerVersion: '1.2.3' }).model);
    expect(m.graph.node.map((n) => [n.opType, n.input, n.output])).toEqual([
      ['Neg', ['x'], ['first']],
      ['Identity', ['first'], ['second']],
      ['Identity', ['x'], ['x_out']],
    ]);
    expect(m.graph.output).toEqual([
      { name: 'first', elemType: 1, shape: ['n'] },
      { name: 'second', elemType: 1, shape: ['n'] },
      { name: 'x_out', elemType: 1 },
    ]);
    expect(m.metadataProps).toEqual([{ key: 'task', value: 'test' }]);
    expect(m.producerName).toBe('vlp');
    expect(m.producerVersion).toBe('1.2.3');
  });
});
