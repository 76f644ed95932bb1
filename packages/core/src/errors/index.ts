export { ERROR_CODES, type VlpErrorCode } from './codes.js';
export { VlpError, type VlpErrorDetails, type VlpErrorOptions } from './vlp-error.js';
export {
  AbortedError,
  BackendUnavailableError,
  BadSafetensorsError,
  CalibrationRequiredError,
  InvalidArgumentError,
  InvalidConfigError,
  IoError,
  ModelFileNotFoundError,
  NoSuchPrunerError,
  NotSupportedError,
  ShapeMismatchError,
  SparsityMismatchError,
  UnsupportedArchitectureError,
} from './subclasses.js';
