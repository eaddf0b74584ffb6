/** Small dependency-free SVG charts: vertical bars, horizontal bars, and a forecast line with bands. */

const NS = 'http://www.w3.org/2000/svg';

function s(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function svg(width: number, height: number, label: string): SVGSVGElement {
  const el = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': label,
    class: 'chart',
    preserveAspectRatio: 'xMidYMid meet',
  }) as SVGSVGElement;
  el.append(s('title', {}, label));
  return el;
}

const compact = (v: number): string =>
  Math.abs(v) >= 1e6
    ? `${Number((v / 1e6).toFixed(1))}M`
    : Math.abs(v) >= 1e4
      ? `${Number((v / 1e3).toFixed(0))}k`
      : Math.abs(v) >= 1e3
        ? `${Number((v / 1e3).toFixed(1))}k`
        : `${Number(v.toFixed(1))}`;

/** Horizontal bars: one row per item, value label at the end of the bar. */
export function hbars(
  label: string,
  rows: { label: string; value: number; note?: string }[],
  opts: { format?: (v: number) => string; width?: number } = {},
): SVGSVGElement {
  const width = opts.width ?? 520;
  const rowH = 22;
  const labelW = 170;
  const height = Math.max(rowH, rows.length * rowH) + 8;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const el = svg(width, height, label);
  const fmt = opts.format ?? compact;
  rows.forEach((r, i) => {
    const y = 4 + i * rowH;
    const w = ((width - labelW - 70) * r.value) / max;
    const text = r.label.length > 26 ? `${r.label.slice(0, 25)}…` : r.label;
    el.append(s('text', { x: labelW - 6, y: y + 15, 'text-anchor': 'end', class: 'axis' }, text));
    const bar = s('rect', {
      x: labelW,
      y: y + 3,
      width: Math.max(1, w),
      height: rowH - 7,
      class: 'bar',
      rx: 2,
    });
    bar.append(s('title', {}, `${r.label}: ${fmt(r.value)}${r.note ? ` (${r.note})` : ''}`));
    el.append(bar);
    el.append(s('text', { x: labelW + w + 5, y: y + 15, class: 'value' }, fmt(r.value)));
  });
  return el;
}

/** Vertical bars over a category axis (e.g. days), with up to ~12 tick labels. */
export function vbars(label: string, rows: { label: string; value: number }[], width = 520): SVGSVGElement {
  const height = 200;
  const pad = { l: 44, r: 8, t: 10, b: 28 };
  const el = svg(width, height, label);
  const max = Math.max(1, ...rows.map((r) => r.value));
  const innerW = width - pad.l - pad.r;
  const innerH = height - pad.t - pad.b;
  const bw = innerW / Math.max(1, rows.length);
  for (const f of [0, 0.5, 1]) {
    const y = pad.t + innerH * (1 - f);
    el.append(s('line', { x1: pad.l, x2: width - pad.r, y1: y, y2: y, class: 'grid' }));
    el.append(s('text', { x: pad.l - 4, y: y + 4, 'text-anchor': 'end', class: 'axis' }, compact(max * f)));
  }
  const every = Math.max(1, Math.ceil(rows.length / 10));
  rows.forEach((r, i) => {
    const hgt = (innerH * r.value) / max;
    const x = pad.l + i * bw;
    const bar = s('rect', {
      x: x + bw * 0.1,
      y: pad.t + innerH - hgt,
      width: Math.max(1, bw * 0.8),
      height: Math.max(0, hgt),
      class: 'bar',
    });
    bar.append(s('title', {}, `${r.label}: ${r.value.toLocaleString('en')}`));
    el.append(bar);
    if (i % every === 0) {
      el.append(
        s(
          'text',
          { x: x + bw / 2, y: height - 10, 'text-anchor': 'middle', class: 'axis' },
          r.label.slice(5),
        ),
      );
    }
  });
  return el;
}

