import { InvalidArgumentError } from '@vlp/core';

export interface BenchArgs {
  readonly modelDir?: string;
  readonly json: boolean;
}

/** Parses `pnpm bench [--model-dir <dir>] [--json]`. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let modelDir: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    if (arg === '--json') json = true;
    else if (arg === '--model-dir') {
      modelDir = argv[++i];
      if (!modelDir) throw new InvalidArgumentError({ message: '--model-dir needs a directory: --model-dir <dir>' });
    } else throw new InvalidArgumentError({ message: `Unknown option "${arg}". Usage: pnpm bench [--model-dir <dir>] [--json]` });
  }
  return { modelDir, json };
}
