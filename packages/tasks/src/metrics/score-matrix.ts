import { InvalidArgumentError } from '@vlp/core';

/**
 * A dense, row-major matrix of scores (similarities or logits): either one array per row (all of
 * the same length; `tensor.arraySync()` gives this) or flat data with its `[rows, cols]` shape
 * (`{ data: tensor.dataSync(), shape }`). Data is read in place, never copied, so a 5k × 25k COCO
 * similarity matrix costs no extra memory.
 */
export type ScoreMatrix =
  | readonly (readonly number[] | Float32Array | Float64Array)[]
  | {
      readonly data: Float32Array | Float64Array | readonly number[];
      readonly shape: readonly [number, number];
    };

/** Read access to a validated {@link ScoreMatrix}. */
export interface MatrixView {
  readonly rows: number;
  readonly cols: number;
  /** The entry at row `r`, column `c` (no bounds check). */
  at(r: number, c: number): number;
}

/**
 * Validates `matrix` (rectangular, at least one row and one column, no NaN) and returns an
 * accessor over it. `name` is the argument name used in error messages.
 */
export function viewScoreMatrix(matrix: ScoreMatrix, name: string): MatrixView {
  const view = Array.isArray(matrix) ? viewNested(matrix as readonly Row[], name) : viewFlat(matrix as FlatMatrix, name);
  if (view.rows === 0 || view.cols === 0) {
    throw new InvalidArgumentError({ message: `${name} is empty (shape [${view.rows}, ${view.cols}]); it needs at least one row and one column.`, actual: [view.rows, view.cols] });
  }
  for (let r = 0; r < view.rows; r++) {
    for (let c = 0; c < view.cols; c++) {
      if (Number.isNaN(view.at(r, c))) {
        throw new InvalidArgumentError({ message: `${name}[${r}][${c}] is NaN; scores must be numbers (±Infinity is allowed).`, tensor: name });
      }
    }
  }
  return view;
}

type Row = readonly number[] | Float32Array | Float64Array;
type FlatMatrix = Exclude<ScoreMatrix, readonly Row[]>;

function viewNested(rows: readonly Row[], name: string): MatrixView {
  const isRow = (row: unknown): row is Row => Array.isArray(row) || row instanceof Float32Array || row instanceof Float64Array;
  const cols = rows.length === 0 || !isRow(rows[0]) ? 0 : rows[0].length;
  rows.forEach((row, r) => {
    if (!isRow(row) || row.length !== cols) {
      throw new InvalidArgumentError({
        message: `${name} is ragged: row 0 has ${cols} entries but row ${r} has ${isRow(row) ? row.length : 'no array'}; every row needs the same length.`,
        tensor: name,
        expected: cols,
        actual: isRow(row) ? row.length : typeof row,
      });
    }
  });
  return { rows: rows.length, cols, at: (r, c) => rows[r][c] };
}

function viewFlat(matrix: FlatMatrix, name: string): MatrixView {
  const { data, shape } = matrix;
  if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new InvalidArgumentError({ message: `${name}.shape must be [rows, cols] with non-negative integers, got ${JSON.stringify(shape)}.`, tensor: name, actual: shape });
  }
  const [rows, cols] = shape;
  if (data.length !== rows * cols) {
    throw new InvalidArgumentError({
      message: `${name}.data has ${data.length} entries but shape [${rows}, ${cols}] needs ${rows * cols}.`,
      tensor: name,
      expected: rows * cols,
      actual: data.length,
    });
  }
  return { rows, cols, at: (r, c) => data[r * cols + c] };
}
