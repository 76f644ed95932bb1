import { SPECIFICATION_VERSION, type Granularity, type Pruner } from '../contract/pruner.js';
import type { StructureKind } from '../contract/view.js';
import { InvalidArgumentError } from '../errors/index.js';
import { MODALITIES } from './validate-request.js';

/** What `definePruner` takes: a {@link Pruner} without `specificationVersion`. */
export type PrunerDefinition<Config, ConfigInput = Config, Batch = unknown> = Omit<
  Pruner<Config, ConfigInput, Batch>,
  'specificationVersion'
>;

/** kebab-case: lower-case letters and digits in dash-separated words, starting with a letter. */
export const PRUNER_ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Semantic Versioning 2.0.0 (`1.2.3`, `0.1.0-beta.1`, `1.0.0+build.5`). */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

const GRANULARITIES: readonly Granularity[] = ['unstructured', 'n:m', 'structured'];
const STRUCTURE_KINDS: readonly StructureKind[] = ['head', 'head-channel', 'neuron', 'layer'];
const REQUIREMENTS = ['calibration', 'gradients', 'training', 'evaluator'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function capabilityProblems(caps: unknown): string[] {
  if (!isObject(caps)) return ['capabilities must be an object'];
  const problems: string[] = [];
  const { architectures, modalities, granularity, structures, requires, sparsityTolerance } = caps;
  if (architectures !== '*' && !(Array.isArray(architectures) && architectures.length > 0 && architectures.every(isNonEmptyString))) {
    problems.push(`capabilities.architectures must be '*' or a non-empty list of architecture ids (got ${show(architectures)})`);
  }
  if (!Array.isArray(modalities) || modalities.length === 0 || !modalities.every((m) => MODALITIES.includes(m))) {
    problems.push(`capabilities.modalities must be a non-empty list of ${MODALITIES.join(', ')} (got ${show(modalities)})`);
  }
  if (!GRANULARITIES.includes(granularity as Granularity)) {
    problems.push(`capabilities.granularity must be one of ${GRANULARITIES.join(', ')} (got ${show(granularity)})`);
  }
  if (structures !== undefined && !(Array.isArray(structures) && structures.every((s) => STRUCTURE_KINDS.includes(s)))) {
    problems.push(`capabilities.structures must be a list of ${STRUCTURE_KINDS.join(', ')} (got ${show(structures)})`);
  }
  if (granularity === 'structured' && (!Array.isArray(structures) || structures.length === 0)) {
    problems.push('a structured pruner must list the structure kinds it removes in capabilities.structures');
  }
  if (!isObject(requires)) {
    problems.push(`capabilities.requires must be { ${REQUIREMENTS.map((r) => `${r}: boolean`).join(', ')} }`);
  } else {
    for (const key of REQUIREMENTS) {
      if (typeof requires[key] !== 'boolean') problems.push(`capabilities.requires.${key} must be a boolean (got ${show(requires[key])})`);
    }
  }
  if (sparsityTolerance !== undefined && !(typeof sparsityTolerance === 'number' && sparsityTolerance > 0 && sparsityTolerance <= 1)) {
    problems.push(`capabilities.sparsityTolerance must be a number in (0, 1] (got ${show(sparsityTolerance)})`);
  }
  return problems;
}

function paperProblems(paper: unknown): string[] {
  if (paper === undefined) return [];
  if (!isObject(paper)) return ['paper must be { title, venue, year, url }'];
  const problems: string[] = [];
  for (const key of ['title', 'venue', 'url'] as const) {
    if (!isNonEmptyString(paper[key])) problems.push(`paper.${key} must be a non-empty string`);
  }
  if (!Number.isInteger(paper.year)) problems.push(`paper.year must be an integer (got ${show(paper.year)})`);
  return problems;
}

function definitionProblems(def: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof def.id !== 'string' || !PRUNER_ID_PATTERN.test(def.id)) {
    problems.push(`id must be kebab-case like "magnitude" or "multiflow-v2" (got ${show(def.id)})`);
  }
  if (!isNonEmptyString(def.displayName)) problems.push('displayName must be a non-empty string');
  if (typeof def.version !== 'string' || !SEMVER_PATTERN.test(def.version)) {
    problems.push(`version must be a semver string like "1.0.0" (got ${show(def.version)})`);
  }
  const schema = def.configSchema as Record<string, unknown> | undefined;
  const standard = isObject(schema) ? schema['~standard'] : undefined;
  if (!isObject(standard) || standard.version !== 1 || typeof standard.validate !== 'function') {
    problems.push('configSchema must be a Standard Schema v1 (a zod 4 schema, or an object with "~standard": { version: 1, vendor, validate })');
  }
  if (typeof def.prune !== 'function') problems.push('prune must be a function (view, request, ctx) => Promise<PruneResult>');
  return [...problems, ...paperProblems(def.paper), ...capabilityProblems(def.capabilities)];
}

function freezeCapabilities(caps: Pruner['capabilities']): Pruner['capabilities'] {
  return Object.freeze({
    ...caps,
    architectures: caps.architectures === '*' ? '*' : Object.freeze([...caps.architectures]),
    modalities: Object.freeze([...caps.modalities]),
    ...(caps.structures ? { structures: Object.freeze([...caps.structures]) } : {}),
    requires: Object.freeze({ ...caps.requires }),
  });
}

/**
 * Makes a {@link Pruner} from its definition: checks the definition (kebab-case `id`, semver
 * `version`, a Standard Schema `configSchema`, well-formed `capabilities` and `paper`) and returns a
 * frozen plain object with `specificationVersion: 'v1'`. Throws `VLP_INVALID_ARGUMENT` listing
 * every problem otherwise.
 *
 * @example
 * export const magnitude = () => definePruner({ id: 'magnitude', displayName: 'Magnitude', version: '1.0.0',
 *   configSchema, capabilities: { architectures: '*', modalities: ['vision', 'text'], granularity: 'unstructured',
 *   requires: { calibration: false, gradients: false, training: false, evaluator: false } },
 *   async prune(view, request, ctx) { ... } });
 */
export function definePruner<Config, ConfigInput = Config, Batch = unknown>(
  definition: PrunerDefinition<Config, ConfigInput, Batch>,
): Pruner<Config, ConfigInput, Batch> {
  if (!isObject(definition)) {
    throw new InvalidArgumentError({ message: 'definePruner(definition) needs an object.', actual: definition });
  }
  const problems = definitionProblems(definition as unknown as Record<string, unknown>);
  if (problems.length > 0) {
    const name = typeof definition.id === 'string' ? ` "${definition.id}"` : '';
    throw new InvalidArgumentError({
      message: `Invalid pruner definition${name}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      actual: problems,
    });
  }
  const { paper } = definition;
  return Object.freeze({
    ...definition,
    specificationVersion: SPECIFICATION_VERSION,
    ...(paper ? { paper: Object.freeze({ ...paper }) } : {}),
    capabilities: freezeCapabilities(definition.capabilities),
  });
}
