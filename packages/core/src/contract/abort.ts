import { AbortedError } from '../errors/index.js';

/** Throws `VLP_ABORTED` if `signal` has fired; call between units, batches and steps. */
export function throwIfAborted(signal: AbortSignal | undefined, where?: string): void {
  if (!signal?.aborted) return;
  const reason = signal.reason instanceof Error ? signal.reason.message : signal.reason;
  throw new AbortedError({
    message: `Aborted${where ? ` during ${where}` : ''}${reason ? `: ${String(reason)}` : ''}.`,
    cause: signal.reason,
  });
}
