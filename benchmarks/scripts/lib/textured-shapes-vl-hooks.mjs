/** Module hooks of textured-shapes-vl.mjs: `@vlp/data` loaded with a textured background fill. */
import { readFile } from 'node:fs/promises';

/** The flat fill of `renderScene` in the built `@vlp/data` (tsup output of shapes-vl/render.ts). */
const FLAT_FILL = /for \(let p = 0; p < size \* size; p\+\+\) \{\s*data\[p \* 3\] = BACKGROUND_RGB\[0\];\s*data\[p \* 3 \+ 1\] = BACKGROUND_RGB\[1\];\s*data\[p \* 3 \+ 2\] = BACKGROUND_RGB\[2\];\s*\}/;

const TEXTURE_SOURCE = `{
    let seed = 2166136261 >>> 0;
    for (const o of scene.objects) for (const s of [o.shape, o.colour, o.size, String(o.x), String(o.y)]) for (let i = 0; i < s.length; i++) seed = Math.imul(seed ^ s.charCodeAt(i), 16777619) >>> 0;
    const rand = () => { seed = (seed + 0x6D2B79F5) >>> 0; let t = seed; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
    const waves = [0, 1, 2].map(() => ({ fx: (rand() * 2 - 1) * 3, fy: (rand() * 2 - 1) * 3, phase: rand() * 2 * Math.PI, amplitude: 12 + rand() * 16 }));
    const tint = [0, 1, 2].map(() => (rand() * 2 - 1) * 12);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
      let lum = 0;
      for (const w of waves) lum += w.amplitude * Math.sin(2 * Math.PI * (w.fx * (x / size) + w.fy * (y / size)) + w.phase);
      lum += (rand() * 2 - 1) * 10;
      const p = y * size + x;
      for (let c = 0; c < 3; c++) data[p * 3 + c] = Math.max(0, Math.min(255, Math.round(BACKGROUND_RGB[c] + (lum + tint[c]))));
    }
  }`;

const patched = new Set();

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (specifier === '@vlp/data') patched.add(result.url);
  return result;
}

export async function load(url, context, next) {
  if (!patched.has(url)) return next(url, context);
  const source = await readFile(new URL(url), 'utf8');
  if (!FLAT_FILL.test(source)) throw new Error(`textured-shapes-vl: the background fill of renderScene was not found in ${url}; update FLAT_FILL to the current build of @vlp/data.`);
  return { format: 'module', source: source.replace(FLAT_FILL, TEXTURE_SOURCE), shortCircuit: true };
}
