/** A reliability diagram as SVG: per confidence bin, accuracy as a bar and mean confidence as a dot. */
import { escapeXml as esc } from '../analytics/index.js';
import type { CalibrationBin } from './evaluate.js';

/** One panel of the diagram. */
export interface ReliabilityPanel {
  title: string;
  bins: readonly CalibrationBin[];
  ece: number;
}

/** Renders panels side by side (each a 240-unit square with axes, the diagonal and row counts). */
export function reliabilitySvg(panels: readonly ReliabilityPanel[]): string {
  const size = 240;
  const pad = 44;
  const width = panels.length * (size + pad * 2);
  const height = size + pad * 2 + 20;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
  ];
  panels.forEach((p, k) => {
    const x0 = k * (size + pad * 2) + pad;
    const y0 = pad;
    const x = (v: number): number => x0 + v * size;
    const y = (v: number): number => y0 + (1 - v) * size;
    parts.push(`<text x="${x0}" y="${y0 - 24}" font-size="12" font-weight="bold">${esc(p.title)}</text>`);
    parts.push(
      `<text x="${x0}" y="${y0 - 10}">ECE ${p.ece.toFixed(3)} · bar: accuracy · dot: mean confidence</text>`,
    );
    parts.push(`<rect x="${x0}" y="${y0}" width="${size}" height="${size}" fill="none" stroke="#999"/>`);
    parts.push(
      `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#bbb" stroke-dasharray="4 3"/>`,
    );
    for (const b of p.bins) {
      const bw = size / 10;
      const bx = x(b.from);
      if (b.count > 0) {
        parts.push(
          `<rect x="${bx + 2}" y="${y(b.accuracy)}" width="${bw - 4}" height="${size * b.accuracy}" fill="#4a7fb5" opacity="0.75"/>`,
          `<circle cx="${bx + bw / 2}" cy="${y(b.meanConfidence)}" r="3.5" fill="#d9534f"/>`,
          `<text x="${bx + bw / 2}" y="${y0 + size + 26}" text-anchor="middle" fill="#555">${b.count}</text>`,
        );
      }
    }
    for (const t of [0, 0.5, 1]) {
      parts.push(`<text x="${x(t)}" y="${y0 + size + 13}" text-anchor="middle">${t}</text>`);
      parts.push(`<text x="${x0 - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`);
    }
    parts.push(`<text x="${x0 - 30}" y="${y0 + size + 26}" fill="#555">n</text>`);
    parts.push(`<text x="${x0 + size / 2}" y="${y0 + size + 42}" text-anchor="middle">confidence</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
