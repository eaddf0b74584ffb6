/** A tiny DOM helper: h('tag.class', {attrs}, children) with text escaped by construction. */

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length > 0) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces the children of `el`. */
export function mount(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en');
/** A count with its noun, plural unless one: `counted(3, 'case')` is "3 cases". */
export const counted = (n: number, noun: string): string => `${fmtInt(n)} ${noun}${n === 1 ? '' : 's'}`;
export const fmtPct = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;

/** 0.4 s, 12 min, 3.5 h, 2.1 d. */
export function fmtSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return '—';
  if (s < 60) return `${Number(s.toFixed(1))} s`;
  if (s < 3600) return `${Number((s / 60).toFixed(1))} min`;
  if (s < 86_400) return `${Number((s / 3600).toFixed(1))} h`;
  return `${Number((s / 86_400).toFixed(1))} d`;
}

/** "3 min ago", "2 h ago" relative to now. */
export function ago(iso: string): string {
  const s = (Date.now() - Date.parse(iso)) / 1000;
  if (!Number.isFinite(s)) return iso;
  return s < 45 ? 'just now' : `${fmtSeconds(s)} ago`;
}

/** A state name as a badge. */
export const badge = (text: string, kind = text): HTMLElement => h(`span.badge.b-${kind}`, {}, text);

/**
 * A list table in a scrolling box: its caption (read aloud only, unless `captionShown`), a header row
 * of column names and the body rows.
 */
export function listTable(
  id: string,
  caption: string,
  columns: readonly string[],
  rows: Child,
  captionShown = false,
): HTMLElement {
  return h(
    'div.scroll',
    { tabindex: 0, role: 'region', 'aria-label': caption },
    h(
      'table.list',
      { id },
      h(captionShown ? 'caption' : 'caption.sr', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

/**
 * A decimal fraction written as a percentage, exactly: the decimal point moved two places in the
 * text, never through a float ("0.055" is "5.5", "0.2" is "20", "0" is "0"); null for another text.
 */
export function percentText(fraction: string): string | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(fraction.trim());
  if (m === null) return null;
  const digits = (m[2] ?? '').padEnd(2, '0');
  const whole = `${m[1]}${digits.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const rest = digits.slice(2).replace(/0+$/, '');
  return rest === '' ? whole : `${whole}.${rest}`;
}

/**
 * A tax line's rate as officers read it: fractions as percentages ("0.22" is "22 %"), the parts of a
 * compound rate each on their own ("0.12 + 3.5 EUR per kg-net" is "12 % + 3.5 EUR per kg-net"), and
 * amounts per unit as the engine wrote them.
 */
export const fmtRate = (rate: string): string =>
  rate
    .split(' + ')
    .map((part) => {
      const p = percentText(part);
      return p === null ? part : `${p}\u00a0%`;
    })
    .join(' + ');

const two = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as a time of day on the officer's clock (local time), "14:07"; with the day when it is not
 * today ("14:07 on Thu 3 Dec"). The ISO text itself when it is not a valid instant.
 */
export function clockTime(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
  if (d.toDateString() === now.toDateString()) return hm;
  return `${hm} on ${d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })}`;
}
