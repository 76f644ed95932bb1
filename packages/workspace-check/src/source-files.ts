import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every .ts/.mts file below `dir` (recursively), skipping node_modules and dist. */
export function listSourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listSourceFiles(full));
    else if (/\.m?ts$/.test(entry)) out.push(full);
  }
  return out.sort();
}

/** The `@vlp/*` package names a source file imports (static, dynamic and `export … from`). */
export function vlpImports(source: string): string[] {
  const found = new Set<string>();
  const re = /(?:from\s+|import\s*\(\s*|import\s+|require\s*\(\s*)['"](@vlp\/[a-z0-9-]+)(?:\/[^'"]*)?['"]/g;
  for (const match of source.matchAll(re)) found.add(match[1] as string);
  return [...found].sort();
}
