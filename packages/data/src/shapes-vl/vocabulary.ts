/**
 * The fixed vocabulary of Shapes-VL: shapes, colours, sizes, the nine named positions of the 3 × 3
 * layout grid, and the scene geometry. Everything here is part of the dataset's definition: changing
 * a value changes every image and annotation (and the golden hashes in the tests).
 */

/** The shapes, in class order. */
export const SHAPES = ['circle', 'square', 'triangle', 'star', 'cross', 'ring', 'diamond', 'heart'] as const;
/** A Shapes-VL shape name. */
export type Shape = (typeof SHAPES)[number];

/** The colours, in class order. */
export const COLOURS = ['red', 'orange', 'yellow', 'green', 'cyan', 'blue', 'purple', 'pink'] as const;
/** A Shapes-VL colour name. */
export type Colour = (typeof COLOURS)[number];

/** 8-bit sRGB of every colour. */
export const COLOUR_RGB: Readonly<Record<Colour, readonly [number, number, number]>> = {
  red: [230, 40, 40],
  orange: [245, 140, 20],
  yellow: [240, 220, 30],
  green: [40, 180, 60],
  cyan: [30, 200, 220],
  blue: [40, 80, 230],
  purple: [150, 60, 200],
  pink: [245, 130, 190],
};

/** The neutral grey every scene is drawn on. */
export const BACKGROUND_RGB: readonly [number, number, number] = [96, 96, 96];

/** The two object sizes. */
export const SIZES = ['small', 'large'] as const;
/** A Shapes-VL size name. */
export type ObjectSize = (typeof SIZES)[number];

/**
 * The nine cells of the 3 × 3 layout grid in reading order (row-major, top row first). Cell `i` is
 * row `⌊i / 3⌋`, column `i mod 3`. These are also the answers of "where is …?" questions.
 */
export const POSITIONS = ['top left', 'top', 'top right', 'left', 'center', 'right', 'bottom left', 'bottom', 'bottom right'] as const;
/** A Shapes-VL position (grid cell) name. */
export type Position = (typeof POSITIONS)[number];

/** How each position reads in a caption ("a small red circle in the top left corner"). */
export const POSITION_PHRASES: Readonly<Record<Position, string>> = {
  'top left': 'in the top left corner',
  top: 'at the top',
  'top right': 'in the top right corner',
  left: 'on the left',
  center: 'in the center',
  right: 'on the right',
  'bottom left': 'in the bottom left corner',
  bottom: 'at the bottom',
  'bottom right': 'in the bottom right corner',
};

/** The four spatial relations between two objects, read "A <relation> B". */
export const RELATIONS = ['above', 'below', 'to the left of', 'to the right of'] as const;
/** A spatial relation phrase. */
export type Relation = (typeof RELATIONS)[number];

/**
 * Scenes are laid out in integer "scene units" on a square of this side, independent of the
 * resolution they are rendered at: 3 × 3 cells of 120 units.
 */
export const SCENE_EXTENT = 360;
/** Side of one grid cell in scene units. */
export const CELL_EXTENT = SCENE_EXTENT / 3;

/**
 * Half the side of an object's bounding box, per size, in scene units: every shape is drawn inside
 * the square `[cx − h, cx + h] × [cy − h, cy + h]`.
 */
export const HALF_EXTENT: Readonly<Record<ObjectSize, number>> = { small: 27, large: 46 };

/**
 * The largest offset of an object's centre from its cell's centre, per size, in scene units (each
 * axis, inclusive). Chosen so that an object always stays `CELL_EXTENT / 2 − HALF_EXTENT − JITTER ≥ 4`
 * units inside its cell: objects never touch, and every spatial relation follows from the cells.
 */
export const JITTER: Readonly<Record<ObjectSize, number>> = { small: 28, large: 10 };

/** The row (0 = top) and column (0 = left) of a position. */
export function positionCell(position: Position): { row: number; col: number } {
  const i = POSITIONS.indexOf(position);
  return { row: Math.floor(i / 3), col: i % 3 };
}

/**
 * The zero-shot class names, `"<colour> <shape>"`, colour-major: class `c · 8 + s` is
 * `COLOURS[c] + ' ' + SHAPES[s]` ("red circle", "red square", …, "pink heart"). 64 classes.
 */
export function shapesVLClasses(): string[] {
  return COLOURS.flatMap((colour) => SHAPES.map((shape) => `${colour} ${shape}`));
}

/** The class index of a (colour, shape) pair in {@link shapesVLClasses}. */
export function shapesVLClassIndex(colour: Colour, shape: Shape): number {
  return COLOURS.indexOf(colour) * SHAPES.length + SHAPES.indexOf(shape);
}
