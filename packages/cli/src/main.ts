import { Command, CommanderError, Option } from 'commander';
import { type LoadedConfig, loadVlpConfig } from './config/load-config.js';
import type { CommandContext } from './commands/context.js';
import { parseInteger, parseSparsity } from './commands/options.js';
import { exitCodeOf, oneLineError } from './errors.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';
import { PROGRESS_MODES, parseProgressMode } from './progress/progress.js';
import { BACKENDS, parseBackend } from './run/backend.js';
import { VERSION } from './version.js';

const int = (flag: string, min: number) => (v: string) => parseInteger(flag, v, min);

function common(cmd: Command): Command {
  return cmd
    .option('--json', 'print one JSON document on stdout (nothing else there)')
    .addOption(new Option('--progress <mode>', `progress on stderr: ${PROGRESS_MODES.join(' | ')}`).default('auto').argParser(parseProgressMode));
}

function backendOption(cmd: Command): Command {
  return cmd.addOption(new Option('--backend <name>', `tfjs backend: ${BACKENDS.join(' | ')} (VLP_BACKEND overrides)`).default('auto').argParser(parseBackend));
}

const EXAMPLES = `
Examples:
  vlp list
  vlp inspect embedded:tiny-clip
  vlp prune --model embedded:tiny-clip --pruner wanda --sparsity 0.5 --out pruned/
  vlp eval --model pruned/model --task zero-shot --limit 200
  vlp bench run --suite smoke

Exit codes: 0 ok, 1 failure, 2 usage or config error, 130 interrupted.
vlp.config.ts in the working directory registers extra pruners and suites.`;

/**
 * Builds the `vlp` program; each action stores its exit code in `result.code`. Command modules are
 * imported when their command runs, so `vlp --help` and light commands do not load every library.
 */
