import { describe, expectTypeOf, it } from 'vitest';
import type { IdIterativeConfig, IdIterativeConfigInput } from './id-iterative-config.js';
import type { IdMetricConfig, IdMetricConfigInput } from './id-metric-config.js';

describe('config types', () => {
  it('inputs allow omitted defaults; outputs have them', () => {
    expectTypeOf<{}>().toExtend<IdMetricConfigInput>();
    expectTypeOf<{}>().toExtend<IdIterativeConfigInput>();
    expectTypeOf<IdMetricConfig['samples']>().toEqualTypeOf<number>();
    expectTypeOf<IdMetricConfig['thresholdRule']>().toEqualTypeOf<'official' | 'exact'>();
    expectTypeOf<IdIterativeConfig['base']>().toEqualTypeOf<'platon' | 'taylor' | 'magnitude'>();
    // @ts-expect-error not a base
    const bad: IdIterativeConfigInput = { base: 'movement' };
    void bad;
  });
});
