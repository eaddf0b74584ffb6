import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../api/index.js';
import { loadSnapshot } from '../clearance/index.js';
import { openPostgresStore, openSqliteStore } from '../store/index.js';
import { dropSchemas, freshSchemaName, pgTestTarget } from '../store/postgres/testing/pg-test-env.js';
import { postalItem } from '../testing/consignments.js';
import { Prng } from '../sim/prng.js';
import type { Detection } from './categories.js';
import type { Detector } from './detector.js';
import { generateImage } from './generate.js';
import { encodeJpeg, encodePng, type RgbImage } from './raster.js';
import { openPostgresScreeningStore } from './store/postgres.js';
import { openSqliteScreeningStore } from './store/sqlite.js';

const snapshot = loadSnapshot({ randomRate: 0 });

/** A stand-in detector: reports a knife in every image wider than 200 pixels. */
const fakeDetector: Detector = {
  info: {
    id: 'fake',
    version: '0',
    classes: ['knife'],
    thresholds: { knife: 0.5 } as Detector['info']['thresholds'],
  },
  async detect(img: RgbImage): Promise<Detection[]> {
    return img.width > 200 ? [{ class: 'knife', score: 0.91, box: { x0: 10, y0: 20, x1: 110, y1: 60 } }] : [];
  },
  async close() {},
};

async function setup(withScreening = true) {
  const store = openSqliteStore({ memory: true });
  const screeningStore = openSqliteScreeningStore({ memory: true });
  let now = Date.parse('2026-11-29T10:00:00Z');
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date((now += 1000)),
    ...(withScreening ? { screening: { store: screeningStore, detector: fakeDetector } } : {}),
  });
  const created = await app.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem() });
  assert.equal(created.statusCode, 201);
  return { app, id: created.json().consignmentId as string, state: created.json().state as string };
}

const image = (width: number) => generateImage(new Prng(`api-${width}`), { width, height: 160 }).image;

