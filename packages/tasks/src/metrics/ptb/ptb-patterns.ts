/**
 * The regular-expression macros of Stanford CoreNLP 3.4.1's `PTBLexer.flex` (the tokenizer jar that
 * coco-caption's `PTBTokenizer` runs), rewritten as JavaScript `u`-flag regex sources. Only the macros
 * used by the rules in `ptb-rules.ts` are here. Differences from the JFlex originals:
 *
 * - `[:letter:]` / `[:digit:]` are `\p{L}` / `\p{Nd}` (Java's `Character.isLetter` / `isDigit`);
 *   `LETTER`'s hand-listed extra ranges (combining marks and a few symbols) become `\p{M}`.
 * - JFlex alternation picks the longest alternative; JavaScript picks the first that matches, so
 *   alternatives are ordered longest-first where it matters (and `ptb-rules.ts` tries split
 *   alternatives separately and keeps the longest match).
 */

export const LETTER = String.raw`(?:[\p{L}\p{M}\u00AD]|&[aeiouAEIOU](?:acute|grave|uml);)`;
export const DIGIT = String.raw`\p{Nd}`;
export const SPACE = String.raw`[ \t\u00A0\u2000-\u200A\u3000]`;
export const NEWLINE = String.raw`(?:\r?\n|\r|\u2028|\u2029|\u000B|\u000C|\u0085)`;
export const SPACENL = `(?:${SPACE}|${NEWLINE})`;
export const SPACENLS = `${SPACENL}+`;

export const SGML = String.raw`<(?:[!?][A-Za-z\-][^>\r\n]*|[A-Za-z][A-Za-z0-9_:.\-]*(?:[ ]+(?:[A-Za-z][A-Za-z0-9_:.\-]*[ ]*=[ ]*(?:'[^']*'|"[^"]*")|[A-Za-z][A-Za-z0-9_:.\-]*))*[ ]*\/?|\/[A-Za-z][A-Za-z0-9_:.\-]*)[ ]*>`;
export const SENTEND = `${SPACENL}(?:${SPACENL}|\\p{Lu}|${SGML})`;

export const SPMDASH = String.raw`&(?:MD|mdash|ndash);|[\u0096\u0097\u2013\u2014\u2015]`;
export const SPAMP = '&amp;';
export const SPPUNC = String.raw`&(?:HT|TL|UR|LR|QC|QL|QR|odq|cdq|#[0-9]+);`;

export const WORD = `${LETTER}(?:${LETTER}|${DIGIT})*(?:[.!?]${LETTER}(?:${LETTER}|${DIGIT})*)*`;
export const SWORD = String.raw`[A-Za-z\u00AD]*[A-MO-Za-mo-z]\u00AD*`;

export const APOS = String.raw`(?:['\u0092\u2019]|&apos;)`;
export const APOSETCETERA = String.raw`(?:${APOS}|[\u0060\u0091\u2018\u201B])`;
export const REDAUX = `${APOS}(?:[msdMSD]|re|ve|ll)`;
export const SREDAUX = `n${APOSETCETERA}t`;

/** `APOWORD`, one alternative per entry (the rule keeps the longest). */
export const APOWORD_ALTERNATIVES = [
  `${APOS}n${APOS}?`,
  `[lLdDjJ]${APOS}`,
  `Dunkin${APOS}|somethin${APOS}|ol${APOS}`,
  `${APOS}em`,
  `[A-HJ-XZn]${APOSETCETERA}\\p{L}{2}\\p{L}*`,
  `${APOS}[2-9]0s`,
  `${APOS}till?`,
  `\\p{L}\\p{L}*[aeiouyAEIOUY]${APOSETCETERA}[aeiouA-Z]\\p{L}*`,
  `${APOS}cause`,
  String.raw`cont'd\.?`,
  `'twas|nor'easter|c'mon|e'er|s'mores|ev'ry|li'l|nat'l`,
  `O${APOSETCETERA}o`,
];
export const APOWORD2 = `y${APOS}`;

export const FULLURL = String.raw`https?:\/\/[^ \t\n\f\r"<>|(){}]+[^ \t\n\f\r"<>|.!?(){},\-]`;
// `,-_` is a character range (',' to '_') in the original too.
export const LIKELYURL = String.raw`(?:(?:www\.(?:[^ \t\n\f\r"<>|.!?(){},]+\.)+[a-zA-Z]{2,4})|(?:(?:[^ \t\n\f\r"\u0060'<>|.!?(){},-_$]+\.)+(?:com|net|org|edu)))(?:\/[^ \t\n\f\r"<>|()]+[^ \t\n\f\r"<>|.!?(){},\-])?`;
export const EMAIL = String.raw`(?:&lt;|<)?[a-zA-Z0-9][^ \t\n\f\r"<>|()\u00A0{}]*@(?:[^ \t\n\f\r"<>|(){}.\u00A0]+\.)*(?:[^ \t\n\f\r"<>|(){}.\u00A0]+)(?:&gt;|>)?`;
export const TWITTER = `@[a-zA-Z_][a-zA-Z_0-9]*|#${LETTER}+`;

