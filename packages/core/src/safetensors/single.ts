import type { FileHandle } from 'node:fs/promises';
import { InvalidArgumentError } from '../errors/index.js';
import { toFloat32, viewAs } from './decode.js';
import { fileSize, openForReading, readExactly } from './file-io.js';
import { LENGTH_PREFIX_BYTES, parseHeader, parseHeaderLength, type ParsedHeader } from './header.js';
import type { SafetensorsFile, SafetensorsTensor, SafetensorsTensorInfo } from './types.js';

/**
 * Opens one `.safetensors` file: reads and validates its header (only the header), keeps the
 * file handle open and reads tensors on demand. Throws `BadSafetensorsError` for a malformed
 * file and `IoError` if it cannot be opened.
 */
export async function openSafetensorsFile(path: string): Promise<SafetensorsFile> {
  const handle = await openForReading(path);
  try {
    const size = await fileSize(handle, path);
    const prefix = await readExactly(handle, 0, Math.min(LENGTH_PREFIX_BYTES, size), path);
    const headerLength = parseHeaderLength(prefix, size, path);
    const headerBytes = await readExactly(handle, LENGTH_PREFIX_BYTES, headerLength, path);
    return new SingleSafetensorsFile(path, handle, parseHeader(headerBytes, size, path));
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

class SingleSafetensorsFile implements SafetensorsFile {
  readonly metadata: Readonly<Record<string, string>>;
  readonly metadataEntries: readonly (readonly [string, string])[] | undefined;
  readonly names: readonly string[];
  readonly #infos: ReadonlyMap<string, SafetensorsTensorInfo>;
  readonly #dataStart: number;
  #handle: FileHandle | undefined;

  constructor(
    readonly path: string,
    handle: FileHandle,
    header: ParsedHeader,
  ) {
    this.#handle = handle;
    this.#dataStart = header.dataStart;
    this.metadata = Object.freeze({ ...header.metadata });
    this.metadataEntries = header.metadataEntries;
    this.#infos = new Map(header.tensors.map((t) => [t.name, t]));
    this.names = Object.freeze(header.tensors.map((t) => t.name));
  }

  has(name: string): boolean {
    return this.#infos.has(name);
  }

  info(name: string): SafetensorsTensorInfo {
    const info = this.#infos.get(name);
    if (info === undefined) throw unknownTensor(this.path, name, this.names);
    return info;
  }

  async readRaw(name: string): Promise<Uint8Array> {
    const info = this.info(name);
    const handle = this.#handle;
    if (handle === undefined) throw closed(this.path, name);
    return readExactly(handle, this.#dataStart + info.dataOffsets[0], info.byteLength, this.path, name);
  }

  async read(name: string): Promise<SafetensorsTensor> {
    const bytes = await this.readRaw(name);
    const { dtype, shape } = this.info(name);
    return { dtype, shape: [...shape], data: viewAs(dtype, bytes) };
  }

  async readFloat32(name: string): Promise<Float32Array> {
    const { dtype, data } = await this.read(name);
    return toFloat32(dtype, data);
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }
}

/** The error for a tensor name the checkpoint lacks (an argument error: the file is fine). */
export function unknownTensor(path: string, name: string, names: readonly string[]): InvalidArgumentError {
  const examples = names.slice(0, 3).map((n) => `"${n}"`);
  const some = names.length === 0 ? '' : `, e.g. ${examples.join(', ')}${names.length > 3 ? ', ...' : ''}`;
  return new InvalidArgumentError({
    message:
      `Safetensors checkpoint "${path}" has no tensor "${name}" (it has ${names.length} tensors${some}). ` +
      'Check the name against `file.names` or `file.has(name)`.',
    path,
    tensor: name,
  });
}

function closed(path: string, name: string): InvalidArgumentError {
  return new InvalidArgumentError({
    message: `Cannot read tensor "${name}": safetensors file "${path}" was closed. Open it again with readSafetensors().`,
    path,
    tensor: name,
  });
}
