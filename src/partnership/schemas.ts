/** Platform partnership schemas: rights holders, protected brands, cases, evidence, notices and answers. */
import { Type, type Static } from '@sinclair/typebox';

const Decimal = Type.String({
  pattern: '^\\d{1,9}(\\.\\d{1,2})?$',
  description: 'Exact amount, e.g. "30.00"',
});

export const RightsHolderInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    contactEmail: Type.String({ maxLength: 200, pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' }),
    applicationReference: Type.Optional(
      Type.String({
        maxLength: 80,
        description: 'Application for action (e.g. EU Regulation 608/2013) reference',
      }),
    ),
    validTo: Type.Optional(
      Type.String({ format: 'date-time', description: 'End of the application for action' }),
    ),
  },
  { additionalProperties: false },
);
export type RightsHolderInput = Static<typeof RightsHolderInput>;

export const BrandInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    aliases: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 30, default: [] }),
    nameInDescription: Type.Boolean({
      default: true,
      description: 'False when the bare name is a common word: then only aliases and the brand field match',
    }),
    priceFloorEur: Type.String({
      ...Decimal,
      description: 'Unit value (EUR) below which a genuine article is implausible',
    }),
    genuineHints: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), {
      maxItems: 30,
      default: [],
      description: 'How to tell the genuine product: labels, serial formats, packaging, authorised channels',
    }),
    authorisedSellers: Type.Array(
      Type.String({
        maxLength: 160,
        // One "/" between a platform code and a seller id, neither empty: anything else never matches a parcel.
        pattern: '^\\s*[^/\\s][^/]*/\\s*[^/\\s][^/]*$',
        description: '"platformCode/sellerId"; compared case-insensitively, trimmed, Unicode-normalised',
      }),
      {
        maxItems: 200,
        default: [],
        description:
          'Platform seller keys ("platformCode/sellerId") authorised to sell the brand: their parcels, vouched for by the platform\'s order record, are not flagged on the price floor unless below a quarter of it',
      },
    ),
  },
  { additionalProperties: false },
);
export type BrandInput = Static<typeof BrandInput>;

export const Evidence = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('photo'),
      Type.Literal('x-ray'),
      Type.Literal('lab-report'),
      Type.Literal('rights-holder-opinion'),
      Type.Literal('listing-capture'),
      Type.Literal('note'),
    ]),
    reference: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'Document or file reference, or the note',
    }),
    sha256: Type.Optional(
      Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Digest of the evidence file' }),
    ),
  },
  { additionalProperties: false },
);
export type Evidence = Static<typeof Evidence>;

export const CaseInput = Type.Object(
  {
    kind: Type.Union([Type.Literal('counterfeit'), Type.Literal('unsafe')]),
    consignmentId: Type.Optional(Type.String({ description: 'Consignment the goods travelled in (csg_…)' })),
    brandId: Type.Optional(Type.String({ description: 'Protected brand (brd_…) for a counterfeit case' })),
    hazard: Type.Optional(
      Type.String({ maxLength: 200, description: 'For unsafe goods: the hazard or failed standard' }),
    ),
    platformId: Type.Optional(
      Type.String({ maxLength: 60, description: 'Platform code (default from the consignment)' }),
    ),
    sellerId: Type.Optional(
      Type.String({
        maxLength: 80,
        description: "Seller's id on the platform (default from the consignment)",
      }),
    ),
    listingUrl: Type.Optional(Type.String({ maxLength: 500, pattern: '^https?://' })),
    evidence: Type.Array(Evidence, { maxItems: 50, default: [] }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type CaseInput = Static<typeof CaseInput>;

export const caseActions = ['confirm', 'dismiss', 'seize', 'dispose'] as const;
export type CaseAction = (typeof caseActions)[number];

export const CaseActionInput = Type.Object(
  {
    action: Type.Union(caseActions.map((a) => Type.Literal(a))),
    reason: Type.String({ minLength: 3, maxLength: 2000 }),
    disposal: Type.Optional(
      Type.Union([
        Type.Literal('destroyed'),
        Type.Literal('recycled'),
        Type.Literal('donated'),
        Type.Literal('returned-to-rights-holder'),
      ]),
    ),
    at: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type CaseActionInput = Static<typeof CaseActionInput>;

export const NoticeAnswer = Type.Object(
  {
    action: Type.Union([
      Type.Literal('listing-removed'),
      Type.Literal('seller-suspended'),
      Type.Literal('seller-warned'),
      Type.Literal('no-action'),
      Type.Literal('disputed'),
    ]),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    at: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type NoticeAnswer = Static<typeof NoticeAnswer>;