export const DATE = `${DIGIT}{1,2}[\\-\\/]${DIGIT}{1,2}[\\-\\/]${DIGIT}{2,4}`;
export const NUM = `${DIGIT}*(?:[.:,\\u00AD\\u066B\\u066C]${DIGIT}+)+|${DIGIT}+`;
export const NUMBER = `[\\-+]?(?:${NUM})`;
export const SUBSUPNUM = String.raw`[\u207A\u207B\u208A\u208B]?(?:[\u2070\u00B9\u00B2\u00B3\u2074-\u2079]+|[\u2080-\u2089]+)`;
export const FRAC = `(?:${DIGIT}{1,4}[\\- \\u00A0])?${DIGIT}{1,4}(?:\\\\?\\/|\\u2044)${DIGIT}{1,4}`;
export const FRAC2 = String.raw`[\u00BC\u00BD\u00BE\u2153-\u215E]`;

export const TBSPEC = String.raw`-(?:RRB|LRB|RCB|LCB|RSB|LSB)-|C\.D\.s|pro-|anti-|S(?:&amp;|&)P-500|S(?:&amp;|&)Ls|Cap${APOS}n|c${APOS}est`;
export const TBSPEC2 = `${APOS}[0-9][0-9]`;
export const THING3 = String.raw`[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}(?:\\?\/[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}){1,2}`;
export const DOLSIGN = String.raw`[A-Z]*\$|#`;
export const DOLSIGN2 = String.raw`[\u00A2\u00A3\u00A4\u00A5\u0080\u20A0\u20AC\u060B\u0E3F\u20A4\uFFE0\uFFE1\uFFE5\uFFE6]`;

const ACRO_SPECIAL = String.raw`(?:Canada|Sino|Korean|EU|Japan|non)-U\.S|U\.S\.-(?:U\.S\.S\.R|U\.K)`;
export const ACRO = String.raw`${ACRO_SPECIAL}|[A-Za-z](?:\.[A-Za-z])*`;
export const ACRO2 = String.raw`${ACRO_SPECIAL}|[A-Za-z](?:\.[A-Za-z])+`;
export const ACRONYM = `(?:${ACRO})\\.`;

const ABMONTH = 'Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
const ABDAYS = 'Tues|Thurs|Mon|Tue|Wed|Thu|Fri';
const ABSTATE = 'Ala|Ariz|[A]z|[A]rk|Calif|Colo|Conn|Ct|Dak|[D]el|Fla|Ga|[I]ll|Ind|Kans?|Ky|[L]a|[M]ass|Md|Mich|Minn|[M]iss|Mo|Mont|Neb|Nev|Okla|[O]re|[P]a|Penn|Tenn|[T]ex|Va|Vt|[W]ash|Wisc?|Wyo';
const ABCOMP = 'Inc|Cos?|Corp|Pp?t[ye]s?|Ltd|Plc|Rt|Bancorp|Bhd|Assn|Univ|Intl|Sys';
const ABNUM = 'tel|est|ext|sq';
const ABPTIT = String.raw`Jr|Sr|Bros|(?:Ed|Ph)\.D|Blvd|Rd|Esq`;
export const ABBREV1 = `(?:${ABMONTH}|${ABDAYS}|${ABSTATE}|${ABCOMP}|${ABNUM}|${ABPTIT}|etc|al|seq|Bldg)\\.`;

const ABTITLE = 'Mr|Mrs|Ms|[M]iss|Drs?|Profs?|Sens?|Reps?|Attys?|Lt|Col|Gen|Messrs|Govs?|Adm|Rev|Maj|Sgt|Cpl|Pvt|Capt|Ste?|Ave|Pres|Lieut|Hon|Brig|Co?mdr|Pfc|Spc|Supts?|Det|Mt|Ft|Adj|Adv|Asst|Assoc|Ens|Insp|Mlle|Mme|Msgr|Sfc';
const ABCOMP2 = 'Invt|Elec|Natl|M[ft]g|Dept';
/** `ABBREV2` = `ABBREV4\.`, one alternative per entry (the rule keeps the longest). */
export const ABBREV2_ALTERNATIVES = [`(?:${ABTITLE})\\.`, String.raw`(?:vs|Alex|Wm|Jos|Cie|a\.k\.a|cf|TREAS|Ph)\.`, ACRONYM, `(?:${ABCOMP2})\\.`];
export const ABBREV4 = String.raw`(?:${ABTITLE}|vs|Alex|Wm|Jos|Cie|a\.k\.a|cf|TREAS|Ph|${ABCOMP2}|${ACRO})`;
export const ABBREV3 = String.raw`(?:ca|figs?|prop|nos?|art|bldg|pp|op)\.`;

