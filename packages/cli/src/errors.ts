import { AbortedError, InvalidArgumentError, type VlpErrorCode, VlpError } from '@vlp/core';
import { CommanderError } from 'commander';
import { EXIT, type ExitCode } from './exit-codes.js';

/**
 * Error codes that mean "the input is wrong" (a path, a file, an option, a config): exit code 2.
 * Everything else (a pruner bug such as `VLP_SPARSITY_MISMATCH`, an unexpected exception) is a
 * runtime failure: exit code 1.
 */
export const USER_ERROR_CODES: ReadonlySet<VlpErrorCode> = new Set<VlpErrorCode>([
  'VLP_INVALID_CONFIG',
  'VLP_INVALID_ARGUMENT',
  'VLP_NO_SUCH_PRUNER',
  'VLP_UNSUPPORTED_ARCHITECTURE',
  'VLP_CALIBRATION_REQUIRED',
  'VLP_SHAPE_MISMATCH',
  'VLP_MODEL_FILE_NOT_FOUND',
  'VLP_BAD_SAFETENSORS',
  'VLP_BACKEND_UNAVAILABLE',
  'VLP_NOT_SUPPORTED',
  'VLP_IO',
]);

/** A bad option or argument (`VLP_INVALID_ARGUMENT`, exit code 2). The message says how to fix it. */
export function usageError(message: string, details: { path?: string; actual?: unknown; expected?: unknown } = {}): InvalidArgumentError {
  return new InvalidArgumentError({ ...details, message });
}

/** The exit code for an error thrown by a command. */
export function exitCodeOf(error: unknown, signal?: AbortSignal): ExitCode {
  if (signal?.aborted || AbortedError.isInstance(error)) return EXIT.interrupted;
  if (error instanceof CommanderError) return EXIT.usage;
  if (VlpError.isInstance(error) && USER_ERROR_CODES.has(error.code)) return EXIT.usage;
  return EXIT.failure;
}

/** Words that show a message already says how to fix the problem. */
const SAYS_FIX = /\b(pass|choose|fix|use|check|known ids|takes|must be|register|copy|rename|required|point at|install)\b/i;

/** A fix for messages (from libraries) that only say what went wrong. */
const FIX_HINTS: Partial<Record<VlpErrorCode, string>> = {
  VLP_INVALID_CONFIG: 'Fix the fields named; vlp list --json prints every pruner\'s config schema.',
  VLP_INVALID_ARGUMENT: 'Check the option named; vlp <command> --help lists the allowed values.',
  VLP_MODEL_FILE_NOT_FOUND: 'Check the path: pass a Hugging Face checkpoint directory (config.json + model.safetensors) or embedded:tiny-clip.',
  VLP_BAD_SAFETENSORS: 'Re-download or re-save the checkpoint.',
  VLP_SHAPE_MISMATCH: 'Use the config.json the weights were saved with.',
  VLP_UNSUPPORTED_ARCHITECTURE: 'Use a CLIP or BLIP checkpoint, or a pruner that supports this model (vlp list).',
  VLP_CALIBRATION_REQUIRED: 'Pass --calibration shapes-vl or a data directory.',
  VLP_IO: 'Check the path and its permissions.',
  VLP_BACKEND_UNAVAILABLE: 'Use --backend wasm or cpu (or unset VLP_BACKEND).',
};

/** The error as one line: `VLP_CODE: message` with line breaks folded, plus a fix when the message has none. */
export function oneLineError(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^error:\s*/i, '');
  let text = message.replace(/\s*\n\s*(- )?/g, (_m, dash: string | undefined) => (dash ? '; ' : ' ')).replace(/:\s*;/g, ':').trim();
  if (!VlpError.isInstance(error)) return text;
  const hint = FIX_HINTS[error.code];
  if (hint && !SAYS_FIX.test(text)) text = `${text}${/[.!]$/.test(text) ? '' : '.'} ${hint}`;
  return `${error.code}: ${text}`;
}
