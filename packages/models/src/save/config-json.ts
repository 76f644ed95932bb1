/** Objects with their keys sorted, recursively (arrays keep their order). */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

/**
 * config.json text as `save_pretrained` formats it: keys sorted at every level, 2-space indent,
 * trailing newline (Python's `json.dumps(indent=2, sort_keys=True) + "\n"`; JSON numbers are written
 * the JavaScript way, e.g. `1` for Python's `1.0`, which every JSON reader reads back equal).
 */
export function configJson(config: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(sortKeys(config), null, 2)}\n`;
}
