/** The flags of a script's `parseArgs` options as one usage line (`--name X` for values, `--name` for switches). */
export function usageLine(command: string, options: Readonly<Record<string, { readonly type: 'string' | 'boolean' }>>): string {
  const flags = Object.entries(options).map(([name, o]) => (o.type === 'boolean' ? `[--${name}]` : `[--${name} X]`));
  return `usage: pnpm --filter @vlp/zoo ${command} ${flags.join(' ')}\n(each flag is described in packages/zoo/README.md)\n`;
}
