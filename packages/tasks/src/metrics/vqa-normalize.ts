import { pySplit } from './python-strings.js';
import { VQA_CONTRACTIONS } from './vqa-contractions.js';

/** `self.punct` of the official evaluation (a013f00). The apostrophe, colon and period are not in it. */
const PUNCTUATION = [';', '/', '[', ']', '"', '{', '}', '(', ')', '=', '+', '\\', '_', '-', '>', '<', '@', '`', ',', '?', '!'];
/** `commaStrip`: a comma between two digits ("1,000") anywhere makes every punctuation mark vanish rather than become a space. */
const COMMA_BETWEEN_DIGITS = /([0-9])(,)([0-9])/;
/**
 * `periodStrip`, kept verbatim: `(?!<=\d)` is a look-*ahead* for the text "<=" + digit (meant as
 * a look-behind), so it always passes and every period not followed by a digit is removed.
 */
const PERIOD_NOT_BEFORE_DIGIT = /(?!<=[0-9])(\.)(?![0-9])/g;
/** The reference passes `re.UNICODE` (= 32) as `sub`'s *count* argument: at most 32 periods are removed. */
const MAX_PERIODS_REMOVED = 32;
const NUMBER_WORDS: ReadonlyMap<string, string> = new Map(
  Object.entries({ none: '0', zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10' }),
);
const ARTICLES: ReadonlySet<string> = new Set(['a', 'an', 'the']);

/**
 * `processPunctuation` of the official VQA evaluation (GT-Vision-Lab/VQA
 * `PythonEvaluationTools/vqaEvaluation/vqaEval.py`): each punctuation mark is deleted when it
 * touches a space somewhere in the original text (or the text has a comma between digits), and
 * replaced by a space otherwise ("black/white" → "black white", "yes, it is" → "yes it is");
 * then periods not followed by a digit are removed ("3.5" keeps its period).
 */
export function processVqaPunctuation(text: string): string {
  const dropEverywhere = COMMA_BETWEEN_DIGITS.test(text);
  let out = text;
  for (const p of PUNCTUATION) {
    const touchesSpace = text.includes(`${p} `) || text.includes(` ${p}`);
    out = out.replaceAll(p, touchesSpace || dropEverywhere ? '' : ' ');
  }
  let removed = 0;
  return out.replace(PERIOD_NOT_BEFORE_DIGIT, (period) => (removed++ < MAX_PERIODS_REMOVED ? '' : period));
}

/**
 * `processDigitArticle` of the official VQA evaluation: lower-case, split on whitespace, number
 * words "none"/"zero" … "ten" → digits, drop the articles "a", "an", "the", expand the
 * apostrophe-less contractions of {@link VQA_CONTRACTIONS} ("dont" → "don't"), re-join with spaces.
 */
export function processVqaDigitArticle(text: string): string {
  return pySplit(text.toLowerCase())
    .map((word) => NUMBER_WORDS.get(word) ?? word)
    .filter((word) => !ARTICLES.has(word))
    .map((word) => VQA_CONTRACTIONS.get(word) ?? word)
    .join(' ');
}

/**
 * The answer normalisation of the official VQA evaluation: {@link processVqaPunctuation} then
 * {@link processVqaDigitArticle}. ("The two dogs." → "2 dogs"; "Yes!" → "yes".)
 */
export function normalizeVqaAnswer(answer: string): string {
  return processVqaDigitArticle(processVqaPunctuation(answer));
}
