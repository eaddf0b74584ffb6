/**
 * What a document named in a request for information, or referred to in its answer, is
 * (docs/information-requests.md). No imports: the web console type-checks against it.
 */
export const informationDocumentKinds = [
  'invoice',
  'proof-of-payment',
  'order-confirmation',
  'product-link',
  'licence',
  'certificate',
  'other',
] as const;
export type InformationDocumentKind = (typeof informationDocumentKinds)[number];
