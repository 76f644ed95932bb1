import { usageError } from '../errors/bench-errors.js';
import { DEFAULT_TRAIN, DEFAULT_VALIDATION, type EvaluationSpec, type ModelSpec, type RecoverySpec, type Suite, type SuiteInput, type SuiteModel, TASK_IDS } from './types.js';

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function positiveInt(value: unknown, what: string): void {
  if (!Number.isInteger(value) || (value as number) < 1) throw usageError(`${what} must be a positive integer (got ${String(value)}).`);
}

function checkModelSpec(spec: ModelSpec, where: string): void {
  if (spec.kind === 'embedded' && typeof spec.name === 'string' && spec.name !== '') return;
  if ((spec.kind === 'dir' || spec.kind === 'fixture') && typeof spec.path === 'string' && spec.path !== '') return;
  throw usageError(`${where}.model must be { kind: 'embedded', name } | { kind: 'dir', path } | { kind: 'fixture', path } (got ${JSON.stringify(spec)}).`);
}

/** Checks sparsities in [0, 1) and compressions > 1 (finite). */
function checkTargets(sparsities: readonly number[], compressions: readonly number[], where: string): void {
  if (!Array.isArray(sparsities)) throw usageError(`${where}: sparsities must be a list of numbers in [0, 1).`);
  if (!Array.isArray(compressions)) throw usageError(`${where}: compressions must be a list of numbers > 1.`);
  for (const s of sparsities) {
    if (typeof s !== 'number' || !(s >= 0 && s < 1)) throw usageError(`${where}: every sparsity must be a number in [0, 1) (got ${String(s)}).`);
  }
  for (const c of compressions) {
    if (typeof c !== 'number' || !(c > 1) || !Number.isFinite(c)) throw usageError(`${where}: every compression must be a number > 1, e.g. 2 for 2× (got ${String(c)}).`);
  }
}

/** Checks sparsities in [0, 1), compressions > 1, seeds non-negative integers; duplicates removed, order kept. */
export function checkGrid(sparsities: readonly number[], compressions: readonly number[], seeds: readonly number[], where = 'suite'): void {
  checkTargets(sparsities, compressions, where);
  for (const seed of seeds) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw usageError(`${where}: every seed must be a non-negative integer (got ${String(seed)}).`);
  }
  if (seeds.length === 0) throw usageError(`${where}: give at least one seed.`);
}

function checkEvaluation(evaluation: EvaluationSpec | undefined, where: string): void {
  positiveInt(evaluation?.count, `${where}evaluation.count`);
  positiveInt(evaluation?.batchSize, `${where}evaluation.batchSize`);
}

function checkRecovery(recovery: RecoverySpec | false, where: string): void {
  if (recovery === false) return;
  if (typeof recovery !== 'object' || recovery === null) throw usageError(`${where}recovery must be false or { steps, batchSize, learningRate, warmupSteps, images }.`);
  positiveInt(recovery.steps, `${where}recovery.steps`);
  positiveInt(recovery.batchSize, `${where}recovery.batchSize`);
  positiveInt(recovery.images, `${where}recovery.images`);
  if (!Number.isInteger(recovery.warmupSteps) || recovery.warmupSteps < 0) throw usageError(`${where}recovery.warmupSteps must be an integer ≥ 0.`);
  if (!(recovery.learningRate > 0)) throw usageError(`${where}recovery.learningRate must be > 0.`);
}

const isIdList = (value: unknown): value is readonly string[] => Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '');

/**
 * Checks a model's grid overrides like the suite's own values: `pruners` a non-empty id list or
 * `{ exclude: [...] }` (with an explicit suite list: only ids of that list, and not all of them
 * excluded), targets in range, evaluation and recovery like the suite's.
 */
function checkModelGrid(m: SuiteModel, suitePruners: SuiteInput['pruners'], where: string): void {
  const p = m.pruners;
  if (p !== undefined) {
    const list = Array.isArray(p) ? p : typeof p === 'object' && p !== null && Object.keys(p).join() === 'exclude' ? (p as { exclude: unknown }).exclude : undefined;
    if (!isIdList(list)) throw usageError(`${where}.pruners must be a non-empty list of pruner ids or { exclude: [ids] } (got ${JSON.stringify(p)}).`);
    if (suitePruners !== 'installed') {
      const unknown = list.filter((id) => !suitePruners.includes(id));
      if (unknown.length > 0) throw usageError(`${where}.pruners names ${unknown.map((id) => `"${id}"`).join(', ')}, not among the suite's pruners (${suitePruners.join(', ')}); a model picks from the suite's pruners.`);
      if (!Array.isArray(p) && suitePruners.every((id) => list.includes(id))) throw usageError(`${where}.pruners excludes every pruner of the suite.`);
    }
  }
  if (m.sparsities !== undefined || m.compressions !== undefined) checkTargets(m.sparsities ?? [], m.compressions ?? [], where);
  const ps = m.prunerSparsities;
  if (ps !== undefined) {
    if (typeof ps !== 'object' || ps === null || Array.isArray(ps)) throw usageError(`${where}.prunerSparsities must be { <pruner id>: [sparsities] } (got ${JSON.stringify(ps)}).`);
    for (const [id, list] of Object.entries(ps)) {
      if (!Array.isArray(list) || list.length === 0) throw usageError(`${where}.prunerSparsities.${id} must be a non-empty list of sparsities in [0, 1).`);
      checkTargets(list, [], `${where}.prunerSparsities.${id}`);
    }
  }
  if (m.evaluation !== undefined) checkEvaluation(m.evaluation, `${where}.`);
  if (m.recovery !== undefined) checkRecovery(m.recovery, `${where}.`);
}

