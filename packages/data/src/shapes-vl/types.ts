import type { RgbImage } from '../image/rgb-image.js';
import type { Colour, ObjectSize, Position, Shape } from './vocabulary.js';

/** The three fixed splits. */
export type ShapesVLSplit = 'train' | 'val' | 'test';

/** The splits, in order. */
export const SHAPES_VL_SPLITS: readonly ShapesVLSplit[] = ['train', 'val', 'test'];

/** One object of a scene. */
export interface SceneObject {
  readonly shape: Shape;
  readonly colour: Colour;
  readonly size: ObjectSize;
  /** The grid cell the object sits in; spatial relations and "where" answers follow from it. */
  readonly position: Position;
  /** Centre, in integer scene units (0 … `SCENE_EXTENT` = 360, left to right). */
  readonly x: number;
  /** Centre, in integer scene units (0 … 360, top to bottom). */
  readonly y: number;
}

/** What {@link renderScene} draws: objects on the grey background, in order. */
export interface Scene {
  readonly objects: readonly SceneObject[];
}

/** What kind of answer a question asks for. */
export type QuestionKind = 'colour' | 'shape' | 'size' | 'count' | 'position' | 'yes/no';

/** One VQA question with its (single, unambiguous) answer. */
export interface ShapesVLQuestion {
  /** Lower case, ends with "?" (American spelling "color", as in VQA v2). */
  readonly question: string;
  /** Lower case; counts are digits ("2"), as VQA v2 normalises them. */
  readonly answer: string;
  readonly kind: QuestionKind;
  /** VQA v2 `question_type`: the question's opening words ("what color is the", "how many", "is there a", …). */
  readonly questionType: string;
  /** VQA v2 `answer_type`. */
  readonly answerType: 'yes/no' | 'number' | 'other';
}

/** The zero-shot classification label of a sample: its main object's colour and shape. */
export interface ShapesVLLabel {
  readonly colour: Colour;
  readonly shape: Shape;
  /** `"<colour> <shape>"`, e.g. "red circle" (see `shapesVLClasses()`). */
  readonly className: string;
  /** Index into `shapesVLClasses()`. */
  readonly classIndex: number;
}

/** Everything about a sample except its pixels (cheap: no rendering). */
export interface ShapesVLAnnotations {
  /** `"<split>-<index, 6+ digits>"`, e.g. "test-000017"; unique across splits, used as the file stem. */
  readonly id: string;
  /**
   * A numeric id unique across splits (COCO-style `image_id`): `index` plus 0 (train),
   * 100 000 000 (val) or 200 000 000 (test).
   */
  readonly imageId: number;
  readonly split: ShapesVLSplit;
  readonly index: number;
  /** The main object first (see `label`), then the others in grid reading order. */
  readonly objects: readonly SceneObject[];
  /** Five captions; each mentions every object with its size, colour and shape. */
  readonly captions: readonly string[];
  /** Nine questions: colour, shape, size, count, position, and four yes/no (two "yes", two "no"). */
  readonly questions: readonly ShapesVLQuestion[];
  /**
   * The main object's colour and shape. The main object is `objects[0]`; in scenes of two or three
   * objects it is the only large one, so the label is always visually well defined.
   */
  readonly label: ShapesVLLabel;
}

/** A rendered sample. */
export interface ShapesVLSample extends ShapesVLAnnotations {
  readonly image: RgbImage;
}
