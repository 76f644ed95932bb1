/**
 * Samples in a batch, for the official `num_samples` accounting: a numeric `size` field
 * (synthetic batches), else the first dimension of `pixelValues`, else of the first tensor-like
 * field (`{ shape: number[] }`), else 1.
 */
export function batchSize(batch: unknown): number {
  if (typeof batch !== 'object' || batch === null) return 1;
  const record = batch as Record<string, unknown>;
  if (typeof record.size === 'number' && Number.isInteger(record.size) && record.size > 0) return record.size;
  const shaped = (v: unknown): number | undefined => {
    const shape = (v as { shape?: unknown } | undefined)?.shape;
    return Array.isArray(shape) && typeof shape[0] === 'number' ? shape[0] : undefined;
  };
  return shaped(record.pixelValues) ?? Object.values(record).map(shaped).find((n) => n !== undefined) ?? 1;
}
