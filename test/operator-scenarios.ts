/** The operator, partnership, returns and quality scenarios over the HTTP API, run on SQLite and PostgreSQL. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });

/** POSTs `payload` (with `headers`, if any) to `url` on `a`. */
function post(a: FastifyInstance, url: string, payload?: object, headers?: Record<string, string>) {
  return a.inject({
    method: 'POST',
    url,
    ...(payload === undefined ? {} : { payload }),
    ...(headers === undefined ? {} : { headers }),
  });
}

/** GETs `url` on `a`. */
function get(a: FastifyInstance, url: string) {
  return a.inject({ method: 'GET', url });
}

/** An operator registration: one identifier per `[scheme, value]`, and the contacts given (none by default). */
function operator(
  kind: string,
  name: string,
  country: string,
  identifiers: [string, string][],
  contacts: object[] = [],
) {
  return {
    kind,
    name,
    country,
    identifiers: identifiers.map(([scheme, value]) => ({ scheme, value })),
    contacts,
  };
}

/** Submits `parcel`, reports it delivered, and returns its consignment id. */
async function submitDelivered(a: FastifyInstance, parcel: object): Promise<string> {
  const id = (await post(a, '/v1/consignments', parcel)).json().consignmentId as string;
  await post(a, `/v1/consignments/${id}/carrier-events`, { type: 'delivered' });
  return id;
}

/** Opens a fresh app with the registry on a fresh database. */
export type OpenApp = () => Promise<{ a: FastifyInstance }>;

