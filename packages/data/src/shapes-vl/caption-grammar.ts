/**
 * Reading Shapes-VL captions back: {@link parseShapesVLCaption} turns a caption of the closed template
 * grammar (see `captions.ts`) into claims, and {@link captionMatchesScene} decides whether a caption
 * is true of a scene. A caption is read as a description of the *whole* scene: it matches a scene
 * when the scene has exactly as many objects as the caption mentions, and the mentioned objects can
 * be assigned one-to-one to the scene's objects so that every size, colour, shape, position and
 * relation claim holds.
 */
import { InvalidArgumentError } from '@vlp/core';
import { COUNT_WORDS, trueRelations } from './captions.js';
import type { SceneObject } from './types.js';
import {
  COLOURS,
  type Colour,
  type ObjectSize,
  POSITION_PHRASES,
  POSITIONS,
  type Position,
  RELATIONS,
  type Relation,
  SHAPES,
  type Shape,
  SIZES,
} from './vocabulary.js';

/** One object a caption mentions. */
export interface ObjectClaim {
  readonly size: ObjectSize;
  readonly colour: Colour;
  readonly shape: Shape;
  /** Present when the caption says where the object is. */
  readonly position?: Position;
}

/** "objects[a] <relation> objects[b]". */
export interface RelationClaim {
  readonly a: number;
  readonly relation: Relation;
  readonly b: number;
}

/** What a caption claims about its scene. */
export interface CaptionClaims {
  readonly objects: readonly ObjectClaim[];
  readonly relations: readonly RelationClaim[];
  /** The stated count ("two shapes: …"), when there is one. */
  readonly count?: number;
}

const alt = (words: readonly string[]) => words.map((w) => w.replace(/ /g, '\\s')).join('|');
const NP = `a(?:\\ssingle)?\\s(${alt(SIZES)})\\s(${alt(COLOURS)})\\s(${alt(SHAPES)})`;
const PP = Object.values(POSITION_PHRASES).map((p) => p.replace(/ /g, '\\s')).join('|');
const REL = alt(RELATIONS);
const PHRASE_TO_POSITION = new Map(POSITIONS.map((p) => [POSITION_PHRASES[p], p]));

const COUNT_PREFIX = new RegExp(`^(${COUNT_WORDS.slice(1).join('|')})\\sshapes?:\\s`);
const OTHER_PREFIX = /^(?:there\sis|an\simage\sof)\s/;
const PP_FIRST = new RegExp(`^(${PP}),\\s(${NP})$`);
const OBJECT_ITEM = new RegExp(`^${NP}(?:\\s(${PP}))?$`);
const RELATION_ITEM = new RegExp(`^${NP}\\s(${REL})\\s${NP}$`);
const CHAIN = new RegExp(`^${NP}\\s(${REL})\\s${NP},\\swhich\\sis\\s(${REL})\\s${NP}$`);

function claim(size: string, colour: string, shape: string, phrase?: string): ObjectClaim {
  const base = { size: size as ObjectSize, colour: colour as Colour, shape: shape as Shape };
  return phrase === undefined ? base : { ...base, position: PHRASE_TO_POSITION.get(phrase) };
}

/** Parses the body of a caption (after any prefix); `undefined` when it is not in the grammar. */
function parseBody(body: string): Omit<CaptionClaims, 'count'> | undefined {
  let m = CHAIN.exec(body);
  if (m) {
    return {
      objects: [claim(m[1], m[2], m[3]), claim(m[5], m[6], m[7]), claim(m[9], m[10], m[11])],
      relations: [
        { a: 0, relation: m[4] as Relation, b: 1 },
        { a: 1, relation: m[8] as Relation, b: 2 },
      ],
    };
  }
  m = RELATION_ITEM.exec(body);
  if (m) {
    return { objects: [claim(m[1], m[2], m[3]), claim(m[5], m[6], m[7])], relations: [{ a: 0, relation: m[4] as Relation, b: 1 }] };
  }
  m = PP_FIRST.exec(body);
  if (m) return { objects: [claim(m[3], m[4], m[5], m[1])], relations: [] };
  const items = body.split(/, | and /);
  const objects: ObjectClaim[] = [];
  for (const item of items) {
    const o = OBJECT_ITEM.exec(item);
    if (!o) return undefined;
    objects.push(claim(o[1], o[2], o[3], o[4]));
  }
  return { objects, relations: [] };
}

/**
 * Parses a Shapes-VL caption into its claims. Throws `InvalidArgumentError` for text outside the
 * caption grammar (e.g. a caption of another dataset).
 *
 * @example
 * parseShapesVLCaption('two shapes: a small red circle above a large blue square');
 * // { count: 2, objects: [{ size: 'small', colour: 'red', shape: 'circle' }, { size: 'large', … }],
 * //   relations: [{ a: 0, relation: 'above', b: 1 }] }
 */
export function parseShapesVLCaption(caption: string): CaptionClaims {
  const text = caption.trim().toLowerCase().replace(/\s+/g, ' ');
  let count: number | undefined;
  let body = text;
  const c = COUNT_PREFIX.exec(text);
  if (c) {
    count = COUNT_WORDS.indexOf(c[1] as (typeof COUNT_WORDS)[number]);
    body = text.slice(c[0].length);
  } else {
    const o = OTHER_PREFIX.exec(text);
    if (o) body = text.slice(o[0].length);
  }
  const parsed = parseBody(body);
  if (!parsed || (count !== undefined && count !== parsed.objects.length)) {
    throw new InvalidArgumentError({
      message: `Not a Shapes-VL caption: ${JSON.stringify(caption)}. Shapes-VL captions mention every object as "a <size> <colour> <shape>" with positions or relations (see the @vlp/data README).`,
      actual: caption,
    });
  }
  return count === undefined ? parsed : { ...parsed, count };
}

function objectFits(claim: ObjectClaim, object: SceneObject): boolean {
  return (
    claim.size === object.size &&
    claim.colour === object.colour &&
    claim.shape === object.shape &&
    (claim.position === undefined || claim.position === object.position)
  );
}

/** Whether parsed claims are true of a scene (exhaustively: same number of objects). */
export function claimsMatchScene(claims: CaptionClaims, objects: readonly SceneObject[]): boolean {
  const n = claims.objects.length;
  if (objects.length !== n) return false;
  const assignment: number[] = [];
  const used = new Array<boolean>(n).fill(false);
  const search = (i: number): boolean => {
    if (i === n) {
      return claims.relations.every(({ a, relation, b }) => trueRelations(objects[assignment[a]], objects[assignment[b]]).includes(relation));
    }
    for (let j = 0; j < n; j++) {
      if (used[j] || !objectFits(claims.objects[i], objects[j])) continue;
      used[j] = true;
      assignment[i] = j;
      if (search(i + 1)) return true;
      used[j] = false;
    }
    return false;
  };
  return search(0);
}

/** Whether `caption` (parsed with {@link parseShapesVLCaption}) is true of the scene `objects`. */
export function captionMatchesScene(caption: string, objects: readonly SceneObject[]): boolean {
  return claimsMatchScene(parseShapesVLCaption(caption), objects);
}
