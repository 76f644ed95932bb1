import { InvalidArgumentError } from '@vlp/core';

/** One float32 parameter in HF layout. */
export interface StoredParam {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * The host copy of a model's parameters (HF names and layouts, float32). Engines bind from it and
 * cache their own copies keyed by {@link ParamStore.version}, which changes on every write.
 */
export class ParamStore {
  private readonly params: Map<string, StoredParam>;
  private versionCounter = 0;

  constructor(params: ReadonlyMap<string, StoredParam>) {
    this.params = new Map(params);
  }

  /** Increments whenever a parameter changes. */
  get version(): number {
    return this.versionCounter;
  }

  names(): string[] {
    return [...this.params.keys()];
  }

  has(name: string): boolean {
    return this.params.has(name);
  }

  get(name: string): StoredParam {
    const p = this.params.get(name);
    if (!p) {
      throw new InvalidArgumentError({
        message: `Unknown parameter "${name}" (the model has ${this.params.size} parameters).`,
        tensor: name,
      });
    }
    return p;
  }

  /** Replaces a parameter's values (same shape). */
  set(name: string, data: Float32Array): void {
    const p = this.get(name);
    if (data.length !== p.data.length) {
      throw new InvalidArgumentError({
        message: `New values for "${name}" have ${data.length} elements; the parameter has ${p.data.length} (shape [${p.shape.join(', ')}]).`,
        tensor: name,
      });
    }
    this.params.set(name, { shape: p.shape, data });
    this.versionCounter += 1;
  }

  /** Total number of scalars. */
  size(): number {
    let n = 0;
    for (const p of this.params.values()) n += p.data.length;
    return n;
  }
}
