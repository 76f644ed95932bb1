import { COLOURS, POSITIONS, SHAPES, SIZES } from '@vlp/data';

/**
 * The words of Shapes-VL captions that are not shapes, colours, sizes or position names: the closed
 * caption grammar of `@vlp/data` ("a small red circle in the top left corner", "there is …",
 * "an image of …", "a single …", "two shapes: …", "A above B, which is to the left of C").
 */
const GRAMMAR_WORDS = [
  'a', 'an', 'and', 'at', 'in', 'is', 'of', 'on', 'the', 'to', 'there', 'which', 'image', 'single',
  'one', 'two', 'three', 'shape', 'shapes', 'corner', 'above', 'below', ',', ':',
] as const;

/**
 * Words that zero-shot prompt templates commonly use (OpenAI's default `a photo of a {}.`), so that
 * they encode as single tokens too, though no training caption contains them.
 */
const PROMPT_WORDS = ['photo', '.'] as const;

/**
 * Every word of the tiny models' vocabulary, in a fixed order: each becomes one BPE token ending in
 * `</w>`. Covers every word and punctuation mark of every Shapes-VL caption.
 */
export function shapesVLWords(): string[] {
  const words = [
    ...GRAMMAR_WORDS,
    ...SIZES,
    ...COLOURS,
    ...SHAPES,
    ...POSITIONS.flatMap((p) => p.split(' ')),
    ...PROMPT_WORDS,
  ];
  return [...new Set(words)];
}
