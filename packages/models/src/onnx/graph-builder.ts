/**
 * `OnnxGraphBuilder`: records an ONNX graph value by value and serialises it to model bytes.
 *
 * Values are identified by their (unique) ONNX names, so callers pass plain strings around. Nodes are
 * appended in call order. A node's inputs must already exist, which keeps the graph topologically sorted.
 */
import { toAttribute, tensorFromInit, type AttributeValue, type TensorInit } from './attributes.js';
import { dtypeOfArray, ONNX_DATA_TYPE, rawBytes, type OnnxDType, type TensorDataArray } from './dtypes.js';
import { invalidArgument } from './errors.js';
import { externalizeInitializers, type ExternalDataOptions } from './external-data.js';
import {
  encodeModel,
  type OnnxModel,
  type OnnxNode,
  type OnnxOpsetId,
  type OnnxTensor,
  type OnnxValueInfo,
} from './onnx-messages.js';

/** A dimension: a fixed size or a symbolic name (`dim_param`, e.g. `'batch'`). */
export type Dim = number | string;

/** Options of {@link OnnxGraphBuilder}. */
export interface OnnxGraphBuilderOptions {
  /** Graph name. */
  name: string;
  /** `ai.onnx` opset version (default 17). */
  opset?: number;
  /** Model `ir_version` (default 8, the minimum for opset 17; ORT 1.30 also loads newer ones). */
  irVersion?: number;
  /** Other operator sets to import, e.g. `{ domain: 'com.microsoft', version: 1 }`. */
  extraOpsets?: readonly OnnxOpsetId[];
}

/** Per-node options. */
export interface NodeOptions {
  /** Attributes; types are inferred (see `attributes.ts`) unless given with `attr.*`. */
  attrs?: Readonly<Record<string, AttributeValue | undefined>>;
  /** Node name (made unique); defaults to the op type. Output names derive from it. */
  name?: string;
  /** Operator domain (default `''`, i.e. ai.onnx); must be imported. */
  domain?: string;
}

/** Options of {@link OnnxGraphBuilder.constant}. */
export interface ConstantOptions {
  /** Name (made unique); defaults to `const`. Unnamed small constants are deduplicated. */
  name?: string;
  /** Store as a `Constant` node instead of an initializer. */
  asNode?: boolean;
  /** Element type when the array alone is ambiguous (`'bool'` for a Uint8Array of 0/1). */
  dtype?: OnnxDType;
}

/** Options of {@link OnnxGraphBuilder.toModel}. */
export interface ToModelOptions {
  /** `producer_name` (default `'vlp'`). */
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  /** `metadata_props` key/value pairs. */
  metadata?: Readonly<Record<string, string>>;
  /** Move large initializers to a side file (see `external-data.ts`). */
  externalData?: ExternalDataOptions;
}

/** Serialised model: the `.onnx` bytes and, when initializers moved out, the side file. */
export interface BuiltOnnxModel {
  model: Uint8Array;
  /** Contents of the external-data file (absent when nothing was moved). */
  externalData?: Uint8Array;
  /** Its location relative to the model file, as recorded in the tensors. */
  externalDataLocation?: string;
}

type ValueKind = 'input' | 'initializer' | 'node';

/** Small constants (up to this many bytes) without an explicit name are deduplicated. */
const DEDUPE_MAX_BYTES = 256;

