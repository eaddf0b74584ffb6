/**
 * A consignment's X-ray images: each image with the detector's boxes drawn over it (category and
 * score), and the officer's review of each detection (confirm or reject, with a reason), which the
 * API stores as a training label. Images are fetched with the signed-in key (the API decides who may
 * see them) and shown through object URLs.
 */
import './screening.css';
import { ApiError, actor, currentIdentity, get, getBlob, mayCall, post } from './api.js';
import { ago, counted, h, mount } from './dom.js';
import { reasonOf, showError } from './forms.js';
import type { DetectionView, ImageView, ScreeningQueueItem } from './types.js';

const categoryNames: Record<string, string> = {
  knife: 'Knife',
  gun: 'Gun',
  'battery-pack': 'Battery pack',
  'liquid-container': 'Liquid container',
  'dense-organic-mass': 'Dense organic mass',
};
const nameOf = (c: string): string => categoryNames[c] ?? c;

/** Object URLs of the page shown last, released when the page is drawn again. */
let urls: string[] = [];

function pct(v: number): string {
  return `${(v * 100).toFixed(2)}%`;
}

/** The image with its overlays: boxes positioned in fractions, so they follow any display size. */
function figure(img: ImageView, src: string): HTMLElement {
  const boxes = img.detections.map((d, i) =>
    h(
      `div.xbox.c-${d.class}${d.review ? `.v-${d.review.verdict}` : ''}`,
      {
        'data-detection': d.id,
        style: `left:${pct(d.boxNormalized.x0)};top:${pct(d.boxNormalized.y0)};width:${pct(
          d.boxNormalized.x1 - d.boxNormalized.x0,
        )};height:${pct(d.boxNormalized.y1 - d.boxNormalized.y0)}`,
        title: `${nameOf(d.class)} ${d.score.toFixed(2)}`,
      },
      h('span.xlabel', { 'aria-hidden': 'true' }, `${i + 1} ${nameOf(d.class)} ${d.score.toFixed(2)}`),
    ),
  );
  const added = img.added.map((a) =>
    h(
      `div.xbox.added.c-${a.class}`,
      {
        style: `left:${pct(a.boxNormalized.x0)};top:${pct(a.boxNormalized.y0)};width:${pct(
          a.boxNormalized.x1 - a.boxNormalized.x0,
        )};height:${pct(a.boxNormalized.y1 - a.boxNormalized.y0)}`,
        title: `${nameOf(a.class)} added by ${a.actor}`,
      },
      h('span.xlabel', { 'aria-hidden': 'true' }, `+ ${nameOf(a.class)}`),
    ),
  );
  const alt =
    img.detections.length === 0
      ? `X-ray image ${img.id}, no detections`
      : `X-ray image ${img.id} with ${img.detections.length} detection${img.detections.length > 1 ? 's' : ''}: ` +
        img.detections.map((d, i) => `${i + 1} ${nameOf(d.class)} score ${d.score.toFixed(2)}`).join(', ');
  return h(
    'figure.xray',
    {},
    h(
      'div.xframe',
      { style: `aspect-ratio:${img.width}/${img.height}` },
      h('img', { src, alt, width: img.width, height: img.height }),
      boxes,
      added,
    ),
    h(
      'figcaption',
      {},
      `${img.width}×${img.height} ${img.format.toUpperCase()} · scanner ${img.scanner ?? '—'} · received `,
      h('time', { datetime: img.receivedAt, title: img.receivedAt }, ago(img.receivedAt)),
      img.screening ? ` · model ${img.screening.model} ${img.screening.version}` : ' · not screened',
    ),
  );
}

