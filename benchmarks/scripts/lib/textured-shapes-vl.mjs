/**
 * Analysis only (issue #6, docs/benchmarking.md "Why Wanda … can trail magnitude"): Shapes-VL with
 * textured instead of flat grey backgrounds, for the controlled experiment that asks whether
 * Wanda's deficit on tiny-clip comes from the flat background. Not a dataset option: the shipped
 * Shapes-VL and every embedded checkpoint use the flat background.
 *
 *   node --import ./benchmarks/scripts/lib/textured-shapes-vl.mjs packages/zoo/dist/train-tiny-clip.js --run-dir … --out …
 *   node --import ./benchmarks/scripts/lib/textured-shapes-vl.mjs benchmarks/scripts/wanda-analysis.mjs --model-dir … --out …
 *
 * Registers a module hook that loads `@vlp/data` with its background fill replaced by
 * `TEXTURE_SOURCE` (in textured-shapes-vl-hooks.mjs): the same grey plus three low-frequency luminance waves (amplitude 12–28,
 * up to 3 cycles per image side), a colour tint of ±12 per image and per-pixel noise of ±10, all
 * drawn from a seed hashed from the scene's objects (the same image every time it is rendered).
 * Objects are drawn over it exactly as before. Fails loudly when the build of `@vlp/data` no longer
 * has the fill loop it replaces.
 */
import { register } from 'node:module';

register('./textured-shapes-vl-hooks.mjs', import.meta.url);