export interface BandPoint {
  date: string;
  point: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

/** History as a line, then the forecast line with its 80% and 95% prediction bands. */
export function forecastChart(
  label: string,
  history: { date: string; count: number }[],
  points: BandPoint[],
  width = 760,
): SVGSVGElement {
  const height = 260;
  const pad = { l: 52, r: 10, t: 12, b: 28 };
  const el = svg(width, height, label);
  const n = history.length + points.length;
  const max = Math.max(1, ...history.map((p) => p.count), ...points.map((p) => p.upper95));
  const x = (i: number) => pad.l + ((width - pad.l - pad.r) * i) / Math.max(1, n - 1);
  const y = (v: number) => pad.t + (height - pad.t - pad.b) * (1 - v / max);
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    el.append(s('line', { x1: pad.l, x2: width - pad.r, y1: y(max * f), y2: y(max * f), class: 'grid' }));
    el.append(
      s('text', { x: pad.l - 4, y: y(max * f) + 4, 'text-anchor': 'end', class: 'axis' }, compact(max * f)),
    );
  }
  const off = history.length;
  const band = (lo: (p: BandPoint) => number, hi: (p: BandPoint) => number, cls: string) => {
    const top = points.map((p, i) => `${x(off + i).toFixed(1)},${y(hi(p)).toFixed(1)}`);
    const bottom = points.map((p, i) => `${x(off + i).toFixed(1)},${y(lo(p)).toFixed(1)}`).reverse();
    el.append(s('polygon', { points: [...top, ...bottom].join(' '), class: cls }));
  };
  if (points.length > 0) {
    band(
      (p) => p.lower95,
      (p) => p.upper95,
      'band95',
    );
    band(
      (p) => p.lower80,
      (p) => p.upper80,
      'band80',
    );
  }
  const line = (pts: [number, number][], cls: string) =>
    el.append(
      s('polyline', { points: pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' '), class: cls }),
    );
  line(
    history.map((p, i) => [x(i), y(p.count)]),
    'history',
  );
  line(
    points.map((p, i) => [x(off + i), y(p.point)]),
    'forecast',
  );
  const dates = [...history.map((p) => p.date), ...points.map((p) => p.date)];
  const every = Math.max(1, Math.ceil(n / 8));
  dates.forEach((d, i) => {
    if (i % every === 0)
      el.append(s('text', { x: x(i), y: height - 8, 'text-anchor': 'middle', class: 'axis' }, d.slice(5)));
  });
  if (points.length > 0) {
    el.append(s('line', { x1: x(off), x2: x(off), y1: pad.t, y2: height - pad.b, class: 'now' }));
  }
  return el;
}

/** A line over time (e.g. a score per period), with a dot per point; `max` fixes the scale (e.g. 100). */
export function trendLine(
  label: string,
  points: { label: string; value: number }[],
  opts: { max?: number; width?: number; format?: (v: number) => string } = {},
): SVGSVGElement {
  const width = opts.width ?? 520;
  const height = 180;
  const pad = { l: 44, r: 12, t: 12, b: 28 };
  const el = svg(width, height, label);
  const max = opts.max ?? Math.max(1, ...points.map((p) => p.value));
  const fmt = opts.format ?? compact;
  const innerW = width - pad.l - pad.r;
  const innerH = height - pad.t - pad.b;
  for (const f of [0, 0.5, 1]) {
    const y = pad.t + innerH * (1 - f);
    el.append(s('line', { x1: pad.l, x2: width - pad.r, y1: y, y2: y, class: 'grid' }));
    el.append(s('text', { x: pad.l - 4, y: y + 4, 'text-anchor': 'end', class: 'axis' }, fmt(max * f)));
  }
  const x = (i: number) => pad.l + (points.length <= 1 ? innerW / 2 : (innerW * i) / (points.length - 1));
  const y = (v: number) => pad.t + innerH * (1 - Math.min(1, Math.max(0, v / max)));
  if (points.length > 1) {
    el.append(
      s('polyline', {
        points: points.map((p, i) => `${x(i)},${y(p.value)}`).join(' '),
        class: 'line',
        fill: 'none',
      }),
    );
  }
  const every = Math.max(1, Math.ceil(points.length / 8));
  points.forEach((p, i) => {
    const dot = s('circle', { cx: x(i), cy: y(p.value), r: 3.5, class: 'dot' });
    dot.append(s('title', {}, `${p.label}: ${fmt(p.value)}`));
    el.append(dot);
    // Every `every`-th label, and the last one when it does not crowd the one before it.
    const last = i === points.length - 1 && i % every >= every / 2;
    if (i % every === 0 || last)
      el.append(
        s('text', { x: x(i), y: height - 10, 'text-anchor': 'middle', class: 'axis' }, p.label.slice(0, 10)),
      );
  });
  return el;
}
