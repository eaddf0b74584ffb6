/** Screening endpoints: upload and list a consignment's scanner images, image bytes, reviews, queue, label export. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ParcelgateError } from '../domain/index.js';
import type { PipelineDeps, RequestContext } from '../clearance/index.js';
import { threatClasses } from './categories.js';
import {
  exportLabels,
  getImage,
  getImageContent,
  listImages,
  reviewImage,
  reviewQueue,
  submitImage,
  type ReviewInput,
  type ScreeningDeps,
} from './service.js';
import { labelVerdicts } from './store/port.js';
import { defaultImageLimits, imageMediaTypes } from './validate-image.js';
import { requestIdentity } from '../access/index.js';

type Deps = PipelineDeps & { clock: () => Date; screening?: ScreeningDeps };

const literalUnion = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const consignmentParam = Type.Object({ id: Type.String({ description: 'Consignment id (csg_…)' }) });
const imageParam = Type.Object({ imageId: Type.String({ description: 'Scanner image id (img_…)' }) });
const BoxSchema = Type.Object(
  {
    x0: Type.Integer({ minimum: 0 }),
    y0: Type.Integer({ minimum: 0 }),
    x1: Type.Integer({ minimum: 0 }),
    y1: Type.Integer({ minimum: 0 }),
  },
  {
    additionalProperties: false,
    description: 'Pixels of the original image: top-left inclusive, bottom-right exclusive',
  },
);

function context(req: FastifyRequest, deps: Deps, role: 'submitter' | 'officer'): RequestContext {
  const { actor, submitterId } = requestIdentity(req, role);
  return { actor, submitterId, now: deps.clock().toISOString(), requestId: req.id };
}

function screening(deps: Deps): ScreeningDeps {
  if (!deps.screening)
    throw new ParcelgateError(
      'screening.not-configured',
      'image screening is not configured on this server',
      503,
    );
  return deps.screening;
}

/** Registers the screening endpoints (they answer 503 screening.not-configured when `deps.screening` is absent). */
export function registerScreeningRoutes(app: FastifyInstance, deps: Deps): void {
  const maxBytes = deps.screening?.limits?.maxBytes ?? defaultImageLimits.maxBytes;
  // The upload takes raw bytes of any media type: the magic bytes decide, and a mislabelled or
  // unsupported image gets a screening.* problem instead of a generic 415.
  void app.register(async (scope) => {
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler((err) => {
      if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        throw new ParcelgateError(
          'screening.image-too-large',
          `the image exceeds the limit of ${maxBytes} bytes`,
          413,
          { limitBytes: maxBytes },
        );
      }
      throw err;
    });
    scope.post(
      '/v1/consignments/:id/images',
      {
        schema: {
          tags: ['screening'],
          summary:
            'Upload a scanner image (PNG or JPEG bytes as the body) for a consignment; it is screened on receipt',
          description:
            'The body is the image file itself (Content-Type image/png, image/jpeg or application/octet-stream). ' +
            'The type is checked by magic bytes, the dimensions from the header, then the image is decoded. Detections ' +
            'raise a screening indicator on the consignment (event consignment.screening-alert) and move it to inspection ' +
            'when its state allows. 201 when stored, 200 when the same bytes were already stored for this consignment.',
          params: consignmentParam,
          querystring: Type.Object({
            scanner: Type.Optional(Type.String({ maxLength: 60, description: 'Scanner or station id' })),
          }),
        },
      },
      async (req, reply) => {
        const body = req.body;
        if (body !== undefined && body !== null && !Buffer.isBuffer(body)) {
          throw new ParcelgateError(
            'screening.image-unsupported-type',
            'only PNG and JPEG images are accepted; the body was sent as JSON',
            415,
            { detected: 'JSON' },
          );
        }
        const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
        const r = await submitImage(
          context(req, deps, 'submitter'),
          deps.store,
          screening(deps),
          (req.params as { id: string }).id,
          bytes,
          req.headers['content-type'],
          (req.query as { scanner?: string }).scanner ?? null,
        );
        return reply.code(r.created ? 201 : 200).send(r);
      },
    );
  });

  app.get(
    '/v1/consignments/:id/images',
    {
      schema: {
        tags: ['screening'],
        summary: "A consignment's scanner images with detections (boxes in pixels and fractions) and reviews",
        params: consignmentParam,
      },
    },
    async (req) => {
      const id = (req.params as { id: string }).id;
      return { consignmentId: id, images: await listImages(deps.store, screening(deps), id) };
    },
  );

  app.get(
    '/v1/screening/images/:imageId',
    {
      schema: {
        tags: ['screening'],
        summary: 'One scanner image with detections and reviews',
        params: imageParam,
      },
    },
    async (req) => getImage(screening(deps), (req.params as { imageId: string }).imageId),
  );

  app.get(
    '/v1/screening/images/:imageId/content',
    {
      schema: {
        tags: ['screening'],
        summary: 'The image file as received (PNG or JPEG)',
        params: imageParam,
      },
    },
    async (req, reply) => {
      const { image, bytes } = await getImageContent(
        screening(deps),
        (req.params as { imageId: string }).imageId,
      );
      const etag = `"${image.sha256}"`;
      reply.header('etag', etag).header('cache-control', 'private, max-age=31536000, immutable');
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type(imageMediaTypes[image.format]).send(bytes);
    },
  );

  app.post(
    '/v1/screening/images/:imageId/reviews',
    {
      schema: {
        tags: ['screening'],
        summary:
          "Record an officer's review of an image: confirm or reject a detection, or add a missed object",
        description:
          'Stored append-only as a training label (see GET /v1/screening/labels). The officer is the X-Actor header.',
        params: imageParam,
        body: Type.Object(
          {
            verdict: literalUnion(labelVerdicts),
            detectionId: Type.Optional(Type.String()),
            class: Type.Optional(literalUnion(threatClasses)),
            box: Type.Optional(BoxSchema),
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const label = await reviewImage(
        context(req, deps, 'officer'),
        screening(deps),
        (req.params as { imageId: string }).imageId,
        req.body as ReviewInput,
      );
      return reply.code(201).send(label);
    },
  );

  app.get(
    '/v1/screening/queue',
    {
      schema: {
        tags: ['screening'],
        summary:
          "The officer's image queue: images with detections not yet reviewed, oldest first, with the consignment state",
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
      },
    },
    async (req) =>
      reviewQueue(deps.store, screening(deps), Number((req.query as { limit?: number }).limit ?? 50)),
  );

  app.get(
    '/v1/screening/labels',
    {
      schema: {
        tags: ['screening'],
        summary: 'Review labels for retraining, in creation order (page with ?after=<next>)',
        querystring: Type.Object({
          after: Type.Optional(Type.String()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 1000 })),
        }),
      },
    },
    async (req) => {
      const q = req.query as { after?: string; limit?: number };
      return exportLabels(screening(deps), q.after, Number(q.limit ?? 1000));
    },
  );

  app.get(
    '/v1/screening/model',
    {
      schema: {
        tags: ['screening'],
        summary: 'The screening model in use: id, version, categories and thresholds',
      },
    },
    async () => {
      const s = screening(deps);
      return {
        model: s.detector?.info ?? null,
        categories: threatClasses,
        limits: s.limits ?? defaultImageLimits,
      };
    },
  );
}
