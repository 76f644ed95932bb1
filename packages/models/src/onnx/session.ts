/**
 * Creating and releasing onnxruntime-node sessions with an explicit, never-crashing provider choice.
 *
 * onnxruntime-node 1.30 bundles only the CPU (and WebGPU) providers. The CUDA provider libraries are
 * downloaded by its install script, which pnpm does not run by default. Without them, a session created
 * with `['cuda']` throws ("Failed to load shared library"). It does not fall back to CPU, so this helper
 * catches the error and retries on CPU, returning the reason as `warning`. When the provider library file is
 * absent, CUDA is not attempted at all. This also avoids the error ORT's native logger prints to stderr
 * on a failed attempt.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';

/** Execution providers this helper knows. */
export type OrtProvider = 'cpu' | 'cuda';

/** Options of {@link createOrtSession}. */
export interface OrtSessionOptions {
  /** Intra-op threads (ORT default: one per core). Use 1 on shared machines. */
  intraOpNumThreads?: number;
  /** Preferred provider(s), best first. CUDA is tried only when listed; CPU is always the fallback. */
  executionProviders?: OrtProvider | readonly OrtProvider[];
  /** In-memory external data files (`{ path: location, data }`), for models loaded from bytes. */
  externalData?: readonly { path: string; data: Uint8Array }[];
  /** ORT log level (0 verbose … 4 fatal). Default 3 (errors only), which silences ORT's warnings on stderr. */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
  /** Further ORT session options, merged over the above (their `executionProviders` is ignored). */
  sessionOptions?: ort.InferenceSession.SessionOptions;
}

/** A created session, the provider it runs on, and why it is not the one asked for (if so). */
export interface OrtSessionHandle {
  session: ort.InferenceSession;
  provider: OrtProvider;
  warning?: string;
}

/**
 * Creates an ORT session from model bytes or a file path (external data next to the file is found by ORT).
 * Providers are tried in order; a failing non-CPU provider falls back to CPU with a `warning`. A CPU
 * failure (e.g. an invalid model) is thrown.
 */
export async function createOrtSession(model: Uint8Array | string, options: OrtSessionOptions = {}): Promise<OrtSessionHandle> {
  const asked = options.executionProviders === undefined ? ['cpu' as const] : [options.executionProviders].flat();
  const order: OrtProvider[] = [...new Set<OrtProvider>([...asked, 'cpu'])];
  const failures: string[] = [];
  for (const provider of order) {
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      logSeverityLevel: options.logSeverityLevel ?? 3,
      ...(options.intraOpNumThreads === undefined ? {} : { intraOpNumThreads: options.intraOpNumThreads }),
      ...options.sessionOptions,
      executionProviders: [provider],
      ...(options.externalData === undefined ? {} : { externalData: options.externalData }),
    };
    const missing = provider === 'cuda' ? missingCudaProvider() : undefined;
    if (missing !== undefined) {
      failures.push(missing);
      continue;
    }
    try {
      const session =
        typeof model === 'string'
          ? await ort.InferenceSession.create(model, sessionOptions)
          : await ort.InferenceSession.create(model, sessionOptions);
      if (failures.length === 0) return { session, provider };
      return {
        session,
        provider,
        warning: `ONNX Runtime fell back to the ${provider.toUpperCase()} provider: ${failures.join('; ')}`,
      };
    } catch (error) {
      if (provider === 'cpu') throw error;
      const reason = error instanceof Error ? error.message : String(error);
      failures.push(`${provider.toUpperCase()} provider unavailable (${firstLine(reason)})`);
    }
  }
  // Not reached: 'cpu' is always in `order`, and its attempt returns or throws.
  throw new Error('createOrtSession: no provider attempted');
}

const released = new WeakSet<ort.InferenceSession>();

/** Releases a session's native resources. Takes the handle or the session; a second call does nothing. */
export async function releaseSession(handle: OrtSessionHandle | ort.InferenceSession): Promise<void> {
  const session = 'session' in handle ? handle.session : handle;
  if (released.has(session)) return;
  released.add(session);
  await session.release();
}

/**
 * Why the CUDA provider cannot load, if that is visible without trying: the platform has no CUDA build, or
 * onnxruntime-node's install script (which downloads the provider libraries) has not been run.
 */
function missingCudaProvider(): string | undefined {
  const file = { linux: 'libonnxruntime_providers_cuda.so', win32: 'onnxruntime_providers_cuda.dll' }[process.platform as string];
  if (file === undefined || process.arch !== 'x64') return `CUDA provider unavailable (no CUDA build of onnxruntime-node for ${process.platform}/${process.arch})`;
  let binDir: string;
  try {
    const entry = createRequire(import.meta.url).resolve('onnxruntime-node');
    binDir = join(dirname(entry), '..', 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return undefined; // cannot tell; let ORT try
  }
  const path = join(binDir, file);
  if (existsSync(path)) return undefined;
  return (
    `CUDA provider unavailable (${path} is missing: onnxruntime-node's install script was not run; ` +
    'install the CUDA 12 providers with `ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js` ' +
    'and make CUDA 12 + cuDNN 9 libraries available)'
  );
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim() !== '') ?? s;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