/** Words after which an acronym's final period is also a sentence end (first letter case-sensitive, as in the original). */
export const SENTENCE_STARTERS = String.raw`(?:[A]ccording|[A]dditionally|[A]bout|[A]fter|[E]arlier|[H]owever|[M]any|[M]ore|[M]r\.|[M]s\.|[N]ow|[O]nce|[O]ne|[O]ther|[O]ur|[S]he|[S]ince|[S]ome|[S]uch|[T]hat|[T]heir|[T]hen|[T]here|[T]hese|[T]hey|[T]his|[T]he|[W]e|[W]hen|[W]hile|[W]hat|[Y]et|[Y]ou|[B]ut|[H]ere|[H]er|[H]e|[I]f|[I]n|[I]t|[L]ast|[A]n|[A]s|[A]t|[A]|[S]o|${SGML})`;

export const FILENAME_EXT = 'bat|bmp|class|cgi|cpp|c|dll|docx|doc|exe|gif|gz|html|htm|h|jar|java|jpeg|jpg|mov|mp3|pdf|php|pl|png|ppt|ps|py|sql|tar|txt|wav|xml|x|zip';
export const FILENAME = `(?:${LETTER}|${DIGIT})+(?:[.](?:${LETTER}|${DIGIT})+)*(?:[.](?:${FILENAME_EXT}))`;

const LETTER_OR_DIGIT = String.raw`[\p{L}\p{Nd}]`;
export const HYPHEN = String.raw`[\-_\u058A\u2010\u2011]`;
export const HTHING = `[A-Za-z0-9][A-Za-z0-9.,\\u00AD]*(?:-(?:(?:${ACRO2})\\.|[A-Za-z0-9\\u00AD]+))+`;
export const THING = `(?:[dDoOlL]${APOSETCETERA}${LETTER_OR_DIGIT})?${LETTER_OR_DIGIT}+(?:${HYPHEN}(?:[dDoOlL]${APOSETCETERA}${LETTER_OR_DIGIT})?${LETTER_OR_DIGIT}+)*`;
export const THINGA = `[A-Z]+(?:(?:[+&]|${SPAMP})[A-Z]+)+`;

/** `PHONE`, one alternative per entry (the rule keeps the longest). */
export const PHONE_ALTERNATIVES = [
  String.raw`(?:\([0-9]{2,3}\)[ \u00A0]?|(?:\+\+?)?(?:[0-9]{2,4}[\- \u00A0])?[0-9]{2,4}[\- \u00A0])[0-9]{3,4}[\- \u00A0]?[0-9]{3,5}`,
  String.raw`(?:(?:\+\+?)?[0-9]{2,4}\.)?[0-9]{2,4}\.[0-9]{3,4}\.[0-9]{3,5}`,
];
export const LDOTS = String.raw`\.{3,5}|(?:\.[ \u00A0]){2,4}\.|[\u0085\u2026]`;
export const FNMARKS = '@+|#+|_+';
export const ASTS = String.raw`\*+|(?:\\\*){1,3}`;
export const INSENTP = String.raw`[,;:\u3001]`;
export const QUOTES = String.raw`''|[\u0060\u2018\u2019\u201A\u201B\u201C\u201D\u0091\u0092\u0093\u0094\u201E\u201F\u2039\u203A\u00AB\u00BB]{1,2}|${APOS}`;
export const DBLQUOT = '"|&quot;';
export const SMILEY = String.raw`[<>]?[:;=][\-o*']?[()DPdpO\\{@|[\]]`;
/** As in the original, whose first alternative escapes its second `[` (so it is a literal `.[^x=~<>]`). */
export const ASIANSMILEY = String.raw`[\^x=~<>]\.\[\^x=~<>\]|[\-\^x=~<>']_[\-\^x=~<>']|\([\-\^x=~<>'][_.]?[\-\^x=~<>']\)|\([\^x=~<>']-[\^x=~<>'\u0060]\)`;
export const MISCSYMBOL = String.raw`[+%&~^|\\\u00A6\u00A7\u00A8\u00A9\u00AC\u00AE\u00AF\u00B0-\u00B3\u00B4-\u00BA\u00D7\u00F7\u0387\u05BE\u05C0\u05C3\u05C6\u05F3\u05F4\u0600-\u0603\u0606-\u060A\u060C\u0614\u061B\u061E\u066A\u066D\u0703-\u070D\u07F6\u07F7\u07F8\u0964\u0965\u0E4F\u1FBD\u2016\u2017\u2020-\u2023\u2030-\u2038\u203B\u203E-\u2042\u2044\u207A-\u207F\u208A-\u208E\u2100-\u214F\u2190-\u21FF\u2200-\u2BFF\u3012\u30FB\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65]`;
