import type { ShapesVLBlipMetrics } from './evaluate-tiny-blip.js';

/** Marks the start of tiny BLIP's generated metrics section in the zoo README. */
export const TINY_BLIP_METRICS_BEGIN = '<!-- tiny-blip-metrics:begin (written by `pnpm --filter @vlp/zoo eval:tiny-blip`) -->';
/** Marks its end. */
export const TINY_BLIP_METRICS_END = '<!-- tiny-blip-metrics:end -->';

const pct = (x: number) => x.toFixed(1);

function row(label: string, m: ShapesVLBlipMetrics): string {
  const { retrieval: r, captioning: c, vqa: v } = m;
  return `| ${label} | ${m.count} | ${pct(r.t2i.r1)} | ${pct(r.t2i.r5)} | ${pct(r.t2i.r10)} | ${pct(r.i2t.r1)} | ${pct(r.i2t.r5)} | ${pct(r.i2t.r10)} | ${pct(r.itcOnly.t2i.r1)} / ${pct(r.itcOnly.i2t.r1)} | ${c.ciderD.toFixed(3)} | ${pct(100 * c.bleu4)} | ${pct(v.accuracy)} |`;
}

/**
 * The README section with the tiny BLIP checkpoints' measured metrics: the full Shapes-VL test split
 * and the fixed subset the tests re-evaluate, between {@link TINY_BLIP_METRICS_BEGIN} and
 * {@link TINY_BLIP_METRICS_END}.
 */
export function renderTinyBlipMetricsSection(full: ShapesVLBlipMetrics, subset: ShapesVLBlipMetrics, engine: string): string {
  return [
    TINY_BLIP_METRICS_BEGIN,
    '| Shapes-VL test (seed 0) | images | t2i R@1 | R@5 | R@10 | i2t R@1 | R@5 | R@10 | ITC only: t2i / i2t R@1 | CIDEr-D | BLEU-4 | VQA acc. |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    row('full split', full),
    row(`subset: images ${subset.start}–${subset.start + subset.count - 1}`, subset),
    '',
    `Retrieval (\`tiny-blip-itm\`): all 5 captions of every image (${full.count * 5} texts for the full split), ` +
      `each query's ITC top-${full.retrieval.rerankK} re-ranked by ITM + ITC with \`[ENC]\` (BLIP's protocol); "ITC only": the ITC similarities without re-ranking. ` +
      'Captioning (`tiny-blip-caption`): greedy, no prompt, against the 5 captions (coco-caption CIDEr-D scale; BLEU-4 ×100). ' +
      `VQA (\`tiny-blip-vqa\`): generated answers to all 9 questions of every image (${full.vqa.questions} for the full split), exact match. Engine: ${engine}.`,
    TINY_BLIP_METRICS_END,
  ].join('\n');
}

/** `readme` with its tiny BLIP metrics section replaced by `section` (appended when the markers are missing). */
export function replaceTinyBlipMetricsSection(readme: string, section: string): string {
  const begin = readme.indexOf(TINY_BLIP_METRICS_BEGIN);
  const end = readme.indexOf(TINY_BLIP_METRICS_END);
  if (begin < 0 || end < begin) return `${readme.trimEnd()}\n\n${section}\n`;
  return readme.slice(0, begin) + section + readme.slice(end + TINY_BLIP_METRICS_END.length);
}
