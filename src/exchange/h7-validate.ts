/** Checks an H7 declaration; every issue path names the H7 data element (`DE 13 16`, `DE 18 09[2]`). */
import { Decimal } from 'decimal.js';
import type { ValidationIssue } from '../domain/index.js';
import { IssueList, checkParty } from './dataset-parties.js';
import type { H7Declaration } from './h7.js';

const DECIMAL = /^\d{1,15}(\.\d{1,6})?$/;
const MASS = /^\d{1,9}(\.\d{1,3})?$/;
const IOSS = /^IM\d{10}$/;
const COUNTRY = /^[A-Z]{2}$/;
const HS = /^\d{6}(\d{2}){0,2}$/;
// Art. 23(1) Reg. 1186/2009: duty relief, hence H7, only up to EUR 150 intrinsic value per consignment.
const H7_CEILING_EUR = new Decimal(150);
const PARTY_CODES = { required: 'h7.required', format: 'h7.format' };

function checkHeader(l: IssueList, h7: H7Declaration): void {
  if (h7.declarationType !== 'IM') l.add('h7.format', 'DE 11 01', 'declaration type must be IM');
  if (h7.additionalDeclarationType !== 'A' && h7.additionalDeclarationType !== 'D')
    l.add('h7.format', 'DE 11 02', 'additional declaration type must be A or D');
  l.format(h7.procedure, /^\d{4}$/, 'h7.format', 'DE 11 09', 'the procedure code');
  h7.additionalProcedures.forEach((p, i) =>
    l.format(p, /^[A-Z]\d{2}$/, 'h7.format', `DE 11 10[${i + 1}]`, 'the additional procedure code'),
  );
  if (l.need(h7.transportDocument?.id, 'h7.required', 'DE 12 05', 'the transport document'))
    l.format(
      h7.transportDocument?.id,
      /^[A-Za-z0-9-]{1,35}$/,
      'h7.format',
      'DE 12 05',
      'the transport document',
    );
  checkParty(l, h7.exporter, 'DE 13 01', PARTY_CODES);
  checkParty(l, h7.importer, 'DE 13 04', PARTY_CODES, { street: true, postcode: true });
  const fiscal = h7.additionalFiscalReference;
  if (fiscal) l.format(fiscal.vatId, IOSS, 'h7.format', 'DE 13 16', 'the IOSS VAT number');
  else if (h7.additionalProcedures.includes('F48'))
    l.add('h7.required', 'DE 13 16', 'the IOSS VAT number is required with additional procedure F48');
  if (fiscal && h7.taxes.length > 0)
    l.add('h7.ioss-tax-lines', 'DE 14 03', 'no tax lines may be declared when an IOSS number is given');
  const costs = h7.transportAndInsuranceCosts;
  if (costs) l.format(costs.amount, DECIMAL, 'h7.format', 'DE 14 15', 'the transport and insurance costs');
  l.format(h7.countryOfDispatch, COUNTRY, 'h7.format', 'DE 16 06', 'the country of dispatch');
  l.format(h7.countryOfDestination, COUNTRY, 'h7.format', 'DE 16 03', 'the country of destination');
  l.format(h7.grossMassKg, MASS, 'h7.format', 'DE 18 04', 'the gross mass');
  h7.taxes.forEach((t, i) => {
    l.format(t.taxBase, DECIMAL, 'h7.format', `DE 14 03[${i + 1}]`, 'the tax base');
    l.format(t.amount, DECIMAL, 'h7.format', `DE 14 03[${i + 1}]`, 'the tax amount');
  });
}

function checkItems(l: IssueList, h7: H7Declaration): void {
  if (h7.goodsItems.length === 0) l.add('h7.required', 'DE 11 03', 'at least one goods item is required');
  let total = new Decimal(0);
  let allEur = true;
  for (const g of h7.goodsItems) {
    const n = g.goodsItemNumber;
    l.need(g.description, 'h7.required', `DE 18 05[${n}]`, 'the description of goods');
    if (g.description.length > 512) l.add('h7.format', `DE 18 05[${n}]`, 'description longer than 512');
    if (l.need(g.commodityCode, 'h7.required', `DE 18 09[${n}]`, 'the commodity code'))
      l.format(g.commodityCode, HS, 'h7.format', `DE 18 09[${n}]`, 'the commodity code');
    l.format(g.netMassKg, MASS, 'h7.format', `DE 18 01[${n}]`, 'the net mass');
    l.format(g.countryOfOrigin, COUNTRY, 'h7.format', `DE 16 08[${n}]`, 'the country of origin');
    const v = g.intrinsicValue;
    if (!DECIMAL.test(v.amount))
      l.add('h7.format', `DE 14 14[${n}]`, `intrinsic value "${v.amount}" is malformed`);
    else if (v.currency === 'EUR') total = total.plus(v.amount);
    if (v.currency !== 'EUR') allEur = false;
  }
  // Only a EUR declaration can be checked against the ceiling here; other currencies need an FX rate.
  if (allEur && total.greaterThan(H7_CEILING_EUR))
    l.add('h7.not-eligible', 'DE 14 14', `intrinsic value EUR ${total.toFixed(2)} exceeds EUR 150`);
}

/** Validates an H7 declaration; returns every issue, each with the data element number as its path. */
export function validateH7(h7: H7Declaration): ValidationIssue[] {
  const l = new IssueList('');
  checkHeader(l, h7);
  checkItems(l, h7);
  return l.issues;
}
