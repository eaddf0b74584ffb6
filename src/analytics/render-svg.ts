/** A small self-contained SVG line chart: history, forecast and shaded 80% / 95% intervals. */
import { parseIsoDate } from './dates.js';
import type { ForecastResult, Series } from './types.js';

const WIDTH = 800;
const HEIGHT = 320;
const PAD = { left: 64, right: 16, top: 24, bottom: 32 };

/** Text made safe for SVG/XML content and attribute values (& < > " escaped). */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceStep(range: number): number {
  const raw = range / 5;
  const mag = Math.pow(10, Math.floor(Math.log10(raw || 1)));
  const n = raw / mag;
  return (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * mag;
}

/**
 * Renders the last part of the history (at most four times the horizon, and at least two years of
 * monthly data) with the forecast line and its intervals as an SVG document.
 */
export function renderForecastSvg(series: Series, result: ForecastResult): string {
  const keep = Math.max(4 * result.horizon, result.frequency === 'monthly' ? 24 : 56);
  const start = Math.max(0, series.values.length - keep);
  const hist = series.dates
    .slice(start)
    .map((d, i) => ({ day: parseIsoDate(d) ?? 0, v: series.values[start + i] ?? 0 }));
  const fc = result.points.map((p) => ({ day: parseIsoDate(p.date) ?? 0, p }));
  const days = [...hist.map((h) => h.day), ...fc.map((f) => f.day)];
  const x0 = Math.min(...days);
  const x1 = Math.max(...days, x0 + 1);
  const yMax = Math.max(1, ...hist.map((h) => h.v), ...fc.map((f) => f.p.upper95)) * 1.05;
  const sx = (d: number): number => PAD.left + ((d - x0) / (x1 - x0)) * (WIDTH - PAD.left - PAD.right);
  const sy = (v: number): number => HEIGHT - PAD.bottom - (v / yMax) * (HEIGHT - PAD.top - PAD.bottom);
  const pt = (d: number, v: number): string => `${sx(d).toFixed(1)},${sy(v).toFixed(1)}`;
  const band = (lo: (i: number) => number, hi: (i: number) => number): string =>
    [
      ...fc.map((f, i) => pt(f.day, hi(i))),
      ...[...fc].reverse().map((f, j) => pt(f.day, lo(fc.length - 1 - j))),
    ].join(' ');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(`Forecast (${result.model}, ${result.frequency}, ${result.horizon} periods)`)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
  ];
  const step = niceStep(yMax);
  for (let v = 0; v <= yMax; v += step) {
    parts.push(
      `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${PAD.left - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end" fill="#555">${Math.round(v).toLocaleString('en-US')}</text>`,
    );
  }
  if (fc.length > 0) {
    parts.push(
      `<polygon points="${band(
        (i) => fc[i]?.p.lower95 ?? 0,
        (i) => fc[i]?.p.upper95 ?? 0,
      )}" fill="#9ecae1" fill-opacity="0.35"/>`,
      `<polygon points="${band(
        (i) => fc[i]?.p.lower80 ?? 0,
        (i) => fc[i]?.p.upper80 ?? 0,
      )}" fill="#6baed6" fill-opacity="0.45"/>`,
      `<polyline points="${fc.map((f) => pt(f.day, f.p.point)).join(' ')}" fill="none" stroke="#08519c" stroke-width="1.8"/>`,
    );
  }
  parts.push(
    `<polyline points="${hist.map((h) => pt(h.day, h.v)).join(' ')}" fill="none" stroke="#333" stroke-width="1.2"/>`,
    `<text x="${PAD.left}" y="${HEIGHT - 10}" fill="#555">${escapeXml(series.dates[start] ?? '')}</text>`,
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - 10}" text-anchor="end" fill="#555">${escapeXml(result.points[result.points.length - 1]?.date ?? '')}</text>`,
    `<text x="${PAD.left}" y="14" fill="#333">history (grey), forecast (blue), 80% and 95% intervals (shaded)</text>`,
    '</svg>',
  );
  return parts.join('\n') + '\n';
}
