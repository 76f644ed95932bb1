import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensors } from './read.js';
import { serializeSafetensors, writeSafetensors } from './write.js';

// packages/core/src/safetensors → repo root is four levels up.
const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const fixturesDir = resolve(repoRoot, '../shared/fixtures');
const fixtures = readdirSync(fixturesDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.safetensors'))
  .sort()
  .map((f) => join(fixturesDir, f));

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const out = mkdtempSync(join(tmpdir(), 'vlp-roundtrip-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('byte-identical round trip of the Python-written fixtures', () => {
  it('finds the fixtures (hf/** and official/**)', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    expect(fixtures.some((f) => f.includes(`${join('fixtures', 'hf')}`))).toBe(true);
    expect(fixtures.some((f) => f.includes(`${join('fixtures', 'official')}`))).toBe(true);
  });

  it.each(fixtures.map((f) => [f.slice(fixturesDir.length + 1), f]))('%s', async (_label, fixture) => {
    const original = readFileSync(fixture);
    const file = await readSafetensors(fixture);
    const tensors = new Map();
    try {
      for (const name of file.names) {
        const { dtype, shape } = file.info(name);
        tensors.set(name, { dtype, shape, data: await file.readRaw(name) });
      }
    } finally {
      await file.close();
    }
    const target = join(out, 'copy.safetensors');
    await writeSafetensors(target, tensors, file.metadataEntries);
    const written = readFileSync(target);
    expect(written.byteLength).toBe(original.byteLength);
    expect(sha256(written)).toBe(sha256(original));
    // The in-memory serializer produces the same bytes, also from typed arrays instead of raw bytes.
    const decoded = new Map();
    const again = await readSafetensors(target);
    try {
      for (const name of again.names) decoded.set(name, await again.read(name));
    } finally {
      await again.close();
    }
    expect(sha256(serializeSafetensors(decoded, again.metadataEntries))).toBe(sha256(original));
    // The canonical order is recomputed, not copied from the input: reversed input, same bytes.
    const reversed = new Map([...decoded].reverse());
    expect(sha256(serializeSafetensors(reversed, again.metadataEntries))).toBe(sha256(original));
  });
});