/** Records an ONNX graph; see the module comment. */
export class OnnxGraphBuilder {
  readonly name: string;
  readonly opset: number;
  readonly irVersion: number;
  private readonly extraOpsets: readonly OnnxOpsetId[];
  private readonly values = new Map<string, ValueKind>();
  private readonly nodeNames = new Set<string>();
  private readonly nameCounters = new Map<string, number>();
  private readonly nodes: OnnxNode[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private readonly initializers: OnnxTensor[] = [];
  /** Node-produced values renamed to the graph output name that publishes them. */
  private readonly renames = new Map<string, string>();
  /** Output name → underlying value, for renamed values. */
  private readonly aliases = new Map<string, string>();
  private readonly constants = new Map<string, string>();

  constructor(options: OnnxGraphBuilderOptions) {
    this.name = options.name;
    this.opset = options.opset ?? 17;
    this.irVersion = options.irVersion ?? 8;
    this.extraOpsets = options.extraOpsets ?? [];
  }

  /** Names of the graph inputs, in order. */
  get inputNames(): string[] {
    return this.inputs.map((v) => v.name);
  }

  /** Names of the graph outputs, in order. */
  get outputNames(): string[] {
    return this.outputs.map((v) => v.name);
  }

  /** Number of nodes recorded so far. */
  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Whether `name` is a value (input, initializer, node output or output alias) of this graph. */
  has(name: string): boolean {
    return this.values.has(name) || this.aliases.has(name);
  }

  /** Declares a graph input with exactly this name; returns the name. */
  input(name: string, dtype: OnnxDType, shape: readonly Dim[]): string {
    this.claim(name, 'input');
    this.inputs.push({ name, elemType: ONNX_DATA_TYPE[dtype], shape: checkShape(name, shape) });
    return name;
  }

  /** Adds an initializer (a constant tensor) with exactly this name; the data is referenced, not copied. */
  initializer(name: string, tensor: TensorInit): string {
    const t = tensorFromInit(tensor, name);
    this.claim(name, 'initializer');
    this.initializers.push(t);
    return name;
  }

  /**
   * Adds a constant tensor: an initializer (default) or a `Constant` node. The dtype comes from the array
   * (`Float32Array` → float32, `BigInt64Array` → int64, `Int32Array` → int32, `Uint8Array` → uint8 unless
   * `dtype: 'bool'`). `dims` defaults to `[data.length]`.
   */
  constant(data: TensorDataArray, dims?: readonly number[], options: ConstantOptions = {}): string {
    const dtype = options.dtype ?? dtypeOfArray(data);
    const init: TensorInit = { dtype, dims: dims ?? [data.length], data };
    let key: string | undefined;
    if (options.name === undefined && data.byteLength <= DEDUPE_MAX_BYTES) {
      key = `${options.asNode === true ? 'n' : 'i'}|${dtype}|${init.dims.join(',')}|${Buffer.from(rawBytes(data)).toString('hex')}`;
      const hit = this.constants.get(key);
      if (hit !== undefined) return hit;
      // Copy: a deduplicated constant must not change if the caller later reuses its array.
      init.data = data.slice();
    }
    let name: string;
    if (options.asNode === true) {
      name = this.node('Constant', [], { attrs: { value: init }, name: options.name ?? 'Constant' });
    } else {
      name = this.initializer(this.uniqueValueName(options.name ?? 'const'), init);
    }
    if (key !== undefined) this.constants.set(key, name);
    return name;
  }

  /** An int64 constant (shapes, axes, starts/ends, …); `dims` defaults to `[values.length]`. */
  constInt64(values: readonly (number | bigint)[], dims?: readonly number[], options: Omit<ConstantOptions, 'dtype'> = {}): string {
    return this.constant(BigInt64Array.from(values, (v) => BigInt(v)), dims, options);
  }

  /** A float32 constant; `dims` defaults to `[values.length]` (pass `[]` for a scalar). */
  constFloat32(values: readonly number[], dims?: readonly number[], options: Omit<ConstantOptions, 'dtype'> = {}): string {
    return this.constant(Float32Array.from(values), dims, options);
  }

  /**
   * Appends a node and returns its output name. Outputs are named `<node name>_output_<i>`, made unique.
   * `''` in `inputs` skips an optional input.
   */
  node(opType: string, inputs: readonly string[], options?: NodeOptions & { outputs?: 1 }): string;
  /** Appends a node with several outputs (a count, or explicit unique names); returns their names. */
  node(opType: string, inputs: readonly string[], options: NodeOptions & { outputs: number | readonly string[] }): string[];
  node(
    opType: string,
    inputs: readonly string[],
    options: NodeOptions & { outputs?: number | readonly string[] } = {},
  ): string | string[] {
    if (opType === '') throw invalidArgument('Node op type must not be empty.');
    const domain = options.domain ?? '';
    if (domain !== '' && domain !== 'ai.onnx' && !this.extraOpsets.some((o) => o.domain === domain)) {
      throw invalidArgument(`Operator domain "${domain}" is not imported; pass it in extraOpsets.`);
    }
    const resolved = inputs.map((i) => {
      if (i === '') return i;
      const v = this.aliases.get(i) ?? i;
      if (!this.values.has(v)) throw invalidArgument(`${opType} input "${i}" is not a value of graph "${this.name}".`);
      return v;
    });
    const nodeName = this.uniqueNodeName(options.name ?? opType);
    const spec = options.outputs ?? 1;
    let outNames: string[];
    if (typeof spec === 'number') {
      if (!Number.isSafeInteger(spec) || spec < 1) throw invalidArgument(`${opType}: outputs must be a positive integer.`);
      outNames = Array.from({ length: spec }, (_, i) => this.uniqueValueName(`${nodeName}_output_${i}`));
    } else {
      if (spec.length === 0) throw invalidArgument(`${opType}: outputs must not be empty.`);
      outNames = [...spec];
    }
    for (const o of outNames) this.claim(o, 'node');
    const attribute = Object.entries(options.attrs ?? {})
      .filter((e): e is [string, AttributeValue] => e[1] !== undefined)
      .map(([k, v]) => toAttribute(k, v));
    this.nodes.push({
      opType,
      input: resolved,
      output: outNames,
      name: nodeName,
      ...(domain === '' ? {} : { domain }),
      attribute,
    });
    return spec === 1 ? outNames[0] : outNames;
  }

  /**
   * Publishes `value` as a graph output called `name` and returns `name`. A node output is renamed in place
   * (callers may keep using either name). Graph inputs, initializers and values already published get an
   * `Identity` node. `shape` omitted means unknown rank.
   */
  output(value: string, name: string, dtype: OnnxDType, shape?: readonly Dim[]): string {
    const v = this.aliases.get(value) ?? value;
    const kind = this.values.get(v);
    if (kind === undefined) throw invalidArgument(`Output "${name}": "${value}" is not a value of graph "${this.name}".`);
    if (this.outputs.some((o) => o.name === name)) throw invalidArgument(`Graph output "${name}" already exists.`);
    const published = this.outputs.some((o) => this.aliases.get(o.name) === v || o.name === v);
    if (name === v && kind === 'node' && !published) {
      // Already named as requested.
    } else if (kind === 'node' && !published && !this.renames.has(v) && !this.has(name)) {
      this.renames.set(v, name);
      this.aliases.set(name, v);
    } else {
      if (this.has(name)) throw invalidArgument(`Output name "${name}" is already used by another value.`);
      this.node('Identity', [v], { outputs: [name], name: `${name}_Identity` });
    }
    this.outputs.push({ name, elemType: ONNX_DATA_TYPE[dtype], ...(shape === undefined ? {} : { shape: checkShape(name, shape) }) });
    return name;
  }

  /** The model as plain ONNX message objects (before encoding); initializer data is referenced. */
  toOnnx(options: ToModelOptions = {}): { model: OnnxModel; externalData?: Uint8Array } {
    if (this.outputs.length === 0) throw invalidArgument(`Graph "${this.name}" has no outputs.`);
    const rn = (n: string) => this.renames.get(n) ?? n;
    const node = this.nodes.map((n) => ({ ...n, input: n.input.map(rn), output: n.output.map(rn) }));
    let initializer: OnnxTensor[] = this.initializers;
    let externalData: Uint8Array | undefined;
    if (options.externalData !== undefined) {
      const moved = externalizeInitializers(this.initializers, options.externalData);
      initializer = moved.initializer;
      externalData = moved.data;
    }
    const model: OnnxModel = {
      irVersion: this.irVersion,
      opsetImport: [{ domain: '', version: this.opset }, ...this.extraOpsets],
      producerName: options.producerName ?? 'vlp',
      ...(options.producerVersion === undefined ? {} : { producerVersion: options.producerVersion }),
      ...(options.docString === undefined ? {} : { docString: options.docString }),
      graph: { name: this.name, node, initializer, input: this.inputs, output: this.outputs },
      ...(options.metadata === undefined
        ? {}
        : { metadataProps: Object.entries(options.metadata).map(([key, value]) => ({ key, value })) }),
    };
    return externalData === undefined ? { model } : { model, externalData };
  }

  /** Serialises the model (and the external-data side file, if requested and non-empty). */
  toModel(options: ToModelOptions = {}): BuiltOnnxModel {
    const { model, externalData } = this.toOnnx(options);
    const bytes = encodeModel(model);
    if (externalData === undefined || options.externalData === undefined) return { model: bytes };
    return { model: bytes, externalData, externalDataLocation: options.externalData.location };
  }

  private claim(name: string, kind: ValueKind): void {
    if (name === '') throw invalidArgument('Value names must not be empty.');
    if (this.has(name)) throw invalidArgument(`Value name "${name}" is already used in graph "${this.name}".`);
    this.values.set(name, kind);
  }

  private uniqueValueName(base: string): string {
    return this.unique(base, (n) => this.has(n), 'v');
  }

  private uniqueNodeName(base: string): string {
    const name = this.unique(base, (n) => this.nodeNames.has(n), 'n');
    this.nodeNames.add(name);
    return name;
  }

  private unique(base: string, taken: (n: string) => boolean, space: string): string {
    if (!taken(base)) return base;
    const key = `${space}:${base}`;
    let i = this.nameCounters.get(key) ?? 1;
    while (taken(`${base}_${i}`)) i++;
    this.nameCounters.set(key, i + 1);
    return `${base}_${i}`;
  }
}

function checkShape(name: string, shape: readonly Dim[]): Dim[] {
  for (const d of shape) {
    if (typeof d === 'number' ? !Number.isSafeInteger(d) || d < 0 : d === '') {
      throw invalidArgument(`Value "${name}": invalid dimension ${JSON.stringify(d)} in shape [${shape.join(', ')}].`);
    }
  }
  return [...shape];
}