/** One detection's row: what the model saw, and the review form or the recorded review. */
function reviewItem(
  img: ImageView,
  d: DetectionView,
  n: number,
  reload: (message: string) => void,
): HTMLElement {
  const head = h(
    'div.dhead',
    {},
    h('span.dnum', {}, String(n)),
    ' ',
    h('strong', {}, nameOf(d.class)),
    ` score ${d.score.toFixed(2)} · box ${d.box.x0},${d.box.y0}–${d.box.x1},${d.box.y1}`,
  );
  const status = h('p.form-status', { role: 'status', id: `st-${d.id}` }, '');
  const recorded = d.review
    ? h(
        'p.review',
        { id: `rv-${d.id}` },
        h('span', { class: `badge b-${d.review.verdict}` }, d.review.verdict),
        ` by ${d.review.actor} `,
        h('time', { datetime: d.review.at, title: d.review.at }, ago(d.review.at)),
        d.review.class !== d.class ? ` · as ${nameOf(d.review.class)}` : '',
        d.review.note ? h('span.why', {}, ` “${d.review.note}”`) : null,
      )
    : null;
  const reasonId = `reason-${d.id}`;
  const reason = h('input', {
    id: reasonId,
    name: 'note',
    required: true,
    minlength: 3,
    maxlength: 500,
    autocomplete: 'off',
    placeholder: d.review ? 'Reason for a new review' : 'e.g. blade visible, umbrella rib',
  }) as HTMLInputElement;
  const send = async (verdict: 'confirmed' | 'rejected', button: HTMLButtonElement) => {
    const note = reasonOf(reason, status);
    if (note === undefined) return;
    button.disabled = true;
    try {
      await post(`/v1/screening/images/${encodeURIComponent(img.id)}/reviews`, {
        verdict,
        detectionId: d.id,
        note,
      });
      reload(`Recorded: ${nameOf(d.class)} ${n} ${verdict}`);
    } catch (err) {
      showError(status, err);
      button.disabled = false;
    }
  };
  // A role that may see images but not review them (auditor) reads the reviews, and gets no form.
  if (!mayReview()) return h('li.detection', { 'data-detection': d.id }, head, recorded);
  const form = h(
    'form.dreview',
    {
      'aria-label': `Review of detection ${n}: ${nameOf(d.class)}`,
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
        const verdict = submitter?.value === 'rejected' ? 'rejected' : 'confirmed';
        void send(verdict, submitter ?? (form.querySelector('button') as HTMLButtonElement));
      },
    },
    h('label', { for: reasonId }, 'Reason'),
    reason,
    h('button.primary', { type: 'submit', name: 'verdict', value: 'confirmed' }, 'Confirm'),
    h('button', { type: 'submit', name: 'verdict', value: 'rejected' }, 'Reject'),
  );
  return h('li.detection', { 'data-detection': d.id }, head, recorded, form, status);
}

/** Whether the role may record reviews (the server's role table; auditors see images but do not review). */
const mayReview = (): boolean => mayCall('POST', '/v1/screening/images/:imageId/reviews');

/** Renders the X-ray page of consignment `id`. */
export async function screeningPage(main: HTMLElement, id: string, flash?: string): Promise<void> {
  if (flash === undefined)
    mount(main, h('h1', {}, 'X-ray images'), h('p.muted', { role: 'status' }, 'Loading…'));
  let images: ImageView[];
  try {
    images = (await get<{ images: ImageView[] }>(`/v1/consignments/${encodeURIComponent(id)}/images`)).images;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 403 || err.status === 503)) {
      mount(
        main,
        h('p', {}, h('a', { href: `#/c/${encodeURIComponent(id)}` }, '← Consignment')),
        h('h1', {}, 'X-ray images'),
        h(
          'p.form-status.error',
          { role: 'alert', id: 'xray-denied' },
          err.status === 403
            ? 'Your role may not see X-ray images.'
            : 'Image screening is not configured on this server.',
        ),
      );
      return;
    }
    throw err;
  }
  for (const u of urls) URL.revokeObjectURL(u);
  urls = await Promise.all(images.map(async (img) => URL.createObjectURL(await getBlob(img.contentUrl))));
  const reload = (message: string) =>
    void screeningPage(main, id, message).then(() =>
      (main.querySelector('#xray-status') as HTMLElement | null)?.focus(),
    );
  const pending = images.reduce((n, img) => n + img.detections.filter((d) => !d.review).length, 0);
  mount(
    main,
    h('p', {}, h('a', { href: `#/c/${encodeURIComponent(id)}` }, '← Consignment')),
    h('h1', {}, 'X-ray images ', h('code', {}, id)),
    h(
      'p.summary',
      { id: 'xray-status', tabindex: -1, role: 'status' },
      flash ? h('span.form-status.ok', {}, `${flash}. `) : null,
      `${counted(images.length, 'image')} · ${counted(pending, 'detection')} awaiting review · `,
      mayReview()
        ? `reviews are stored as training labels and recorded with your name (${actor()}).`
        : `your role (${currentIdentity().role}) may read the reviews but not record one.`,
    ),
    images.length === 0 ? h('p.empty', {}, 'No X-ray image was received for this consignment.') : null,
    images.map((img, i) =>
      h(
        'section.card.ximage',
        { 'aria-labelledby': `img-${img.id}`, 'data-image': img.id },
        h('h2', { id: `img-${img.id}` }, `Image ${i + 1} `, h('code', {}, img.id)),
        h(
          'div.xgrid',
          {},
          figure(img, urls[i]!),
          img.detections.length === 0
            ? h('p.muted', {}, 'The detector found nothing in this image.')
            : h(
                'ol.detections',
                { 'aria-label': 'Detections' },
                img.detections.map((d, j) => reviewItem(img, d, j + 1, reload)),
              ),
        ),
      ),
    ),
  );
}

