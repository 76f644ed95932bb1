import { expectTypeOf, test } from 'vitest';
import type { MopeConfig, MopeConfigInput } from './mope-config.js';

test('input allows omitted defaults, output has them', () => {
  expectTypeOf<{}>().toExtend<MopeConfigInput>();
  expectTypeOf<MopeConfig['depthShare']>().toEqualTypeOf<number>();
  expectTypeOf<MopeConfig['neuronGroups']>().toEqualTypeOf<{ kind: 'count'; count: number } | { kind: 'size'; size: number }>();
  // @ts-expect-error engine is onnx | tfjs
  expectTypeOf<{ engine: 'webgpu' }>().toExtend<MopeConfigInput>();
});
