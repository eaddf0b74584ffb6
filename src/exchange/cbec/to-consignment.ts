/** The declaration list as a canonical consignment record, for the clearance pipeline. */
import type { ConsignmentInput } from '../../domain/index.js';
import type { CbecList, CbecPayment } from './documents.js';

/** Maps an accepted list (with its payment) to a `declaration` record destined to CN. */
export function listToConsignment(list: CbecList, payment: CbecPayment | undefined): ConsignmentInput {
  const money = (amount: string) => ({ amount, currency: list.currency });
  const input: ConsignmentInput = {
    source: 'declaration',
    externalRef: list.orderNo,
    transportDocument: { type: 'OTHER', id: list.logisticsNo },
    seller: {
      name: list.seller.name,
      address: { street: list.seller.address, country: list.seller.country },
    },
    consignee: {
      name: list.consignee.name,
      address: { street: list.consignee.address, country: 'CN' },
      ...(list.consignee.phone === undefined ? {} : { phone: list.consignee.phone }),
      id: { type: 'PERSONAL', value: list.buyer.idNumber },
    },
    platform: { id: list.platformCode, orderId: list.orderNo },
    payment: {
      reference: list.paymentNo,
      ...(payment === undefined
        ? {}
        : { provider: payment.paymentCompany, amount: money(payment.amountPaid), paidAt: payment.paidAt }),
    },
    category: 'sale',
    items: list.items.map((l) => ({
      description: l.description,
      ...(l.hsCode === undefined ? {} : { hsCode: l.hsCode }),
      quantity: l.quantity,
      unit: l.unit,
      // Net weight per line is not in the list; the gross weight is on the consignment.
      netWeightGrams: 0,
      value: money(l.totalPrice),
      origin: l.origin,
      ...(l.productUrl === undefined ? {} : { productUrl: l.productUrl }),
    })),
    totals: {
      transport: money(list.freight),
      ...(list.insurance === undefined ? {} : { insurance: money(list.insurance) }),
      grossWeightGrams: list.grossWeightGrams,
    },
    routing: {
      dispatchCountry: list.dispatchCountry,
      destinationCountry: 'CN',
      ...(list.officeOfEntry === undefined ? {} : { officeOfEntry: list.officeOfEntry }),
    },
  };
  return input;
}