/** The X-ray page of a consignment. */
export const xrayHref = (id: string): string => `#/c/${encodeURIComponent(id)}/images`;

/**
 * Consignments whose X-ray images hold detections no officer has reviewed yet (GET /v1/screening/queue),
 * by consignment id. Empty when the role may not see images or screening is not configured.
 */
export async function xrayAlerts(limit = 200): Promise<Map<string, ScreeningQueueItem[]>> {
  const byConsignment = new Map<string, ScreeningQueueItem[]>();
  try {
    const q = await get<{ items: ScreeningQueueItem[] }>('/v1/screening/queue', { limit: String(limit) });
    for (const it of q.items) {
      const list = byConsignment.get(it.consignment.id) ?? [];
      list.push(it);
      byConsignment.set(it.consignment.id, list);
    }
  } catch (err) {
    if (!(err instanceof ApiError) || err.status === 401) throw err;
  }
  return byConsignment;
}

/** The detections an alert is about, highest score first: "gun 0.93, knife 0.61". */
function alertSummary(items: readonly ScreeningQueueItem[]): string {
  return items
    .flatMap((it) => it.image.detections.filter((d) => !d.review))
    .sort((a, b) => b.score - a.score)
    .map((d) => `${nameOf(d.class)} ${d.score.toFixed(2)}`)
    .join(', ');
}

/** A work-queue row's link to the X-ray page when a screening alert awaits review. */
export function xrayQueueLink(id: string, alerts: Map<string, ScreeningQueueItem[]>): HTMLElement | null {
  const items = alerts.get(id);
  if (!items) return null;
  return h(
    'a.badge.b-xray',
    { href: xrayHref(id), 'aria-label': `X-ray alert for ${id}: ${alertSummary(items)}` },
    'X-ray',
  );
}

/** Above the work queue: the X-ray alerts awaiting review (at most `max`), each linked to its page. */
export function xrayQueuePanel(alerts: Map<string, ScreeningQueueItem[]>, max = 5): HTMLElement | null {
  if (alerts.size === 0) return null;
  const entries = [...alerts.entries()].slice(0, max);
  return h(
    'div.xqueue.card',
    { id: 'xray-alerts' },
    h('strong', {}, `${counted(alerts.size, 'X-ray alert')} awaiting review`),
    h(
      'ul',
      {},
      entries.map(([id, items]) =>
        h('li', {}, h('a', { href: xrayHref(id) }, h('code', {}, id)), ` · ${alertSummary(items)}`),
      ),
    ),
  );
}

/** Fills `slot` on the consignment page with a link to its X-ray images, when it has any. */
export async function fillXrayLink(slot: Element | null, id: string): Promise<void> {
  if (!slot) return;
  let images: ImageView[];
  try {
    images = (await get<{ images: ImageView[] }>(`/v1/consignments/${encodeURIComponent(id)}/images`)).images;
  } catch {
    return; // no access to images, or screening not configured: no link
  }
  if (images.length === 0) return;
  const pending = images.reduce((n, img) => n + img.detections.filter((d) => !d.review).length, 0);
  const found = images.reduce((n, img) => n + img.detections.length, 0);
  mount(
    slot,
    h(
      'a',
      { href: xrayHref(id), id: 'xray-link' },
      `X-ray images (${images.length}) · ${counted(found, 'detection')}`,
      pending > 0 ? `, ${pending} awaiting review` : '',
    ),
  );
}
