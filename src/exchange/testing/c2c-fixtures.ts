/**
 * Test fixtures for customs-to-customs exchange: the example CN -> DE agreement, export data signed by
 * the CN administration, and a pair of SQLite stores with the receiving side's dependencies.
 */
import type { PipelineDeps } from '../../clearance/index.js';
import type { ConsignmentInput } from '../../domain/index.js';
import type { ClearanceStore, ExchangeStore } from '../../store/index.js';
import { postalItem } from '../../testing/consignments.js';
import type { DataSharingAgreement } from '../c2c/agreement.js';
import { prepareExportData, type C2cDeps } from '../c2c/exchange.js';
import { registerSigningKey } from '../signing/index.js';
import { openTempSqliteStores } from './sqlite-stores.js';

/** The example CN -> DE agreement; `over` replaces whole properties (fields, purposes, ...). */
export function cnDeAgreement(over: Partial<DataSharingAgreement> = {}): DataSharingAgreement {
  return {
    id: 'CN-DE-2026',
    origin: 'customs-cn',
    originCountry: 'CN',
    destination: 'customs-de',
    destinationCountry: 'DE',
    from: '2026-01-01',
    fields: [
      '/source',
      '/category',
      '/items',
      '/routing',
      '/transportDocument',
      '/seller',
      '/consignee/name',
      '/consignee/address',
    ],
    purposes: ['risk-assessment', 'pre-arrival'],
    legalBasis: 'example',
    ...over,
  };
}

/** Export data for `input` under `agreement`, signed with the CN administration's key `cn-1`. */
export function cnExportData(
  agreement: DataSharingAgreement,
  cnPrivateKeyPem: string,
  input: ConsignmentInput = postalItem({ source: 'declaration' }),
) {
  return prepareExportData(
    input,
    agreement,
    { exportReference: 'CN-EXP-1', exportedAt: '2026-11-24T09:00:00Z', messageId: 'm1' },
    { keyId: 'cn-1', privateKeyPem: cnPrivateKeyPem },
  );
}

/** A signing key to register before the exchange: key id, operator, public key and purposes. */
export interface FixtureKey {
  keyId: string;
  operatorId: string;
  publicKey: string;
  purposes: string[];
}

/**
 * Opens SQLite clearance and exchange stores in a temporary folder, registers `keys`, and gives the
 * receiving administration's dependencies; `close` closes both and removes the folder.
 */
export async function openC2cFixture(opts: {
  prefix: string;
  snapshot: ReturnType<PipelineDeps['snapshot']>;
  agreements: readonly DataSharingAgreement[];
  administration: C2cDeps['administration'];
  keys: readonly FixtureKey[];
}): Promise<{ deps: C2cDeps; store: ClearanceStore; exchange: ExchangeStore; close: () => Promise<void> }> {
  const { store, exchange, close } = openTempSqliteStores(opts.prefix);
  for (const key of opts.keys) await registerSigningKey(exchange, key, '2026-01-01T00:00:00Z');
  const deps: C2cDeps = {
    exchange,
    pipeline: { store, snapshot: () => opts.snapshot },
    agreements: opts.agreements,
    administration: opts.administration,
  };
  return { deps, store, exchange, close };
}
