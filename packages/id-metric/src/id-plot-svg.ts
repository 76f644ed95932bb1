import type { IdReport } from './id-report.js';

/**
 * A hand-written SVG of an {@link IdReport}: ID (y) of every prunable layer in forward order (x),
 * one coloured line per modality (vision blue, text orange, fusion green), as the paper's figure.
 * Pure string building, no DOM; O(units).
 */

const COLOURS: Record<string, string> = { vision: '#1f77b4', text: '#ff7f0e', fusion: '#2ca02c' };
const W = 720;
const H = 360;
const PAD = { left: 56, right: 120, top: 36, bottom: 48 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v: number) => (Math.round(v * 100) / 100).toString();

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / p) * p;
}

/** The SVG document (UTF-8 text) of the report's per-layer ID plot. */
export function idPlotSvg(report: Pick<IdReport, 'model' | 'units'>): string {
  const n = report.units.length;
  const yMax = niceMax(Math.max(0, ...report.units.map((u) => u.id)));
  const pw = W - PAD.left - PAD.right;
  const ph = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n <= 1 ? pw / 2 : (i / (n - 1)) * pw);
  const y = (v: number) => PAD.top + ph - (v / yMax) * ph;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>Intrinsic dimension per layer: ${esc(report.model)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${PAD.left}" y="20" font-size="14">Intrinsic dimension per layer — ${esc(report.model)}</text>`,
    `<line x1="${PAD.left}" y1="${PAD.top + ph}" x2="${PAD.left + pw}" y2="${PAD.top + ph}" stroke="black"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + ph}" stroke="black"/>`,
    `<text x="${PAD.left + pw / 2}" y="${H - 10}" text-anchor="middle">layer (forward order)</text>`,
    `<text transform="translate(16 ${PAD.top + ph / 2}) rotate(-90)" text-anchor="middle">ID (TwoNN)</text>`,
  ];
  for (let t = 0; t <= 4; t++) {
    const v = (yMax * t) / 4;
    parts.push(`<line x1="${PAD.left - 4}" y1="${y(v)}" x2="${PAD.left}" y2="${y(v)}" stroke="black"/>`);
    parts.push(`<text x="${PAD.left - 8}" y="${y(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  const modalities = [...new Set(report.units.map((u) => u.modality))];
  for (const [k, m] of modalities.entries()) {
    const colour = COLOURS[m] ?? '#7f7f7f';
    const pts = report.units.map((u, i) => [i, u] as const).filter(([, u]) => u.modality === m);
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${pts.map(([i, u]) => `${fmt(x(i))},${fmt(y(u.id))}`).join(' ')}"/>`);
    for (const [i, u] of pts) parts.push(`<circle cx="${fmt(x(i))}" cy="${fmt(y(u.id))}" r="3" fill="${colour}"><title>${esc(u.unit)}: ${fmt(u.id)}</title></circle>`);
    const ly = PAD.top + 16 + k * 18;
    parts.push(`<rect x="${W - PAD.right + 16}" y="${ly - 9}" width="12" height="12" fill="${colour}"/>`);
    parts.push(`<text x="${W - PAD.right + 34}" y="${ly + 1}">${esc(m)}</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
