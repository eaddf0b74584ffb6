/** Puts the registry into a reference snapshot: operator trust as a risk adjustment, registered brands for the IPR indicator. */
import type { ReferenceSnapshot } from '../clearance/index.js';
import { BrandMatcher, type BrandFloor } from '../risk/index.js';
import {
  applyFacilitation,
  defaultFacilitationPolicy,
  facilitationForConsignment,
  type FacilitationPolicy,
} from './facilitation.js';
import type { TrustIndex } from './trust-index.js';
import { intakeDataSetFor } from './data-sets.js';
import { deferralLapse, paymentTermsFor } from './payment.js';
import type { GuaranteeGate } from './guarantee.js';

/** What the registry adds to a snapshot. */
export interface RegistryOverlay {
  trust: TrustIndex;
  policy?: FacilitationPolicy;
  /** Protected brands registered by rights holders, merged with the rule set's own (registered floors win). */
  brands?: readonly BrandFloor[];
  /** Identifies the brand list's content. */
  brandsVersion?: string;
  /** Deferred payment only within the account's guarantee (src/operators/guarantee.ts). */
  guarantees?: GuaranteeGate;
}

/** A snapshot whose assessments apply operator trust and know the registered brands; its version says so. */
export function withRegistry(base: ReferenceSnapshot, overlay: RegistryOverlay): ReferenceSnapshot {
  const policy = overlay.policy ?? defaultFacilitationPolicy;
  const trust = overlay.trust;
  const gate = overlay.guarantees;
  let ruleSet = base.ruleSet;
  if (overlay.brands && overlay.brands.length > 0) {
    const registered = new Map(overlay.brands.map((b) => [b.name.toLowerCase(), b]));
    const kept = base.ruleSet.brands.brands.filter((b) => !registered.has(b.name.toLowerCase()));
    ruleSet = { ...base.ruleSet, brands: new BrandMatcher([...kept, ...overlay.brands]) };
  }
  const version = [
    base.version,
    trust.version,
    ...(overlay.brandsVersion ? [overlay.brandsVersion] : []),
  ].join(';');
  return {
    ...base,
    ruleSet,
    version,
    intakeDataSet: (submitterId, now) => intakeDataSetFor(trust, submitterId, now, policy),
    paymentTerms: (subject, revenue, now) => {
      const terms = paymentTermsFor(trust, subject.submitterId, revenue, now, policy);
      return terms === undefined || gate === undefined
        ? terms
        : gate.reserve(terms, subject.consignmentId, revenue);
    },
    deferralAt: (terms, revenue, now) => deferralLapse(trust, terms, revenue, now, policy),
    ...(gate ? { guarantees: gate } : {}),
    adjustRisk: (subject, risk, now) =>
      applyFacilitation(
        risk,
        facilitationForConsignment(trust, subject.input, now, policy, subject.submitterId),
        {
          consignmentId: subject.consignmentId,
          thresholds: ruleSet.thresholds,
          randomSeed: base.randomSeed,
          randomRate: base.randomRate,
        },
      ),
  };
}
