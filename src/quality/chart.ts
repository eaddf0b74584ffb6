/** An SVG line chart of a submitter's scorecard trend: overall score and the main rates per period. */
import { escapeXml as esc } from '../analytics/index.js';
import type { Scorecard } from './scorecard.js';

/** Renders the trend (score on 0-100, rates as % on the same axis). */
export function renderQualitySvg(submitterId: string, trend: readonly Scorecard[]): string {
  const w = 760;
  const h = 320;
  const m = { l: 48, r: 150, t: 36, b: 48 };
  const pw = w - m.l - m.r;
  const ph = h - m.t - m.b;
  const n = trend.length;
  const x = (i: number) => m.l + (n <= 1 ? pw / 2 : (i * pw) / (n - 1));
  const y = (v: number) => m.t + ph - (Math.max(0, Math.min(100, v)) / 100) * ph;
  const series: { name: string; color: string; value: (s: Scorecard) => number }[] = [
    { name: 'score', color: '#1f4e9c', value: (s) => s.score },
    { name: 'completeness %', color: '#2e8b57', value: (s) => s.completeness * 100 },
    { name: 'vague %', color: '#d2691e', value: (s) => s.vagueShare * 100 },
    { name: 'late %', color: '#b22222', value: (s) => s.lateShare * 100 },
    { name: 'mismatch %', color: '#6a5acd', value: (s) => s.mismatchRate * 100 },
  ];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="11">`,
    `<title>Data quality of ${esc(submitterId)}</title>`,
    `<text x="${m.l}" y="20" font-size="14">Data quality: ${esc(submitterId)}</text>`,
  ];
  for (const v of [0, 25, 50, 75, 100]) {
    parts.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`);
  }
  trend.forEach((s, i) => {
    if (n <= 12 || i % Math.ceil(n / 12) === 0)
      parts.push(`<text x="${x(i)}" y="${m.t + ph + 16}" text-anchor="middle">${esc(s.period)}</text>`);
  });
  series.forEach((s, k) => {
    const pts = trend.map((c, i) => `${x(i).toFixed(1)},${y(s.value(c)).toFixed(1)}`).join(' ');
    if (n > 0)
      parts.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="${k === 0 ? 2.5 : 1.5}" points="${pts}"/>`,
      );
    trend.forEach((c, i) =>
      parts.push(
        `<circle cx="${x(i).toFixed(1)}" cy="${y(s.value(c)).toFixed(1)}" r="2.5" fill="${s.color}"/>`,
      ),
    );
    parts.push(`<rect x="${m.l + pw + 16}" y="${m.t + k * 18}" width="10" height="10" fill="${s.color}"/>`);
    parts.push(`<text x="${m.l + pw + 32}" y="${m.t + k * 18 + 9}">${s.name}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
