/** The `pnpm bench` usage text (printed by `--help` and after a usage error). */
export const USAGE = `Usage:
  pnpm bench [run] [options]          run a suite (default: the "default" suite)
  pnpm bench merge <out> <shard-dir>...   combine --shard runs of one grid
  pnpm bench report <run-dir>         re-render summary.md, plots and report.html
  pnpm bench list [--json]            suites and installed pruners

Options of run:
  --suite <id>             default | smoke (default: default)
  --pruners <a,b,...>      pruner ids (default: the suite's; "installed" = every installed pruner)
  --sparsities <0.5,...>   target sparsities of unstructured / N:M pruners, each in [0, 1)
  --compressions <2,4>     compression ratios of structured pruners (c removes 1 − 1/c)
  --seeds <0,1,...>        seeds (non-negative integers)
  --limit <n>              evaluate on at most n images per task (quick checks)
  --recovery-steps <n>     recovery fine-tuning steps (0 = one-shot only)
  --model-dir <dir>        benchmark this Hugging Face checkpoint instead of the suite's models (repeatable)
  --data-dir <dir>         real datasets from a local directory instead of Shapes-VL (docs/benchmarking.md)
  --out <dir>              run directory (default: bench-results/<suite>/<timestamp>)
  --resume                 continue the run in --out (default: the latest run of the suite)
  --shard <i/n>            run every n-th cell starting at the i-th; combine with "bench merge"
  --progress <mode>        auto | bar | plain | none (default auto: bars on a TTY outside CI)
  --json                   print the result as JSON on stdout (nothing else there)
  -h, --help               this text

--pruners, --sparsities, --compressions and --recovery-steps apply to every model of the suite,
replacing a model's own per-model grid values.

Exit codes: 0 ok, 1 failure (a cell or the run failed), 2 usage error, 130 interrupted.
`;
