import { expectTypeOf, test } from 'vitest';
import type { EcoflapConfig, EcoflapConfigInput } from './ecoflap-config.js';

test('the input type allows omitted defaults; the output type has them', () => {
  expectTypeOf<{}>().toMatchTypeOf<EcoflapConfigInput>();
  expectTypeOf<EcoflapConfig['scores']['kind']>().toEqualTypeOf<'zeroth-order' | 'first-order'>();
  expectTypeOf<EcoflapConfig['granularity']>().toEqualTypeOf<'block' | 'layer' | 'tower'>();
  expectTypeOf<EcoflapConfig['maxSparsity']>().toEqualTypeOf<number | undefined>();
  // @ts-expect-error not a granularity
  const bad: EcoflapConfigInput = { granularity: 'head' };
  void bad;
});
