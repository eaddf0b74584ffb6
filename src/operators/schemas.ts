/** Operator registry schemas (TypeBox: types, validation and OpenAPI at once). */
import { Type, type Static } from '@sinclair/typebox';

/** Who an operator is in the e-commerce supply chain. */
export const OperatorKind = Type.Union(
  [
    Type.Literal('platform'),
    Type.Literal('seller'),
    Type.Literal('carrier'),
    Type.Literal('postal-operator'),
    Type.Literal('broker'),
    Type.Literal('payment-provider'),
  ],
  { description: 'Role of the operator in the supply chain' },
);
export type OperatorKind = Static<typeof OperatorKind>;

/** Identifier schemes the registry validates. */
export const IdentifierScheme = Type.Union(
  [
    Type.Literal('EORI'),
    Type.Literal('VAT'),
    Type.Literal('TIN'),
    Type.Literal('IOSS'),
    Type.Literal('VOEC'),
    Type.Literal('OVR'),
    Type.Literal('UKVAT'),
    Type.Literal('ABN'),
    Type.Literal('NZGST'),
    Type.Literal('PLATFORM'),
    Type.Literal('PLATFORM-SELLER'),
    Type.Literal('UPU'),
  ],
  {
    description:
      'EORI, EU VAT, tax id, IOSS/VOEC/OVR/UK VAT/ABN/NZ GST collection numbers, a platform code as it appears in ' +
      'consignment data (platform.id), a seller id on a platform ("platformId/sellerId"), a UPU postal operator code',
  },
);
export type IdentifierScheme = Static<typeof IdentifierScheme>;

export const Identifier = Type.Object(
  {
    scheme: IdentifierScheme,
    value: Type.String({ minLength: 1, maxLength: 160 }),
  },
  { additionalProperties: false },
);
export type Identifier = Static<typeof Identifier>;

export const Contact = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Optional(
      Type.String({ maxLength: 80, description: 'e.g. customs, compliance, IPR, technical' }),
    ),
    email: Type.Optional(Type.String({ maxLength: 200, pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' })),
    phone: Type.Optional(Type.String({ maxLength: 40, pattern: '^\\+?[0-9 ()./-]{4,40}$' })),
  },
  { additionalProperties: false },
);
export type Contact = Static<typeof Contact>;

/** What a registration or an update sends. */
export const OperatorInput = Type.Object(
  {
    kind: OperatorKind,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    country: Type.String({
      pattern: '^[A-Z]{2}$',
      description: 'Country of establishment (ISO 3166-1 alpha-2)',
    }),
    identifiers: Type.Array(Identifier, { maxItems: 50, default: [] }),
    contacts: Type.Array(Contact, { maxItems: 20, default: [] }),
    platformId: Type.Optional(
      Type.String({ description: 'For a seller: the operator id of the platform it sells on' }),
    ),
    id: Type.Optional(
      Type.String({
        pattern: '^[a-z]{3}_[A-Za-z0-9_-]{1,60}$',
        description: 'Operator id to use (the id API keys are bound to); default a new opr_ id',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OperatorInput = Static<typeof OperatorInput>;

/** A registered operator. */
export interface Operator {
  id: string;
  kind: OperatorKind;
  name: string;
  country: string;
  identifiers: Identifier[];
  contacts: Contact[];
  platformId?: string;
  registeredAt: string;
  updatedAt: string;
  version: number;
}
