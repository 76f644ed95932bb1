import { InvalidArgumentError, type Engine } from '@vlp/core';

/** The engine for forward-only work: the option, else `VLP_EXECUTOR`, else ONNX Runtime. */
export function resolveEngine(requested?: Engine, env: Readonly<Record<string, string | undefined>> = process.env): Engine {
  const value = requested ?? (env.VLP_EXECUTOR?.trim() || 'onnx');
  if (value !== 'onnx' && value !== 'tfjs') {
    throw new InvalidArgumentError({ message: `Unknown engine "${value}"${requested ? '' : ' (from VLP_EXECUTOR)'}; use "onnx" or "tfjs".` });
  }
  return value;
}
