import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from './index.js';
import { ERROR_CODES } from './codes.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('VlpError', () => {
  it('carries a stable code, structured fields and the cause', () => {
    const cause = new Error('disk on fire');
    const e = new errors.BadSafetensorsError({ message: 'bad', path: '/x/model.safetensors', tensor: 'w', cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('VLP_BAD_SAFETENSORS');
    expect(e.name).toBe('BadSafetensorsError');
    expect(e.path).toBe('/x/model.safetensors');
    expect(e.tensor).toBe('w');
    expect(e.cause).toBe(cause);
  });

  it('isInstance recognises the base class, a code, and the exact subclass', () => {
    const e = new errors.ShapeMismatchError({ message: 'shape', expected: [2, 3], actual: [3, 2] });
    expect(errors.VlpError.isInstance(e)).toBe(true);
    expect(errors.VlpError.isInstance(e, 'VLP_SHAPE_MISMATCH')).toBe(true);
    expect(errors.VlpError.isInstance(e, 'VLP_BAD_SAFETENSORS')).toBe(false);
    expect(errors.ShapeMismatchError.isInstance(e)).toBe(true);
    expect(errors.BadSafetensorsError.isInstance(e)).toBe(false);
    expect(errors.VlpError.isInstance(new Error('plain'))).toBe(false);
    expect(errors.VlpError.isInstance(null)).toBe(false);
    expect(errors.VlpError.isInstance({ code: 'VLP_ABORTED' })).toBe(false);
  });

  it('isInstance works across two loaded copies of the package, where instanceof fails', () => {
    // Two module instances of the built bundle (the second loaded under another URL) stand for
    // two installed copies of @vlp/core.
    const dist = pathToFileURL(path.resolve(here, '../../dist/index.js')).href;
    const script = `
      const a = await import(${JSON.stringify(dist)});
      const b = await import(${JSON.stringify(`${dist}?copy=2`)});
      const foreign = new b.AbortedError({ message: 'stop' });
      console.log(JSON.stringify({
        distinct: a.AbortedError !== b.AbortedError,
        instanceOf: foreign instanceof a.AbortedError,
        isInstance: a.AbortedError.isInstance(foreign),
        baseWithCode: a.VlpError.isInstance(foreign, 'VLP_ABORTED'),
        otherClass: a.IoError.isInstance(foreign),
      }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({ distinct: true, instanceOf: false, isInstance: true, baseWithCode: true, otherClass: false });
  });

  it('NoSuchPrunerError lists the known ids and how to register one', () => {
    const e = new errors.NoSuchPrunerError({ prunerId: 'wandaa', knownIds: ['magnitude', 'wanda'] });
    expect(e.code).toBe('VLP_NO_SUCH_PRUNER');
    expect(e.message).toContain('"wandaa"');
    expect(e.message).toContain('magnitude, wanda');
    expect(e.message).toContain('createPrunerRegistry');
  });

  it('InvalidConfigError keeps the issues with their paths', () => {
    const e = new errors.InvalidConfigError({ message: 'bad config', issues: [{ message: 'too big', path: ['sparsity'] }] });
    expect(e.issues[0]?.path).toEqual(['sparsity']);
    expect(errors.InvalidConfigError.isInstance(e)).toBe(true);
  });

  it('every error class uses a code listed in ERROR_CODES', () => {
    const classes = (Object.values(errors) as unknown[]).filter(
      (v): v is new (a: never) => errors.VlpError =>
        typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof errors.VlpError,
    );
    expect(classes.length).toBeGreaterThanOrEqual(12);
    for (const cls of classes) {
      const e =
        cls === (errors.NoSuchPrunerError as unknown)
          ? new errors.NoSuchPrunerError({ prunerId: 'x', knownIds: [] })
          : new (cls as unknown as new (a: { message: string }) => errors.VlpError)({ message: 'm' });
      expect(Object.keys(ERROR_CODES)).toContain(e.code);
    }
  });

  it('docs/errors.md has one anchor per code', () => {
    const doc = readFileSync(path.resolve(here, '../../../../docs/errors.md'), 'utf8');
    for (const code of Object.keys(ERROR_CODES)) {
      expect(doc, `docs/errors.md lacks a section for ${code}`).toMatch(new RegExp(`^## \`?${code}\`?\\s*$`, 'm'));
    }
  });
});