describe('screening API', () => {
  it('round trip: upload, alert and hold, list with overlays, fetch bytes, review, queue, export', async () => {
    const { app, id } = await setup();
    const png = encodePng(image(240));
    const up = await app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/images?scanner=lane-2`,
      headers: { 'content-type': 'image/png', 'x-submitter-id': 'scanner:lane-2' },
      payload: png,
    });
    assert.equal(up.statusCode, 201, up.body);
    const body = up.json();
    assert.equal(body.created, true);
    assert.equal(body.image.width, 240);
    assert.equal(body.image.scanner, 'lane-2');
    assert.equal(body.image.detections.length, 1);
    assert.deepEqual(body.image.detections[0].box, { x0: 10, y0: 20, x1: 110, y1: 60 });
    assert.deepEqual(body.image.detections[0].boxNormalized, {
      x0: 0.0417,
      y0: 0.125,
      x1: 0.4583,
      y1: 0.375,
    });
    assert.equal(body.alert.indicator.id, 'screening.knife');
    assert.equal(body.alert.to, 'held-for-inspection');

    // the consignment moved to inspection through the state table, with the indicator in its event log
    const c = (await app.inject({ method: 'GET', url: `/v1/consignments/${id}` })).json();
    assert.equal(c.state, 'held-for-inspection');
    const events = (await app.inject({ method: 'GET', url: `/v1/consignments/${id}/events` })).json().events;
    const alert = events.find((e: { type: string }) => e.type === 'consignment.screening-alert');
    assert.equal(alert.data.indicator.inputs.imageId, body.image.id);
    assert.equal(alert.actor, 'screening:fake');
    assert.ok(
      events.some((e: { type: string; data: { trigger?: string } }) => e.data?.trigger === 'officer.inspect'),
    );

    // the same bytes again: stored once, no second alert
    const again = await app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/images`,
      headers: { 'content-type': 'image/png' },
      payload: png,
    });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().image.id, body.image.id);
    assert.equal(again.json().alert, null);

    // a JPEG without detections
    const jpg = await app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/images`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: encodeJpeg(image(180)),
    });
    assert.equal(jpg.statusCode, 201);
    assert.equal(jpg.json().image.format, 'jpeg');
    assert.equal(jpg.json().alert, null);

    const list = (await app.inject({ method: 'GET', url: `/v1/consignments/${id}/images` })).json();
    assert.deepEqual(
      list.images.map((i: { format: string; reviewPending: boolean }) => [i.format, i.reviewPending]),
      [
        ['png', true],
        ['jpeg', false],
      ],
    );
    const content = await app.inject({ method: 'GET', url: list.images[0].contentUrl });
    assert.equal(content.statusCode, 200);
    assert.equal(content.headers['content-type'], 'image/png');
    assert.deepEqual(content.rawPayload, png);
    const cached = await app.inject({
      method: 'GET',
      url: list.images[0].contentUrl,
      headers: { 'if-none-match': content.headers.etag as string },
    });
    assert.equal(cached.statusCode, 304);

    const queue = (await app.inject({ method: 'GET', url: '/v1/screening/queue' })).json();
    assert.deepEqual(
      queue.items.map((q: { image: { id: string } }) => q.image.id),
      [body.image.id],
    );
    assert.equal(queue.items[0].consignment.state, 'held-for-inspection');

    const detectionId = body.image.detections[0].id;
    const review = await app.inject({
      method: 'POST',
      url: `/v1/screening/images/${body.image.id}/reviews`,
      headers: { 'x-actor': 'officer:lee' },
      payload: { verdict: 'confirmed', detectionId, note: 'kitchen knife' },
    });
    assert.equal(review.statusCode, 201, review.body);
    assert.equal(review.json().actor, 'officer:lee');
    const added = await app.inject({
      method: 'POST',
      url: `/v1/screening/images/${body.image.id}/reviews`,
      headers: { 'x-actor': 'officer:lee' },
      payload: { verdict: 'added', class: 'battery-pack', box: { x0: 100, y0: 100, x1: 150, y1: 140 } },
    });
    assert.equal(added.statusCode, 201, added.body);
    const after = (await app.inject({ method: 'GET', url: `/v1/screening/images/${body.image.id}` })).json();
    assert.equal(after.detections[0].review.verdict, 'confirmed');
    assert.equal(after.added[0].class, 'battery-pack');
    assert.equal(after.reviewPending, false);
    assert.deepEqual((await app.inject({ method: 'GET', url: '/v1/screening/queue' })).json().items, []);

    const exported = (await app.inject({ method: 'GET', url: '/v1/screening/labels' })).json();
    assert.deepEqual(
      exported.items.map((l: { verdict: string; class: string; imageSha256: string }) => [
        l.verdict,
        l.class,
        l.imageSha256.length,
      ]),
      [
        ['confirmed', 'knife', 64],
        ['added', 'battery-pack', 64],
      ],
    );
  });

  it('answers specific problems for bad uploads and reviews', async () => {
    const { app, id } = await setup();
    const gif = await app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/images`,
      headers: { 'content-type': 'image/gif' },
      payload: Buffer.from('GIF89a\u0001\u0000\u0001\u0000'),
    });
    assert.equal(gif.statusCode, 415);
    assert.equal(gif.json().code, 'screening.image-unsupported-type');
    assert.match(gif.headers['content-type'] as string, /application\/problem\+json/);
    const mismatch = await app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/images`,
      headers: { 'content-type': 'image/jpeg' },
      payload: encodePng(image(64)),
    });
    assert.equal(mismatch.json().code, 'screening.image-type-mismatch');
    const json = await app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/images`,
      payload: { image: 'x' },
    });
    assert.equal(json.statusCode, 415);
    assert.equal(json.json().code, 'screening.image-unsupported-type');
    const empty = await app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/images`,
      headers: { 'content-type': 'image/png' },
    });
    assert.equal(empty.json().code, 'screening.image-empty');
    const missing = await app.inject({
      method: 'POST',
      url: '/v1/consignments/csg_nope/images',
      headers: { 'content-type': 'image/png' },
      payload: encodePng(image(64)),
    });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'consignment.not-found');
    const up = (
      await app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/images`,
        headers: { 'content-type': 'image/png' },
        payload: encodePng(image(240)),
      })
    ).json();
    const outside = await app.inject({
      method: 'POST',
      url: `/v1/screening/images/${up.image.id}/reviews`,
      payload: { verdict: 'added', class: 'gun', box: { x0: 0, y0: 0, x1: 999, y1: 10 } },
    });
    assert.equal(outside.statusCode, 400);
    assert.equal(outside.json().code, 'screening.label-invalid');
    assert.equal(outside.json().path, '/box');
    const noDetection = await app.inject({
      method: 'POST',
      url: `/v1/screening/images/${up.image.id}/reviews`,
      payload: { verdict: 'rejected' },
    });
    assert.equal(noDetection.json().code, 'screening.label-invalid');
    const wrongDetection = await app.inject({
      method: 'POST',
      url: `/v1/screening/images/${up.image.id}/reviews`,
      payload: { verdict: 'rejected', detectionId: 'det_x' },
    });
    assert.equal(wrongDetection.statusCode, 404);
    assert.equal(wrongDetection.json().code, 'screening.detection-not-found');
    const unknown = await app.inject({ method: 'GET', url: '/v1/screening/images/img_nope/content' });
    assert.equal(unknown.json().code, 'screening.image-not-found');
  });

  it('answers 503 screening.not-configured when the server has no screening store', async () => {
    const { app, id } = await setup(false);
    const res = await app.inject({ method: 'GET', url: `/v1/consignments/${id}/images` });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().code, 'screening.not-configured');
  });
});

const pg = pgTestTarget();
describe('screening API on PostgreSQL', { skip: pg.skip }, () => {
  it('stores the image, raises the alert and moves the consignment in one database', async () => {
    const url = pg.url!;
    const schema = freshSchemaName('screenapi');
    const store = await openPostgresStore({ url, schema });
    const screeningStore = await openPostgresScreeningStore({ url, schema });
    try {
      const app = await buildApp({
        store,
        snapshot: () => snapshot,
        clock: () => new Date('2026-11-29T10:00:00Z'),
        screening: { store: screeningStore, detector: fakeDetector },
      });
      const id = (await app.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem() })).json()
        .consignmentId as string;
      const up = await app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/images`,
        headers: { 'content-type': 'image/png' },
        payload: encodePng(image(240)),
      });
      assert.equal(up.statusCode, 201, up.body);
      assert.equal(up.json().alert.to, 'held-for-inspection');
      assert.equal((await store.get(id))?.state, 'held-for-inspection');
      const list = (await app.inject({ method: 'GET', url: `/v1/consignments/${id}/images` })).json();
      assert.equal(list.images[0].detections[0].class, 'knife');
      await app.close();
    } finally {
      await screeningStore.close();
      await store.close();
      await dropSchemas(url, [schema]);
    }
  });
});
