import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { REPO_ROOT } from './__tests__/fixtures.js';
import { multiflowCalibrationOptionsSchema } from './multiflow-calibration.js';
import { multiflowConfigSchema } from './multiflow-config.js';

const PAGES = {
  'docs/methods/multiflow.md': readFileSync(path.join(REPO_ROOT, 'docs/methods/multiflow.md'), 'utf8'),
  'packages/multiflow/README.md': readFileSync(path.join(REPO_ROOT, 'packages/multiflow/README.md'), 'utf8'),
};

/** `field → default` of a schema, from its JSON Schema. */
function defaults(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input' }) as { properties: Record<string, { default?: unknown }> };
  return Object.fromEntries(Object.entries(json.properties).map(([name, p]) => [name, p.default]));
}

/** `field → default` (the first backticked value of the `default` cell) of every markdown table with a `default` column. */
function documented(page: string): Record<string, string> {
  const out: Record<string, string> = {};
  let column = -1;
  for (const line of page.split('\n')) {
    if (!line.startsWith('|')) {
      column = -1;
      continue;
    }
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    if (column < 0) column = cells.indexOf('default');
    else if (column > 0 && cells[1].startsWith('`')) out[cells[1].replaceAll('`', '')] = /`([^`]*)`/.exec(cells[column])?.[1] ?? cells[column];
  }
  return out;
}

describe('the documentation', () => {
  it('documents every config option with its real default, on the method page and in the README', () => {
    for (const [file, page] of Object.entries(PAGES)) {
      const table = documented(page);
      for (const [name, value] of Object.entries(defaults(multiflowConfigSchema))) {
        expect(table[name], `${file}: ${name}`).toBe(typeof value === 'string' ? `'${value}'` : String(value));
      }
    }
  });

  it('documents every multiflowCalibration option with its real default on the method page', () => {
    const table = documented(PAGES['docs/methods/multiflow.md']);
    for (const [name, value] of Object.entries(defaults(multiflowCalibrationOptionsSchema))) expect(table[name], name).toBe(String(value));
  });
});
