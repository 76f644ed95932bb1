import type { AnyPruner } from '@vlp/core';
import { cliRegistry } from '../config/registry.js';
import { renderTable } from '../output/table.js';
import { type CommandContext, type CommonOptions, printJson } from './context.js';

/** The JSON Schema of a pruner's config (Standard JSON Schema, as zod 4 provides), or null. */
export function configJsonSchema(pruner: AnyPruner): unknown {
  const standard = (pruner.configSchema as { '~standard'?: { jsonSchema?: { input?: (o: { target: string }) => unknown } } })['~standard'];
  try {
    return standard?.jsonSchema?.input?.({ target: 'draft-2020-12' }) ?? null;
  } catch {
    return null;
  }
}

/** One pruner as `vlp list --json` prints it. */
export function describePruner(pruner: AnyPruner, source: 'built-in' | string) {
  return {
    id: pruner.id,
    displayName: pruner.displayName,
    version: pruner.version,
    source,
    paper: pruner.paper ?? null,
    capabilities: pruner.capabilities,
    configSchema: configJsonSchema(pruner),
  };
}

/** `vlp list`: every registered pruner (built-in and from vlp.config.ts) with capabilities, paper and config schema. */
export async function runList(options: CommonOptions, ctx: CommandContext): Promise<number> {
  const loaded = await ctx.config();
  const registry = cliRegistry(loaded.config);
  const fromConfig = new Set((loaded.config.pruners ?? []).map((p) => p.id));
  const pruners = registry.list().map((p) => describePruner(p, fromConfig.has(p.id) ? (loaded.file ?? 'vlp.config') : 'built-in'));
  if (options.json) {
    printJson(ctx, { config: loaded.file ?? null, pruners });
    return 0;
  }
  const req = (p: AnyPruner) => Object.entries(p.capabilities.requires).filter(([, v]) => v).map(([k]) => k).join(', ') || '-';
  ctx.io.stdout(
    renderTable(
      ['id', 'granularity', 'architectures', 'requires', 'paper', 'source'],
      registry.list().map((p) => [
        p.id,
        p.capabilities.granularity,
        p.capabilities.architectures === '*' ? 'any' : p.capabilities.architectures.join(', '),
        req(p),
        p.paper ? `${p.paper.venue} ${p.paper.year}` : '-',
        fromConfig.has(p.id) ? 'vlp.config' : 'built-in',
      ]),
      ['left', 'left', 'left', 'left', 'left', 'left'],
    ),
  );
  ctx.io.stdout(`${pruners.length} pruners${loaded.file ? ` (config: ${loaded.file})` : ''}. Config schemas: vlp list --json.\n`);
  return 0;
}
