/** A consistent sample set of order, payment, waybill and list (tests, docs/formats/samples). */
import type { CbecList, CbecOrder, CbecPayment, CbecWaybill } from './documents.js';
import { withResidentIdCheck } from './quota.js';

/** The four documents of one order; `goods` sets the single line's price (CNY). */
export function sampleThreeDocuments(
  orderNo = 'ORD-2026-0001',
  goods = '300.00',
  buyerDigits = '11010519900307123',
) {
  const buyer = {
    name: 'Li Wei',
    idType: 'resident-id' as const,
    idNumber: withResidentIdCheck(buyerDigits),
  };
  const consignee = {
    name: 'Li Wei',
    address: 'No. 1 Jianguo Road, Chaoyang, Beijing',
    phone: '+86 10 5555 0100',
  };
  const item = {
    description: 'Infant formula milk powder, 800 g tin',
    hsCode: '190110',
    quantity: 1,
    unit: 'pcs' as const,
    totalPrice: goods,
    origin: 'NZ',
  };
  const paid = (Number(goods) + 20).toFixed(2);
  const order: CbecOrder = {
    orderNo,
    platformCode: 'PLAT-TMALLGLOBAL',
    orderedAt: '2026-11-28T09:00:00Z',
    currency: 'CNY',
    goodsValue: goods,
    freight: '20.00',
    actualPaid: paid,
    buyer,
    consignee,
    items: [item],
  };
  const payment: CbecPayment = {
    orderNo,
    paymentNo: `PAY-${orderNo}`,
    paymentCompany: 'PAYCO',
    payerName: buyer.name,
    payerIdType: 'resident-id',
    payerIdNumber: buyer.idNumber,
    currency: 'CNY',
    amountPaid: paid,
    paidAt: '2026-11-28T09:01:30Z',
  };
  const waybill: CbecWaybill = {
    orderNo,
    logisticsNo: `WB${orderNo.replace(/\D/g, '')}`,
    logisticsCompany: 'LOGICO',
    currency: 'CNY',
    freight: '20.00',
    grossWeightGrams: 1100,
    packages: 1,
    consignee,
    dispatchCountry: 'NZ',
  };
  const list: CbecList = {
    orderNo,
    logisticsNo: waybill.logisticsNo,
    paymentNo: payment.paymentNo,
    platformCode: order.platformCode,
    procedure: '9610',
    seller: { name: 'Kiwi Nutrition Ltd', address: '12 Queen Street, Auckland', country: 'NZ' },
    officeOfEntry: 'CNHGH',
    buyer,
    consignee,
    dispatchCountry: 'NZ',
    currency: 'CNY',
    goodsValue: goods,
    freight: '20.00',
    grossWeightGrams: 1080,
    items: [item],
  };
  return { order, payment, waybill, list };
}