/** A model, frozen, with duplicate tasks, targets and pruner ids removed (order kept); absent overrides stay absent. */
function freezeModel(m: SuiteModel): SuiteModel {
  const p = m.pruners;
  return Object.freeze({
    ...m,
    tasks: unique(m.tasks),
    ...(p === undefined ? {} : { pruners: Array.isArray(p) ? unique(p) : Object.freeze({ exclude: unique((p as { exclude: readonly string[] }).exclude) }) }),
    ...(m.sparsities === undefined ? {} : { sparsities: unique(m.sparsities) }),
    ...(m.prunerSparsities === undefined ? {} : { prunerSparsities: Object.freeze(Object.fromEntries(Object.entries(m.prunerSparsities).map(([id, list]) => [id, unique(list)]))) }),
    ...(m.compressions === undefined ? {} : { compressions: unique(m.compressions) }),
  });
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/**
 * Validates and freezes a suite written in TypeScript: models × tasks × pruners × sparsities ×
 * seeds, plus the dense model; a model may override the suite's `pruners`, `sparsities`,
 * `compressions`, `evaluation` and `recovery` for itself (checked the same way), and give single
 * pruners their own sparsities on it (`prunerSparsities`). Throws
 * `BenchUsageError` (`VLP_INVALID_ARGUMENT`) naming the field.
 *
 * @example
 * export const mySuite = defineSuite({
 *   id: 'my-suite', description: 'Wanda vs magnitude on tiny-clip',
 *   models: [{ id: 'tiny-clip', model: { kind: 'embedded', name: 'tiny-clip' }, tasks: ['zero-shot', 'retrieval'] }],
 *   pruners: ['magnitude', 'wanda'], sparsities: [0.5, 0.75], compressions: [2], seeds: [0],
 *   calibration: { batches: 2, batchSize: 32 }, evaluation: { count: 500, batchSize: 64 },
 * });
 */
export function defineSuite(input: SuiteInput): Suite {
  if (typeof input.id !== 'string' || !ID.test(input.id)) throw usageError(`Suite id must be kebab-case (got ${JSON.stringify(input.id)}).`);
  const where = `suite "${input.id}"`;
  if (!Array.isArray(input.models) || input.models.length === 0) throw usageError(`${where} needs at least one model.`);
  const ids = new Set<string>();
  input.models.forEach((m, i) => {
    if (typeof m.id !== 'string' || !ID.test(m.id)) throw usageError(`${where}: models[${i}].id must be kebab-case (got ${JSON.stringify(m.id)}).`);
    if (ids.has(m.id)) throw usageError(`${where}: two models have the id "${m.id}".`);
    ids.add(m.id);
    checkModelSpec(m.model, `${where}: models[${i}]`);
    if (!Array.isArray(m.tasks) || m.tasks.length === 0) throw usageError(`${where}: models[${i}] needs at least one task (${TASK_IDS.join(', ')}).`);
    for (const t of m.tasks) if (!TASK_IDS.includes(t)) throw usageError(`${where}: models[${i}] has unknown task "${String(t)}"; tasks: ${TASK_IDS.join(', ')}.`);
    if (m.optional !== undefined && typeof m.optional !== 'boolean') throw usageError(`${where}: models[${i}].optional must be a boolean.`);
    if (m.optional && m.model.kind !== 'embedded') throw usageError(`${where}: models[${i}].optional applies to embedded models only.`);
  });
  if (input.pruners !== 'installed' && (!Array.isArray(input.pruners) || input.pruners.length === 0)) {
    throw usageError(`${where}: pruners must be 'installed' or a non-empty list of pruner ids.`);
  }
  input.models.forEach((m, i) => checkModelGrid(m, input.pruners, `${where}: models[${i}] ("${m.id}")`));
  checkGrid(input.sparsities, input.compressions, input.seeds, where);
  positiveInt(input.calibration?.batches, `${where}: calibration.batches`);
  positiveInt(input.calibration?.batchSize, `${where}: calibration.batchSize`);
  checkEvaluation(input.evaluation, `${where}: `);
  const recovery = input.recovery ?? false;
  checkRecovery(recovery, `${where}: `);
  const train = input.train ?? DEFAULT_TRAIN;
  positiveInt(train.images, `${where}: train.images`);
  positiveInt(train.batchSize, `${where}: train.batchSize`);
  const validation = input.validation ?? DEFAULT_VALIDATION;
  positiveInt(validation.count, `${where}: validation.count`);
  positiveInt(validation.batchSize, `${where}: validation.batchSize`);
  const datasetSeed = input.datasetSeed ?? 0;
  if (!Number.isSafeInteger(datasetSeed) || datasetSeed < 0) throw usageError(`${where}: datasetSeed must be a non-negative integer.`);
  return Object.freeze({
    ...input,
    models: Object.freeze(input.models.map(freezeModel)),
    pruners: input.pruners === 'installed' ? 'installed' : unique(input.pruners),
    sparsities: unique(input.sparsities),
    compressions: unique(input.compressions),
    seeds: unique(input.seeds),
    recovery,
    train,
    validation,
    datasetSeed,
  });
}
