import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VlpError } from '@vlp/core';
import { parseBenchArgs } from './cli-args.js';
import { runSmoke } from './smoke.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Entry of `pnpm bench`. Exit codes: 0 ok, 1 failure, 2 usage error. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseBenchArgs(argv);
    const modelDir = args.modelDir ?? path.resolve(repoRoot, '../shared/fixtures/hf/clip-tiny');
    const result = await runSmoke(modelDir);
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(
        `vlp bench (smoke): backend ${result.backend}; read ${result.tensors} tensors, ` +
          `${result.parameters} parameters from ${path.relative(process.cwd(), result.file)} in ${result.millis.toFixed(0)} ms\n`,
      );
    }
    return 0;
  } catch (error) {
    process.stderr.write(`vlp bench: ${error instanceof Error ? error.message : String(error)}\n`);
    return VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT') ? 2 : 1;
  }
}
