/** Type tests (checked by `tsc -p tsconfig.json`): inputs may omit defaults, outputs have them, bad literals fail. */
import { expectTypeOf } from 'vitest';
import type { IterSnipConfig, IterSnipConfigInput } from '../itersnip/itersnip-config.js';
import type { MagnitudeConfig, MagnitudeConfigInput } from '../magnitude/magnitude-config.js';
import type { SparseGptConfig, SparseGptConfigInput } from '../sparsegpt/sparsegpt-config.js';
import type { WandaConfig, WandaConfigInput } from '../wanda/wanda-config.js';

expectTypeOf<{}>().toExtend<WandaConfigInput>();
expectTypeOf<{ granularity: { kind: 'n:m'; n: number; m: number } }>().toExtend<WandaConfigInput>();
expectTypeOf<WandaConfig['granularity']>().toEqualTypeOf<{ kind: 'unstructured' } | { kind: 'n:m'; n: number; m: number }>();
expectTypeOf<WandaConfig['comparisonGroup']>().toEqualTypeOf<'row' | 'tensor'>();
expectTypeOf<WandaConfig['sequential']>().toEqualTypeOf<boolean>();
expectTypeOf<{ granularity: '2:4' }>().not.toExtend<WandaConfigInput>();

expectTypeOf<{ blockSize: number }>().toExtend<SparseGptConfigInput>();
expectTypeOf<SparseGptConfig['dampening']>().toEqualTypeOf<number>();
expectTypeOf<{ dampening: '1%' }>().not.toExtend<SparseGptConfigInput>();

expectTypeOf<MagnitudeConfig['scope']>().toEqualTypeOf<'layer' | 'global'>();
expectTypeOf<{ scope: 'row' }>().not.toExtend<MagnitudeConfigInput>();
expectTypeOf<IterSnipConfig['rounds']>().toEqualTypeOf<number>();
expectTypeOf<{}>().toExtend<IterSnipConfigInput>();