/** Runs every scenario against apps from `app`. */
export function runOperatorScenarios(name: string, app: OpenApp): void {
  const sellerParcel = (serial: string, eori = 'CN1234567890') => {
    const p = postalItem({}, serial);
    return { ...p, seller: { ...p.seller!, id: { type: 'EORI' as const, value: eori } } };
  };

  test(`${name}: operators: registration validates identifiers, refuses a taken one, and AEO status facilitates until suspended`, async () => {
    const { a } = await app();
    const bad = await post(
      a,
      '/v1/operators',
      operator('seller', 'X', 'CN', [
        ['IOSS', 'IM12'],
        ['EORI', 'QQ123'],
      ]),
    );
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().code, 'operator.invalid');
    assert.deepEqual(
      bad.json().issues.map((i: { path: string; code: string }) => [i.path, i.code]),
      [
        ['/identifiers/0', 'operator.invalid-identifier'],
        ['/identifiers/1', 'operator.invalid-identifier'],
      ],
    );
    const reg = await post(
      a,
      '/v1/operators',
      operator(
        'seller',
        'Shenzhen Bright Trading Co',
        'CN',
        [
          ['EORI', 'cn 1234567890'],
          ['IOSS', 'IM2760000001'],
        ],
        [{ name: 'Li Wei', role: 'customs', email: 'li@example.cn' }],
      ),
    );
    assert.equal(reg.statusCode, 201);
    const op = reg.json();
    assert.deepEqual(op.identifiers[0], { scheme: 'EORI', value: 'CN1234567890' });
    const taken = await post(
      a,
      '/v1/operators',
      operator('seller', 'Other', 'CN', [['EORI', 'CN1234567890']]),
    );
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().code, 'operator.identifier-taken');
    const resolved = await get(a, '/v1/operators/resolve?scheme=IOSS&value=IM2760000001');
    assert.equal(resolved.json().id, op.id);

    const st = await post(
      a,
      `/v1/operators/${op.id}/statuses`,
      {
        level: 'AEOF',
        issuer: 'DE',
        reference: 'DEAEOF1234',
        validFrom: '2026-01-01T00:00:00Z',
        validTo: '2029-01-01T00:00:00Z',
      },
      { 'x-actor': 'officer:aeo-desk' },
    );
    assert.equal(st.statusCode, 201);
    const f = (await get(a, `/v1/operators/${op.id}/facilitation`)).json();
    assert.deepEqual(
      [f.inspectionRateMultiplier, f.priority, f.deferredPayment, f.reducedDataSet],
      [0.2, 'high', true, true],
    );

    const sub = await post(a, '/v1/consignments', sellerParcel('11111111'));
    const c = (await get(a, `/v1/consignments/${sub.json().consignmentId}`)).json();
    const trust = c.assessment.risk.hits.find((h: { id: string }) => h.id === 'operator-trust');
    assert.equal(trust.inputs.inspectionRateMultiplier, 0.2);
    assert.match(c.assessment.snapshotVersion, /trust:/);

    const sus = await post(a, `/v1/statuses/${st.json().id}/actions`, {
      action: 'suspend',
      reason: 'post-audit findings',
      at: '2026-11-01T00:00:00Z',
    });
    assert.equal(sus.json().state, 'suspended');
    const again = await post(a, `/v1/statuses/${st.json().id}/actions`, {
      action: 'suspend',
      reason: 'twice',
    });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'status.transition-not-allowed');
    assert.equal((await get(a, `/v1/operators/${op.id}/facilitation`)).json().inspectionRateMultiplier, 1);
    const statuses = (await get(a, `/v1/operators/${op.id}/statuses?at=2026-10-01T00:00:00Z`)).json();
    assert.equal(statuses.statuses[0].effective, 'in-force');
  });

  test(`${name}: operators: a country that is no ISO 3166-1 alpha-2 code (XX) is refused on registration and update, with the other problems`, async () => {
    const { a } = await app();
    const bad = await post(a, '/v1/operators', operator('seller', 'X', 'XX', [['EORI', 'QQ123']]));
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().code, 'operator.invalid');
    assert.deepEqual(
      bad.json().issues.map((i: { path: string; code: string }) => [i.path, i.code]),
      [
        ['/country', 'country.unknown'],
        ['/identifiers/0', 'operator.invalid-identifier'],
      ],
    );
    assert.match(bad.json().issues[0].message, /"XX" is not an ISO 3166-1 alpha-2 country code/);
    assert.equal((await get(a, '/v1/operators')).json().items.length, 0, 'nothing registered');
    const reg = await post(a, '/v1/operators', operator('seller', 'Unknown seller', 'ZZ', []));
    assert.equal(reg.statusCode, 201, 'ZZ: a country not known');
    const op = reg.json();
    const put = (country: string) =>
      a.inject({
        method: 'PUT',
        url: `/v1/operators/${op.id}`,
        payload: { name: op.name, country, identifiers: [], contacts: [], version: op.version },
      });
    const upd = await put('XX');
    assert.equal(upd.statusCode, 422);
    assert.deepEqual(
      upd.json().issues.map((i: { path: string; code: string }) => [i.path, i.code]),
      [['/country', 'country.unknown']],
    );
    assert.equal((await get(a, `/v1/operators/${op.id}`)).json().country, 'ZZ', 'not half-written');
    assert.equal((await put('VN')).statusCode, 200);
  });

  test(`${name}: compliance: officer findings on the seller's parcels lower its score once the events are processed, with history`, async () => {
    const { a } = await app();
    const op = (
      await post(a, '/v1/operators', operator('seller', 'S', 'CN', [['EORI', 'CN1234567890']]))
    ).json();
    const before = (await get(a, `/v1/operators/${op.id}/compliance`)).json();
    const ids: string[] = [];
    for (const s of ['22222221', '22222222', '22222223'])
      ids.push((await post(a, '/v1/consignments', sellerParcel(s))).json().consignmentId);
    const decide = (id: string, action: string, finding?: string) =>
      post(
        a,
        `/v1/consignments/${id}/decisions`,
        { action, reason: 'x-ray image', ...(finding ? { finding } : {}) },
        { 'x-actor': 'officer:k' },
      );
    assert.equal((await decide(ids[0]!, 'inspect')).statusCode, 200);
    assert.equal((await decide(ids[0]!, 'seize', 'counterfeit')).statusCode, 200);
    const r = await post(a, '/v1/compliance/recompute');
    assert.ok(r.json().processed >= 8, JSON.stringify(r.json()));
    assert.equal((await post(a, '/v1/compliance/recompute')).json().processed, 0, 'each event counts once');
    const after = (await get(a, `/v1/operators/${op.id}/compliance`)).json();
    assert.equal(after.counts.declarations, 3);
    assert.equal(after.counts.seizures, 1);
    assert.equal(after.counts.inspectionFindings, 1);
    assert.ok(after.score.score < before.score.score, `${after.score.score} < ${before.score.score}`);
    assert.equal(after.score.components.length, 5);
    const rated = (
      await post(a, `/v1/operators/${op.id}/ratings`, {
        source: 'platform-seller-rating',
        value: 100,
        weight: 0.5,
      })
    ).json();
    assert.ok(rated.score.score > after.score.score);
    const history = (await get(a, `/v1/operators/${op.id}/compliance/history`)).json();
    assert.ok(history.history.length >= 2);
  });

  test(`${name}: partnership: a registered brand feeds the IPR indicator; a confirmed case notifies the platform, which answers once`, async () => {
    const { a } = await app();
    const platform = (
      await post(a, '/v1/operators', operator('platform', 'Marketplace', 'SG', [['PLATFORM', 'MKT']]))
    ).json();
    const holder = (
      await post(a, '/v1/rights-holders', {
        name: 'Lumora SA',
        country: 'FR',
        contactEmail: 'ipr@lumora.example',
      })
    ).json();
    const brand = await post(a, `/v1/rights-holders/${holder.id}/brands`, {
      name: 'Lumora',
      priceFloorEur: '80.00',
      genuineHints: ['serial number inside the lining'],
      aliases: [],
      authorisedSellers: [],
    });
    assert.equal(brand.statusCode, 201);
    const dup = await post(a, `/v1/rights-holders/${holder.id}/brands`, {
      name: 'LUMORA',
      priceFloorEur: '10',
    });
    assert.equal(dup.json().code, 'brand.exists');
    const p = postalItem({ platform: { id: 'MKT', orderId: 'O-1', sellerId: 'shop-9' } }, '33333331');
    const parcel = {
      ...p,
      items: [
        {
          ...p.items[0]!,
          description: 'Lumora leather handbag',
          hsCode: '420221',
          value: { amount: '9.00', currency: 'EUR' },
          quantity: 1,
        },
      ],
    };
    const id = (await post(a, '/v1/consignments', parcel)).json().consignmentId;
    const c = (await get(a, `/v1/consignments/${id}`)).json();
    assert.ok(
      c.assessment.risk.hits.some((h: { id: string }) => h.id === 'brand-price'),
      'the registered brand is known to the IPR indicator',
    );

    const opened = await post(
      a,
      '/v1/cases',
      {
        kind: 'counterfeit',
        consignmentId: id,
        brandId: brand.json().id,
        listingUrl: 'https://mkt.example/item/9',
        evidence: [{ kind: 'photo', reference: 'img-001.jpg' }],
      },
      { 'x-actor': 'officer:ipr' },
    );
    assert.equal(opened.statusCode, 201);
    const cas = opened.json();
    assert.deepEqual([cas.platformId, cas.sellerId, cas.platformOperatorId], ['MKT', 'shop-9', platform.id]);
    const seizeEarly = await post(a, `/v1/cases/${cas.id}/actions`, {
      action: 'seize',
      reason: 'not yet confirmed',
    });
    assert.equal(seizeEarly.json().code, 'case.transition-not-allowed');
    const confirmed = (
      await post(a, `/v1/cases/${cas.id}/actions`, {
        action: 'confirm',
        reason: 'rights holder opinion: fake',
      })
    ).json();
    assert.equal(confirmed.state, 'confirmed');
    assert.ok(confirmed.sellerOperatorId, 'the seller is registered by its platform seller id');
    const poll = (await get(a, `/v1/platform-notices?platform=${platform.id}`)).json();
    assert.equal(poll.items.length, 1);
    assert.deepEqual(
      [poll.items[0].sellerId, poll.items[0].listingUrl, poll.items[0].brand],
      ['shop-9', 'https://mkt.example/item/9', 'Lumora'],
    );
    await post(a, `/v1/cases/${cas.id}/actions`, { action: 'seize', reason: 'goods detained' });
    const dispose = await post(a, `/v1/cases/${cas.id}/actions`, { action: 'dispose', reason: 'destroyed' });
    assert.equal(dispose.json().code, 'case.disposal-required');
    await post(a, `/v1/cases/${cas.id}/actions`, {
      action: 'dispose',
      reason: 'destroyed under supervision',
      disposal: 'destroyed',
    });
    const next = (await get(a, `/v1/platform-notices?platform=${platform.id}&after=${poll.cursor}`)).json();
    assert.equal(
      next.items[0].outcome,
      'goods seized and disposed of',
      'the outcome update is delivered on the next poll',
    );
    const wrong = await post(
      a,
      `/v1/platform-notices/${next.items[0].id}/answer`,
      { action: 'no-action' },
      { 'x-operator-id': 'opr_other' },
    );
    assert.equal(wrong.statusCode, 403);
    const ans = await post(
      a,
      `/v1/platform-notices/${next.items[0].id}/answer`,
      { action: 'seller-suspended', note: 'account closed' },
      { 'x-operator-id': platform.id },
    );
    assert.equal(ans.json().answer.action, 'seller-suspended');
    const twice = await post(
      a,
      `/v1/platform-notices/${next.items[0].id}/answer`,
      { action: 'listing-removed' },
      { 'x-operator-id': platform.id },
    );
    assert.equal(twice.json().code, 'notice.already-answered');
    const hist = (await get(a, `/v1/operators/${confirmed.sellerOperatorId}/enforcement`)).json();
    assert.equal(hist.confirmedCases, 1);
    assert.equal(hist.answers[0].action, 'seller-suspended');
    const f = (await get(a, `/v1/operators/${confirmed.sellerOperatorId}/facilitation`)).json();
    assert.equal(f.addedRiskPoints, 15, "the seller's enforcement history feeds risk");
    const later = (
      await post(a, '/v1/consignments', {
        ...postalItem({ platform: { id: 'MKT', orderId: 'O-2', sellerId: 'shop-9' } }, '33333332'),
      })
    ).json();
    const lc = (await get(a, `/v1/consignments/${later.consignmentId}`)).json();
    assert.equal(
      lc.assessment.risk.hits.find((h: { id: string }) => h.id === 'operator-trust').inputs.addedRiskPoints,
      15,
    );
  });

  test(`${name}: returns: a delivered parcel sent back is linked to its consignment, repays border VAT after re-export, and is counted by platform`, async () => {
    const { a } = await app();
    const id = await submitDelivered(a, postalItem({}, '44444441'));
    const c = (await get(a, `/v1/consignments/${id}`)).json();
    const border = c.assessment.revenue.lines.filter(
      (l: { collectedBy: string; type: string }) => l.collectedBy === 'border' && l.type !== 'fee',
    );
    const reg = await post(
      a,
      '/v1/returns',
      { consignmentId: id, kind: 'returned-by-buyer', reason: 'not-as-described' },
      { 'x-actor': 'carrier:dhl' },
    );
    assert.equal(reg.statusCode, 201, reg.body);
    const ret = reg.json();
    const sum = border.reduce(
      (s: number, l: { amount: string }) => s + Math.round(Number(l.amount) * 100),
      0,
    );
    assert.equal(Math.round(Number(ret.refund.repayable) * 100), sum);
    assert.ok(sum > 0, 'the parcel paid VAT at the border');
    assert.equal((await get(a, `/v1/consignments/${id}`)).json().state, 'returned');
    const claimEarly = await post(a, `/v1/returns/${ret.id}/actions`, { action: 'claim-refund' });
    assert.equal(claimEarly.json().code, 'return.transition-not-allowed');
    const noRef = await post(a, `/v1/returns/${ret.id}/actions`, { action: 're-export' });
    assert.equal(noRef.json().code, 'return.export-reference-required');
    for (const step of [
      { action: 're-export', exportReference: 'RR123456785DE' },
      { action: 'claim-refund' },
      { action: 'approve-refund' },
      { action: 'pay-refund', paymentReference: 'PAY-1' },
      { action: 'close' },
    ]) {
      const res = await post(a, `/v1/returns/${ret.id}/actions`, step);
      assert.equal(res.statusCode, 200, res.body);
    }
    const again = await post(a, '/v1/returns', { consignmentId: id, kind: 'refused', reason: 'other' });
    assert.equal(again.statusCode, 409);
    const stats = (await get(a, '/v1/returns/stats?from=2026-11-01&to=2026-12-01')).json();
    assert.equal(stats.total, 1);
    assert.equal(stats.by.platform.MKT.returns, 1);
    assert.equal(stats.by.reason['not-as-described'].returns, 1);
  });

  test(`${name}: returns: items sent back in two returns repay every line once, the consignment-level ones with the return that completes the set`, async () => {
    const { a } = await app();
    const p = postalItem({}, '44444442');
    const two = {
      ...p,
      items: [
        { ...p.items[0]!, value: { amount: '90.00', currency: 'EUR' } },
        {
          ...p.items[0]!,
          description: 'Cotton scarf, woven',
          hsCode: '621420',
          value: { amount: '50.00', currency: 'EUR' },
        },
      ],
    };
    const id = await submitDelivered(a, two);
    const c = (await get(a, `/v1/consignments/${id}`)).json();
    const cents = (x: string) => Math.round(Number(x) * 100);
    const border = c.assessment.revenue.lines.filter(
      (l: { collectedBy: string; type: string }) => l.collectedBy === 'border' && l.type !== 'fee',
    );
    assert.ok(
      border.some((l: { itemIndex?: number }) => l.itemIndex === undefined),
      'the parcel has a consignment-level border line',
    );
    const total = border.reduce((s: number, l: { amount: string }) => s + cents(l.amount), 0);
    const first = await post(a, '/v1/returns', {
      consignmentId: id,
      kind: 'returned-by-buyer',
      reason: 'damaged',
      itemIndexes: [0],
    });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(
      (await get(a, `/v1/consignments/${id}`)).json().state,
      'released',
      'the item kept by the buyer stays released: a partial return does not return the whole parcel',
    );
    const second = await post(a, '/v1/returns', {
      consignmentId: id,
      kind: 'returned-by-buyer',
      reason: 'damaged',
      itemIndexes: [1],
    });
    assert.equal(second.statusCode, 201, second.body);
    assert.equal(
      cents(first.json().refund.repayable) + cents(second.json().refund.repayable),
      total,
      'together the two returns repay every border line of the parcel, each once',
    );
    assert.equal((await get(a, `/v1/consignments/${id}`)).json().state, 'returned');
  });

  test(`${name}: returns: a seller known by its EORI (no platform seller id) is counted as that seller`, async () => {
    const { a } = await app();
    const op = (
      await post(
        a,
        '/v1/operators',
        operator('seller', 'Shenzhen Bright Trading Co', 'CN', [['EORI', 'CN1234567890']]),
      )
    ).json();
    const id = await submitDelivered(a, sellerParcel('44444444'));
    const ret = await post(a, '/v1/returns', {
      consignmentId: id,
      kind: 'returned-by-buyer',
      reason: 'changed-mind',
    });
    assert.equal(ret.statusCode, 201, ret.body);
    assert.equal(ret.json().sellerOperatorId, op.id);
    const stats = (await get(a, '/v1/returns/stats?from=2026-11-01&to=2026-12-01')).json();
    assert.equal(stats.by.seller['EORI:CN1234567890']?.returns, 1, JSON.stringify(stats.by.seller));
  });

  test(`${name}: returns: a return dated with a UTC offset is counted in the UTC period it falls in`, async () => {
    const { a } = await app();
    // Delivered early on the 27th (UTC); returned the evening of the 26th in New York, which is later.
    const id = (await post(a, '/v1/consignments', postalItem({}, '44444445'))).json().consignmentId as string;
    await post(a, `/v1/consignments/${id}/carrier-events`, { type: 'delivered', at: '2026-11-27T04:00:00Z' });
    const ret = await post(a, '/v1/returns', {
      consignmentId: id,
      kind: 'returned-by-buyer',
      reason: 'damaged',
      applyClearanceEvent: false,
      at: '2026-11-26T23:30:00-05:00',
    });
    assert.equal(ret.statusCode, 201, ret.body);
    assert.equal(ret.json().registeredAt, '2026-11-27T04:30:00.000Z');
    const stats = async (from: string, to: string) =>
      (await get(a, `/v1/returns/stats?from=${from}&to=${to}`)).json().total;
    assert.equal(await stats('2026-11-26', '2026-11-27'), 0);
    assert.equal(await stats('2026-11-27', '2026-11-28'), 1);
  });

  test(`${name}: returns: two registrations of the same items at the same moment record one return`, async () => {
    const { a } = await app();
    const id = await submitDelivered(a, postalItem({}, '44444443'));
    const body = {
      consignmentId: id,
      kind: 'returned-by-buyer',
      reason: 'damaged',
      applyClearanceEvent: false,
    };
    const answers = await Promise.all([0, 1, 2].map(() => post(a, '/v1/returns', body)));
    assert.deepEqual(
      answers.map((r) => r.statusCode).sort(),
      [201, 409, 409],
      answers.map((r) => r.body).join('\n'),
    );
    const list = (await get(a, `/v1/returns?consignment=${id}`)).json();
    assert.equal(list.items.length, 1, 'one return, so one refund');
  });

  test(`${name}: quality: scorecards per submitter with a trend, and 503 without the registry`, async () => {
    const { a } = await app();
    for (const s of ['55555551', '55555552'])
      await post(
        a,
        '/v1/consignments',
        postalItem(
          {
            consignee: {
              name: 'Anna Schmidt',
              address: { street: 'Hauptstrasse 5', city: 'Berlin', postcode: '10115', country: 'DE' },
            },
          },
          s,
        ),
        { 'x-submitter-id': 'opr_post' },
      );
    const q = (await get(a, '/v1/quality/scorecards?from=2026-11-27&to=2026-11-28')).json();
    const card = q.submitters.find((s: { submitterId: string }) => s.submitterId === 'opr_post');
    assert.equal(card.overall.records, 2);
    assert.equal(card.overall.missingByElement['consignee.contact'], 2);
    assert.ok(card.overall.completeness < 1);
    assert.equal(card.trend.length, 1);
    for (const url of [
      '/v1/quality/scorecards?from=2026-11-28&to=2026-11-27',
      '/v1/returns/stats?from=2026-12-01&to=2026-11-01',
      '/v1/returns?from=yesterday',
    ]) {
      const bad = await get(a, url);
      assert.equal(
        bad.statusCode,
        400,
        `${url}: an inverted or unreadable range is an error, not an empty answer`,
      );
      assert.equal(bad.json().code, 'request.invalid');
      assert.match(bad.json().issues[0].path, /^\/(from|to)$/);
    }
    const store = openSqliteStore({ memory: true });
    const bare = await buildApp({ store, snapshot: () => snapshot });
    const r = await bare.inject({ method: 'GET', url: '/v1/operators' });
    assert.equal(r.statusCode, 503);
    assert.equal(r.json().code, 'registry.unavailable');
  });
}
