import Table from 'cli-table3';

/** A plain terminal table (no colours, so it reads the same in logs and on a TTY); numeric columns align right unless `align` says otherwise. */
export function renderTable(head: readonly string[], rows: readonly (readonly (string | number)[])[], align?: readonly ('left' | 'right')[]): string {
  const numeric = (i: number) => rows.length > 0 && rows.every((r) => /^-?[\d.]/.test(String(r[i] ?? '')));
  const table = new Table({
    head: [...head],
    style: { head: [], border: [], compact: true },
    colAligns: align ? [...align] : head.map((_, i) => (numeric(i) ? 'right' : 'left')),
  });
  for (const row of rows) table.push(row.map(String));
  return `${table.toString()}\n`;
}

/** `0.5` → `50.0%`. */
export const percent = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;

/** `1806337` → `1.81M`. */
export function count(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/** Bytes as MiB / GiB. */
export function bytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  return `${(n / 2 ** 20).toFixed(1)} MiB`;
}
