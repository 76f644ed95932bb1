import { ptbLex } from './ptb-lexer.js';

/**
 * The tokens coco-caption's `PTBTokenizer` drops after tokenizing (`PUNCTUATIONS` in
 * `pycocoevalcap/tokenizer/ptbtokenizer.py`). They are compared with the *lower-cased* tokens, so
 * `-LRB-`, `-RRB-`, `-LCB-` and `-RCB-` never match: the reference keeps brackets as `-lrb-` etc.
 */
export const COCO_PUNCTUATIONS: ReadonlySet<string> = new Set(["''", "'", '``', '`', '-LRB-', '-RRB-', '-LCB-', '-RCB-', '.', '?', '!', ',', ':', '-', '--', '...', ';']);

/**
 * Tokenizes one caption as coco-caption's `PTBTokenizer.tokenize` does before BLEU / CIDEr
 * (tylin/coco-caption `pycocoevalcap/tokenizer/ptbtokenizer.py`, which runs Stanford CoreNLP
 * 3.4.1's `PTBTokenizer -preserveLines -lowerCase`): newlines become spaces, the text is split
 * into Penn-Treebank tokens (`don't` → `do n't`, `man's` → `man 's`, `(` → `-LRB-`, quotes →
 * `` ` `` / `''`, `cannot` → `can not`), each token is lower-cased, the tokens in
 * {@link COCO_PUNCTUATIONS} are dropped and the rest joined with single spaces.
 *
 * A JavaScript re-implementation of the Java lexer's rules rather than the Java program; known
 * deviations: each caption is tokenized on its own, whereas the reference tokenizes all captions
 * as one file, so a caption ending in an abbreviation or a one-letter acronym ("... letter A.")
 * can differ depending on the caption that follows it there; `\r`, U+2028/2029/0085 and vertical
 * tab / form feed count as spaces (in the reference they break the line and misalign captions);
 * `[:letter:]` / `[:digit:]` are Unicode `\p{L}` / `\p{Nd}` rather than the Java lexer's tables.
 *
 * @example ptbTokenize('A man\'s dog (brown) doesn\'t run.') === "a man 's dog -lrb- brown -rrb- does n't run"
 */
export function ptbTokenize(caption: string): string {
  return ptbLex(caption.replaceAll('\n', ' '))
    .map((token) => token.toLowerCase())
    .filter((token) => !COCO_PUNCTUATIONS.has(token))
    .join(' ');
}
