export {
  SHAPES,
  COLOURS,
  COLOUR_RGB,
  BACKGROUND_RGB,
  SIZES,
  POSITIONS,
  POSITION_PHRASES,
  RELATIONS,
  SCENE_EXTENT,
  CELL_EXTENT,
  HALF_EXTENT,
  JITTER,
  positionCell,
  shapesVLClasses,
  shapesVLClassIndex,
  type Shape,
  type Colour,
  type ObjectSize,
  type Position,
  type Relation,
} from './vocabulary.js';
export {
  SHAPES_VL_SPLITS,
  type ShapesVLSplit,
  type SceneObject,
  type Scene,
  type QuestionKind,
  type ShapesVLQuestion,
  type ShapesVLLabel,
  type ShapesVLAnnotations,
  type ShapesVLSample,
} from './types.js';
export { renderScene, MIN_IMAGE_SIZE, MAX_IMAGE_SIZE } from './render.js';
export {
  shapesVLSample,
  shapesVLAnnotations,
  iterateShapesVL,
  generateShapesVL,
  IMAGE_ID_BASE,
  DEFAULT_SPLIT_COUNTS,
  type IterateShapesVLOptions,
  type GenerateShapesVLOptions,
  type ShapesVLDataset,
} from './generate.js';
export { SIGNATURE_SPACE, MAX_SPLIT_INDEX } from './layout.js';
export {
  parseShapesVLCaption,
  captionMatchesScene,
  claimsMatchScene,
  type CaptionClaims,
  type ObjectClaim,
  type RelationClaim,
} from './caption-grammar.js';
export { referringExpression } from './questions.js';
export { captionAmbiguity, sceneSignature, type CaptionAmbiguity, type CaptionedScene } from './ambiguity.js';
