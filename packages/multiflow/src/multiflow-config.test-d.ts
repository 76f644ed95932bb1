/** Type tests (checked by `tsc -p tsconfig.json`): inputs may omit defaults, outputs have them, bad literals fail. */
import { expectTypeOf } from 'vitest';
import type { MultiflowCalibrationOptions, MultiflowCalibrationOptionsInput } from './multiflow-calibration.js';
import type { MultiflowConfig, MultiflowConfigInput } from './multiflow-config.js';

expectTypeOf<{}>().toExtend<MultiflowConfigInput>();
expectTypeOf<{ numBatches: number; fusionAs: 'fusion'; rounding: 'official'; engine: 'tfjs' }>().toExtend<MultiflowConfigInput>();
expectTypeOf<MultiflowConfig>().toEqualTypeOf<{ numBatches: number; fusionAs: 'text' | 'fusion'; rounding: 'exact' | 'official'; engine: 'auto' | 'onnx' | 'tfjs' }>();
expectTypeOf<{ fusionAs: 'vision' }>().not.toExtend<MultiflowConfigInput>();
expectTypeOf<{ rounding: 'floor' }>().not.toExtend<MultiflowConfigInput>();
expectTypeOf<{ numBatches: '3000' }>().not.toExtend<MultiflowConfigInput>();

expectTypeOf<{}>().toExtend<MultiflowCalibrationOptionsInput>();
expectTypeOf<MultiflowCalibrationOptions>().toEqualTypeOf<{ batchSize: number; seed: number; shuffle: boolean }>();
