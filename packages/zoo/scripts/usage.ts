/** The trainer settings both `train:*` scripts take (each overrides the recipe field of the same name). */
export const TRAINER_FLAGS = {
  steps: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  warmup: { type: 'string' },
  'weight-decay': { type: 'string' },
  'train-images': { type: 'string' },
  seed: { type: 'string' },
  'checkpoint-every': { type: 'string' },
} as const;

/** The run switches of both `train:*` scripts. */
export const RUN_FLAGS = {
  'no-resume': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/** The flags of a script's `parseArgs` options as one usage line (`--name X` for values, `--name` for switches). */
export function usageLine(command: string, options: Readonly<Record<string, { readonly type: 'string' | 'boolean' }>>): string {
  const flags = Object.entries(options).map(([name, o]) => (o.type === 'boolean' ? `[--${name}]` : `[--${name} X]`));
  return `usage: pnpm --filter @vlp/zoo ${command} ${flags.join(' ')}\n(each flag is described in packages/zoo/README.md)\n`;
}