function program(ctx: CommandContext, result: { code: number }): Command {
  const root = new Command('vlp')
    .description('Prune vision-language models (CLIP, BLIP): list pruners, inspect models, prune, evaluate, benchmark.')
    .version(VERSION, '-v, --version')
    .addHelpText('after', EXAMPLES)
    .showSuggestionAfterError(true);

  common(root.command('list').description('installed pruners with capabilities, paper and config JSON Schema (--json)')).action(async (o) => {
    result.code = await (await import('./commands/list.js')).runList(o, ctx);
  });

  backendOption(
    common(root.command('inspect').description('architecture, prunable units and structures, parameters, sparsity and memory estimates of a model'))
      .argument('<model>', 'Hugging Face checkpoint directory or embedded:<name>')
      .addOption(new Option('--samples <n>', 'calibration samples assumed by the estimates').default(64).argParser(int('--samples', 1)))
      .addHelpText('after', '\nExample:\n  vlp inspect ../shared/fixtures/hf/clip-tiny --json'),
  ).action(async (spec: string, o) => {
    result.code = await (await import('./commands/inspect.js')).runInspect(spec, o, ctx);
  });

  backendOption(
    common(root.command('prune').description('prune a model and write the pruned checkpoint, masks and a per-layer report'))
      .option('--model <dir>', 'Hugging Face checkpoint directory or embedded:<name>')
      .option('--pruner <id>', 'pruner id (vlp list)')
      .option('--sparsity <s>', 'fraction of prunable weights to remove, in [0, 1)', parseSparsity)
      .option('--config <file.json>', "pruner options as JSON (schema: vlp list --json)")
      .option('--calibration <src>', 'shapes-vl or a data directory (docs/benchmarking.md layout)', 'shapes-vl')
      .addOption(new Option('--samples <n>', 'calibration samples').default(64).argParser(int('--samples', 1)))
      .addOption(new Option('--batch-size <n>', 'calibration batch size').default(16).argParser(int('--batch-size', 1)))
      .addOption(new Option('--eval-samples <n>', 'held-out examples for pruners that need an evaluator (mope)').default(100).argParser(int('--eval-samples', 1)))
      .addOption(new Option('--seed <n>', 'root seed of every random choice').default(0).argParser(int('--seed', 0)))
      .option('--out <dir>', 'output directory (created; must not exist or be empty)')
      .option('--overwrite', 'replace a non-empty --out')
      .option('--no-compact', 'structured pruners: keep the full-size model with zeroed structures')
      .option('--dry-run', 'print the resolved config and estimated time and memory, then exit')
      .addHelpText('after', '\nExample:\n  vlp prune --model embedded:tiny-clip --pruner wanda --sparsity 0.5 --out pruned/tiny-clip-wanda\n\nWrites <out>/model/ (Hugging Face layout), masks.safetensors, report.json, layers.csv.'),
  ).action(async (o) => {
    result.code = await (await import('./commands/prune.js')).runPrune(o, ctx);
  });

  backendOption(
    common(root.command('eval').description("metrics of a model on its architecture's tasks"))
      .option('--model <dir>', 'Hugging Face checkpoint directory or embedded:<name>')
      .option('--task <ids>', 'zero-shot, retrieval, captioning, vqa (comma-separated; default: all of the model)')
      .option('--data <src>', 'shapes-vl or a data directory (docs/benchmarking.md layout)', 'shapes-vl')
      .addOption(new Option('--limit <n>', 'evaluation examples per task').default(200).argParser(int('--limit', 1)))
      .addOption(new Option('--batch-size <n>', 'examples per forward').default(64).argParser(int('--batch-size', 1)))
      .addHelpText('after', '\nExample:\n  vlp eval --model pruned/tiny-clip-wanda/model --task zero-shot --limit 200'),
  ).action(async (o) => {
    result.code = await (await import('./commands/eval.js')).runEval(o, ctx);
  });

  backendOption(
    common(root.command('id').description('intrinsic dimension (TwoNN) of every prunable layer output (Wang, Zhang & Ma, ICML 2024)'))
      .option('--model <dir>', 'Hugging Face checkpoint directory or embedded:<name>')
      .option('--calibration <src>', 'shapes-vl or a data directory', 'shapes-vl')
      .addOption(new Option('--samples <n>', 'calibration samples (paper: 600)').default(200).argParser(int('--samples', 3)))
      .addOption(new Option('--batch-size <n>', 'calibration batch size').default(20).argParser(int('--batch-size', 1)))
      .addOption(new Option('--max-blocks <n>', 'TwoNN block analysis depth (paper: 20)').default(20).argParser(int('--max-blocks', 1)))
      .addOption(new Option('--units-per-pass <n>', 'layers measured per calibration pass').default(12).argParser(int('--units-per-pass', 1)))
      .addOption(new Option('--seed <n>', 'seed').default(0).argParser(int('--seed', 0)))
      .option('--out <dir>', 'also write id-report.json and id-plot.svg there')
      .option('--overwrite', 'replace a non-empty --out')
      .addHelpText('after', '\nExample:\n  vlp id --model embedded:tiny-clip --samples 200 --out id-tiny-clip'),
  ).action(async (o) => {
    result.code = await (await import('./commands/id.js')).runId(o, ctx);
  });

  root
    .command('bench')
    .description('the benchmark (same code and flags as pnpm bench): run | report <dir> | merge <out> <shards...> | list; vlp bench --help')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .action(async (args: string[]) => {
      result.code = await (await import('./commands/bench.js')).runBenchCommand(args, ctx);
    });
  return root;
}

/**
 * The `vlp` command: parses `argv` (without `node vlp`), runs the command, and returns the exit
 * code: 0 ok, 1 runtime failure, 2 usage or config error, 130 interrupted. Results go to stdout
 * (with `--json` exactly one JSON document), progress and one-line errors to stderr.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let loaded: Promise<LoadedConfig> | undefined;
  const ctx: CommandContext = { io, config: () => (loaded ??= loadVlpConfig(io.cwd)) };
  const result = { code: EXIT.ok as number };
  const cmd = program(ctx, result);
  let failedCommand = cmd.commands.some((c) => c.name() === argv[0]) ? (argv[0] as string) : '';
  cmd.exitOverride();
  cmd.hook('preAction', (_root, action) => {
    failedCommand = action.name();
  });
  const configure = (c: Command) => {
    c.exitOverride();
    c.configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => {
        const name = `vlp${c.name() === 'vlp' ? '' : ` ${c.name()}`}`;
        write(`${name}: ${s.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ').trim()} (check ${name} --help)\n`);
      },
    });
    for (const sub of c.commands) configure(sub);
  };
  configure(cmd);
  if (argv.length === 0) {
    io.stdout(`${cmd.helpInformation()}${EXAMPLES}\n`);
    return EXIT.ok;
  }
  try {
    await cmd.parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    const code = exitCodeOf(error, io.signal);
    const name = `vlp${failedCommand ? ` ${failedCommand}` : ''}`;
    if (code === EXIT.interrupted) io.stderr.write(`${name}: interrupted; nothing was written to --out.\n`);
    else io.stderr.write(`${name}: ${oneLineError(error)}\n`);
    if (code === EXIT.failure && io.env.VLP_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return code;
  }
}
