/**
 * Seeds the registry of a console test server through the API: the busiest platform of the generated
 * parcels and one of its sellers (with an AEO certificate and a rating), compliance scores from the
 * event log, a protected brand, and a confirmed counterfeit case on one of the seller's consignments.
 */
import type { FastifyInstance } from 'fastify';

export interface SeededRegistry {
  platformId: string;
  sellerOperatorId: string;
  caseId: string;
  consignmentId: string;
}

async function call<T>(
  app: FastifyInstance,
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
): Promise<T> {
  const r = await app.inject({
    method,
    url,
    headers: { 'x-actor': 'officer:seed' },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
  return r.json() as T;
}

export async function seedRegistry(app: FastifyInstance): Promise<SeededRegistry> {
  // The busiest platform seller among the stored consignments.
  const counts = new Map<string, { platform: string; seller: string; ids: string[] }>();
  let cursor: string | null = null;
  do {
    const page: { items: { id: string }[]; nextCursor: string | null } = await call(
      app,
      'GET',
      `/v1/consignments?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    for (const item of page.items) {
      const c = await call<{ merged: { platform?: { id?: string; sellerId?: string } } }>(
        app,
        'GET',
        `/v1/consignments/${item.id}`,
      );
      const p = c.merged.platform;
      if (!p?.id || !p.sellerId) continue;
      const key = `${p.id}/${p.sellerId}`;
      const e = counts.get(key) ?? { platform: p.id, seller: p.sellerId, ids: [] };
      e.ids.push(item.id);
      counts.set(key, e);
    }
    cursor = page.nextCursor;
  } while (cursor && counts.size < 400);
  const top = [...counts.values()].sort((a, b) => b.ids.length - a.ids.length)[0];
  if (top === undefined) throw new Error('no platform seller among the generated parcels');
  const platform = await call<{ id: string }>(app, 'POST', '/v1/operators', {
    kind: 'platform',
    name: `Marketplace ${top.platform}`,
    country: 'SG',
    identifiers: [{ scheme: 'PLATFORM', value: top.platform }],
    contacts: [{ name: 'Trust and safety desk', role: 'IPR', email: 'ipr@marketplace.example' }],
  });
  const seller = await call<{ id: string }>(app, 'POST', '/v1/operators', {
    kind: 'seller',
    name: 'Shenzhen Bright Trading Co',
    country: 'CN',
    platformId: platform.id,
    identifiers: [{ scheme: 'PLATFORM-SELLER', value: `${top.platform}/${top.seller}` }],
    contacts: [{ name: 'Li Wei', role: 'customs', email: 'li@bright.example' }],
  });
  await call(app, 'POST', `/v1/operators/${seller.id}/statuses`, {
    level: 'AEOF',
    issuer: 'DE',
    reference: 'DEAEOF0042',
    validFrom: '2026-01-01T00:00:00Z',
    validTo: '2029-01-01T00:00:00Z',
  });
  await call(app, 'POST', `/v1/operators/${seller.id}/ratings`, {
    source: 'platform-seller-rating',
    value: 92,
    weight: 1,
  });
  await call(app, 'POST', '/v1/compliance/recompute');
  const holder = await call<{ id: string }>(app, 'POST', '/v1/rights-holders', {
    name: 'Lumora SA',
    country: 'FR',
    contactEmail: 'ipr@lumora.example',
  });
  const brand = await call<{ id: string }>(app, 'POST', `/v1/rights-holders/${holder.id}/brands`, {
    name: 'Lumora',
    priceFloorEur: '80.00',
    genuineHints: ['serial number inside the lining'],
    aliases: [],
    authorisedSellers: [],
  });
  const consignmentId = top.ids[0]!;
  const opened = await call<{ id: string }>(app, 'POST', '/v1/cases', {
    kind: 'counterfeit',
    consignmentId,
    brandId: brand.id,
    listingUrl: 'https://marketplace.example/item/9',
    evidence: [{ kind: 'photo', reference: 'img-001.jpg' }],
  });
  await call(app, 'POST', `/v1/cases/${opened.id}/actions`, {
    action: 'confirm',
    reason: 'rights holder opinion: not genuine',
  });
  return { platformId: platform.id, sellerOperatorId: seller.id, caseId: opened.id, consignmentId };
}
