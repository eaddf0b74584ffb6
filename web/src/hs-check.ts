/**
 * The consignment page's HS check: each item's declared code beside the classifier's suggestion
 * (POST /v1/classify), with its confidence, the level at which they agree, the alternatives and the
 * words that drove the choice.
 */
import { post } from './api.js';
import { h, mount } from './dom.js';

interface Suggestion {
  hs6: string;
  confidence: number;
  alternatives: { hs6: string; confidence: number }[];
  explanation: { word: string; source: string; weight: number }[];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** How far a declared code and a suggested subheading agree: 6, 4, 2 digits, or not at all. */
export function agreement(declared: string | undefined, suggested: string): string {
  if (!declared || suggested === '') return '—';
  for (const n of [6, 4, 2]) if (declared.slice(0, n) === suggested.slice(0, n)) return `${n} digits`;
  return 'differs';
}

/** Fills `slot` with the HS check of `items`; leaves it empty when the classifier is not reachable. */
export async function fillHsCheck(
  slot: Element | null,
  items: readonly { description: string; hsCode?: string }[],
): Promise<void> {
  if (!slot || items.length === 0) return;
  let results: Suggestion[];
  try {
    results = (
      await post<{ results: Suggestion[] }>('/v1/classify', { descriptions: items.map((i) => i.description) })
    ).results;
  } catch {
    return; // the role may not classify, or the server has no classifier: no panel
  }
  (slot as HTMLElement).hidden = false;
  mount(
    slot,
    h('h2', { id: 's-hs-check' }, 'HS code check'),
    h(
      'div.scroll',
      { tabindex: 0, role: 'region', 'aria-label': 'HS code check' },
      h(
        'table.hs-check',
        { id: 'hs-check' },
        h('caption.sr', {}, 'Declared HS codes beside the classifier’s suggestions'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Item', 'Description', 'Declared', 'Suggested', 'Agrees at', 'Alternatives', 'Words'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          items.map((it, i) => {
            const r = results[i];
            const agree = r ? agreement(it.hsCode, r.hs6) : '—';
            return h(
              `tr${agree === 'differs' ? '.differs' : ''}`,
              { 'data-item': String(i + 1) },
              h('td', {}, String(i + 1)),
              h('td', {}, it.description),
              h('td', {}, it.hsCode ?? '—'),
              h('td.suggested', {}, r && r.hs6 ? `${r.hs6} (${pct(r.confidence)})` : 'no known word'),
              h('td.agrees', {}, agree),
              h(
                'td',
                {},
                r
                  ? r.alternatives
                      .slice(0, 3)
                      .map((a) => `${a.hs6} (${pct(a.confidence)})`)
                      .join(', ')
                  : '',
              ),
              h(
                'td',
                {},
                r
                  ? r.explanation
                      .slice(0, 4)
                      .map((e) => e.word)
                      .join(', ')
                  : '',
              ),
            );
          }),
        ),
      ),
    ),
  );
}
