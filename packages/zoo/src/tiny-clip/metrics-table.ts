import type { ShapesVLClipMetrics } from './evaluate-tiny-clip.js';

/** Marks the start of the generated metrics section in the zoo README. */
export const METRICS_BEGIN = '<!-- tiny-clip-metrics:begin (written by `pnpm --filter @vlp/zoo eval:tiny-clip`) -->';
/** Marks its end. */
export const METRICS_END = '<!-- tiny-clip-metrics:end -->';

const pct = (x: number) => x.toFixed(1);

/** One Markdown table row of metrics. */
function row(label: string, m: ShapesVLClipMetrics): string {
  const { zeroShot: z, retrieval: r } = m;
  return `| ${label} | ${m.count} | ${pct(z.top1)} | ${pct(z.top5)} | ${pct(r.i2t.r1)} | ${pct(r.i2t.r5)} | ${pct(r.i2t.r10)} | ${pct(r.t2i.r1)} | ${pct(r.t2i.r5)} | ${pct(r.t2i.r10)} |`;
}

/**
 * The README section with tiny-clip's measured metrics (percent): the full Shapes-VL test split and
 * the fixed subset the tests re-evaluate, between {@link METRICS_BEGIN} and {@link METRICS_END}.
 */
export function renderMetricsSection(full: ShapesVLClipMetrics, subset: ShapesVLClipMetrics, engine: string): string {
  const quoted = full.templates.map((t) => `\`${t}\``).join(', ');
  const prompts = full.templates.length === 1 ? `prompt template ${quoted}` : `prompt templates ${quoted} ensembled`;
  return [
    METRICS_BEGIN,
    '| Shapes-VL test (seed 0) | images | zero-shot top-1 | top-5 | i2t R@1 | R@5 | R@10 | t2i R@1 | R@5 | R@10 |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    row('full split', full),
    row(`subset: images ${subset.start}–${subset.start + subset.count - 1}`, subset),
    '',
    `Zero-shot: 64 classes (main object's colour + shape), ${prompts}. ` +
      `Retrieval: all 5 captions of every image (${full.count * 5} texts for the full split). Engine: ${engine}.`,
    METRICS_END,
  ].join('\n');
}

/** `readme` with its metrics section replaced by `section` (appended when the markers are missing). */
export function replaceMetricsSection(readme: string, section: string): string {
  const begin = readme.indexOf(METRICS_BEGIN);
  const end = readme.indexOf(METRICS_END);
  if (begin < 0 || end < begin) return `${readme.trimEnd()}\n\n${section}\n`;
  return readme.slice(0, begin) + section + readme.slice(end + METRICS_END.length);
}
