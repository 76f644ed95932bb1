/**
 * Every stable error code of vlp, with a one-line meaning and the usual fix.
 * `docs/errors.md` has one anchor per code; a workspace test keeps the two in step.
 */
export const ERROR_CODES = {
  VLP_INVALID_CONFIG: 'A pruner config, request or option failed validation (see `issues` for the paths).',
  VLP_INVALID_ARGUMENT: 'A function argument is out of its documented range or of the wrong kind.',
  VLP_NO_SUCH_PRUNER: 'A pruner id is not registered; the message lists the known ids.',
  VLP_UNSUPPORTED_ARCHITECTURE: 'The pruner, loader or exporter does not support this model architecture.',
  VLP_CALIBRATION_REQUIRED: 'The pruner needs calibration data (or a task) and none was given.',
  VLP_SHAPE_MISMATCH: 'A tensor has a different shape than the model or file expects.',
  VLP_MODEL_FILE_NOT_FOUND: 'A model directory lacks a file it needs (config, weights, tokenizer, ...).',
  VLP_BAD_SAFETENSORS: 'A .safetensors file (or its shard index) is malformed or inconsistent.',
  VLP_SPARSITY_MISMATCH: 'The realised sparsity of a pruning result differs from the request beyond tolerance.',
  VLP_BACKEND_UNAVAILABLE: 'The requested TensorFlow.js backend cannot be loaded on this machine.',
  VLP_ABORTED: 'The operation was cancelled through its AbortSignal.',
  VLP_NOT_SUPPORTED: 'The operation is not supported by this component (see the message for what is).',
  VLP_IO: 'Reading or writing a file failed (permissions, disk full, missing directory).',
} as const;

export type VlpErrorCode = keyof typeof ERROR_CODES;
