/** Hand-built, valid store fixtures: consignments, batches and events for tests and benchmarks. */
import type {
  Assessment,
  ClearanceState,
  ConsignmentInput,
  Decision,
  Lane,
  SourceRecord,
} from '../../domain/index.js';
import { newId } from '../../domain/index.js';
import type { BatchWrites, ClearanceEvent, StoredConsignment } from '../port.js';

/** What a test may choose about a fixture consignment; everything else gets a valid default. */
export interface FixtureOptions {
  id?: string;
  keys?: string[];
  version?: number;
  state?: ClearanceState;
  lane?: Lane;
  decision?: Decision;
  riskScore?: number;
  destination?: string;
  office?: string | null;
  submitterId?: string;
  createdAt?: string;
  updatedAt?: string;
  dueAtBorder?: string;
}

const laneDecision: Record<Lane, Decision> = {
  green: 'release',
  blue: 'release',
  yellow: 'hold-for-information',
  red: 'inspect',
};

/** A minimal valid ConsignmentInput: one item, a transport document, routing. */
export function fixtureInput(transportId: string, destination = 'DE', office?: string): ConsignmentInput {
  return {
    source: 'carrier-waybill',
    transportDocument: { type: 'HAWB', id: transportId },
    category: 'sale',
    consignee: {
      name: 'Erika Mustermann',
      address: { city: 'Berlin', postcode: '10115', country: destination },
    },
    items: [
      {
        description: 'Cotton T-shirt',
        hsCode: '610910',
        quantity: 2,
        unit: 'pcs',
        netWeightGrams: 300,
        value: { amount: '19.90', currency: 'EUR' },
        origin: 'CN',
      },
    ],
    routing: {
      dispatchCountry: 'CN',
      destinationCountry: destination,
      ...(office === undefined ? {} : { officeOfEntry: office }),
    },
  };
}

/** A minimal valid Assessment with the given lane, decision and score. */
export function fixtureAssessment(
  lane: Lane,
  decision: Decision,
  score: number,
  dueAtBorder = '3.78',
): Assessment {
  return {
    decision,
    risk: {
      score,
      lane,
      security: 'assessment-complete',
      hits: [],
      randomSelected: false,
      ruleSetVersion: 'r1',
    },
    revenue: {
      jurisdiction: 'EU-DE',
      currency: 'EUR',
      collectionModel: 'border',
      intrinsicValue: '19.90',
      customsValue: '19.90',
      lines: [
        {
          type: 'vat',
          base: '19.90',
          rate: '0.19',
          amount: dueAtBorder,
          measure: 'VAT standard rate',
          collectedBy: 'border',
          explanation: '19% of the customs value',
        },
      ],
      dueAtBorder,
      prepaid: '0.00',
      total: dueAtBorder,
      fx: [],
      notes: [],
      versions: { tariff: 't1' },
    },
    assessedAt: '2025-01-01T00:00:00.000Z',
    snapshotVersion: 's1',
  };
}

/** A source record for a consignment's merged data. */
export function fixtureSource(data: ConsignmentInput, submitterId: string, receivedAt: string): SourceRecord {
  const declarationId = newId('dcl');
  return { declarationId, kind: data.source, submitterId, receivedAt, hash: `sha256:${declarationId}`, data };
}

/** A valid StoredConsignment; the first key is also its transport document id. */
export function fixtureConsignment(opts: FixtureOptions = {}): StoredConsignment {
  const id = opts.id ?? newId('csg');
  const keys = opts.keys ?? [`hawb:${id}`, `order:${id}`];
  const lane = opts.lane ?? 'green';
  const createdAt = opts.createdAt ?? '2025-01-01T00:00:00.000Z';
  const submitterId = opts.submitterId ?? 'opr_carrier';
  const merged = fixtureInput(keys[0] ?? id, opts.destination ?? 'DE', opts.office ?? undefined);
  return {
    id,
    version: opts.version ?? 1,
    state: opts.state ?? 'released-before-arrival',
    submitterId,
    keys,
    sources: [fixtureSource(merged, submitterId, createdAt)],
    merged,
    mismatches: [],
    assessment: fixtureAssessment(
      lane,
      opts.decision ?? laneDecision[lane],
      opts.riskScore ?? 10,
      opts.dueAtBorder,
    ),
    createdAt,
    updatedAt: opts.updatedAt ?? createdAt,
  };
}

/** The `consignment.declared` event of a new consignment. */
export function fixtureEvent(c: StoredConsignment, type = 'consignment.declared'): ClearanceEvent {
  return { consignmentId: c.id, type, from: null, to: c.state, at: c.updatedAt, actor: c.submitterId };
}

/** The writes that create the given consignments: each with its source as a declaration and one event. */
export function createWrites(consignments: StoredConsignment[]): BatchWrites {
  return {
    upserts: consignments,
    archive: [],
    declarations: consignments.flatMap((c) => c.sources.map((record) => ({ consignmentId: c.id, record }))),
    events: consignments.map((c) => fixtureEvent(c)),
  };
}

/** The writes that amend `previous` into its next version with an extra source and key. */
export function amendWrites(previous: StoredConsignment, at: string, extraKey?: string): BatchWrites {
  const source = fixtureSource({ ...previous.merged, source: 'platform-order' }, 'opr_platform', at);
  const next: StoredConsignment = {
    ...previous,
    version: previous.version + 1,
    state: 'assessed',
    keys: extraKey === undefined ? previous.keys : [...previous.keys, extraKey],
    sources: [...previous.sources, source],
    updatedAt: at,
  };
  return {
    upserts: [next],
    archive: [previous],
    declarations: [{ consignmentId: previous.id, record: source }],
    events: [
      {
        consignmentId: previous.id,
        type: 'consignment.amended',
        from: previous.state,
        to: next.state,
        at,
        actor: 'opr_platform',
        reason: 'platform order received',
        data: { version: next.version },
      },
    ],
  };
}
