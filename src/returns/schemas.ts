/** Returns: returned and refused parcels, re-export, refund claims. */
import { Type, type Static } from '@sinclair/typebox';

export const ReturnKind = Type.Union(
  [
    Type.Literal('refused'),
    Type.Literal('undeliverable'),
    Type.Literal('returned-by-buyer'),
    Type.Literal('customs-return'),
  ],
  {
    description:
      'refused by the consignee, undeliverable, sent back by the buyer after delivery (distance-selling return), returned on a customs decision',
  },
);
export type ReturnKind = Static<typeof ReturnKind>;

export const ReturnReason = Type.Union(
  [
    Type.Literal('duties-not-accepted'),
    Type.Literal('not-as-described'),
    Type.Literal('damaged'),
    Type.Literal('changed-mind'),
    Type.Literal('address-unknown'),
    Type.Literal('not-collected'),
    Type.Literal('prohibited'),
    Type.Literal('other'),
  ],
  { description: 'Why the parcel goes back' },
);
export type ReturnReason = Static<typeof ReturnReason>;

export const ReturnInput = Type.Object(
  {
    consignmentId: Type.String({ description: 'The original consignment (csg_…)' }),
    kind: ReturnKind,
    reason: ReturnReason,
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    itemIndexes: Type.Optional(
      Type.Array(Type.Integer({ minimum: 0 }), {
        minItems: 1,
        maxItems: 999,
        uniqueItems: true,
        description: 'Returned items (default all)',
      }),
    ),
    at: Type.Optional(Type.String({ format: 'date-time' })),
    overrideClaim: Type.Optional(
      Type.String({
        maxLength: 2000,
        description:
          'With customs-return: a supervisor\'s reason to return a consignment another officer has claimed in the work queue (without it, such a return is refused with 409 `claim.held-by-other`, as a decision is; docs/console.md "Claims")',
      }),
    ),
    applyClearanceEvent: Type.Optional(
      Type.Boolean({
        default: true,
        description:
          'Also move the consignment to returned (carrier.refused / carrier.returned / officer.return) when it is not there yet and this return takes back its last items (default true)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type ReturnInput = Static<typeof ReturnInput>;

export const returnActions = [
  're-export',
  'claim-refund',
  'approve-refund',
  'reject-refund',
  'pay-refund',
  'close',
] as const;
export type ReturnAction = (typeof returnActions)[number];

export const ReturnActionInput = Type.Object(
  {
    action: Type.Union(returnActions.map((a) => Type.Literal(a))),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    exportReference: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 80,
        description: 're-export: export declaration or return waybill',
      }),
    ),
    office: Type.Optional(Type.String({ maxLength: 35, description: 're-export: office of exit' })),
    paymentReference: Type.Optional(
      Type.String({ minLength: 1, maxLength: 80, description: 'pay-refund: payment reference' }),
    ),
    at: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type ReturnActionInput = Static<typeof ReturnActionInput>;
