/** Goods that make a parcel interesting: protected brands, prohibited goods, HS decoys, vague words. */
import type { TemplateUnit } from './catalogue.js';

/** A protected brand's product, with the genuine retail price and what a fake usually sells for. */
export interface BrandedProduct {
  brand: string;
  description: string;
  hs: string;
  unit: TemplateUnit;
  genuineEur: number;
  fakeEur: number;
  grams: readonly [number, number];
  madeIn: string;
}

/** Brands whose owners ask customs to stop fakes (demo list of rights holders). */
export const PROTECTED_BRANDS = [
  'Nike',
  'Adidas',
  'Rolex',
  'Louis Vuitton',
  'Gucci',
  'Apple',
  'Chanel',
  'Ray-Ban',
  'Michael Kors',
  'Pandora',
  'The North Face',
  'Dyson',
] as const;

/** Protected-brand products: sold genuine by authorised sellers, faked by others. */
export const BRANDED_PRODUCTS: readonly BrandedProduct[] = [
  b('Nike', 'Nike Air Max 90 running trainers', '640411', 'pair', 150, 28, [700, 1000], 'VN'),
  b('Nike', 'Nike Air Jordan 1 Retro High OG sneakers', '640411', 'pair', 180, 35, [800, 1100], 'CN'),
  b('Nike', 'Nike Tech Fleece full-zip hoodie', '611030', 'pcs', 120, 22, [500, 700], 'VN'),
  b('Adidas', 'Adidas Samba OG leather trainers', '640399', 'pair', 120, 25, [700, 1000], 'VN'),
  b('Adidas', 'Adidas Yeezy Boost 350 V2 sneakers', '640411', 'pair', 230, 40, [700, 1000], 'CN'),
  b(
    'Rolex',
    'Rolex Submariner Date automatic watch, Oystersteel',
    '910221',
    'pcs',
    10500,
    75,
    [150, 200],
    'CH',
  ),
  b(
    'Rolex',
    'Rolex Datejust 41 automatic watch, jubilee bracelet',
    '910221',
    'pcs',
    9800,
    70,
    [150, 200],
    'CH',
  ),
  b(
    'Louis Vuitton',
    'Louis Vuitton Neverfull MM monogram canvas tote',
    '420222',
    'pcs',
    1850,
    45,
    [500, 800],
    'FR',
  ),
  b(
    'Louis Vuitton',
    'Louis Vuitton Zippy wallet, monogram canvas',
    '420231',
    'pcs',
    780,
    18,
    [150, 250],
    'FR',
  ),
  b('Gucci', 'Gucci GG Marmont small leather shoulder bag', '420221', 'pcs', 2300, 48, [500, 700], 'IT'),
  b('Gucci', 'Gucci leather belt with Double G buckle', '420330', 'pcs', 450, 15, [200, 350], 'IT'),
  b(
    'Apple',
    'Apple AirPods Pro (2nd generation) with MagSafe case',
    '851830',
    'pcs',
    279,
    18,
    [100, 150],
    'CN',
  ),
  b('Apple', 'Apple Watch Series 9 GPS 45 mm aluminium case', '851762', 'pcs', 459, 35, [150, 250], 'CN'),
  b('Apple', 'Apple iPhone 15 Pro 256GB, natural titanium', '851713', 'pcs', 1329, 95, [250, 350], 'CN'),
  b('Chanel', 'Chanel No 5 Eau de Parfum 100 ml', '330300', 'pcs', 175, 14, [350, 500], 'FR'),
  b('Ray-Ban', 'Ray-Ban Aviator Classic sunglasses RB3025', '900410', 'pcs', 170, 9, [80, 150], 'IT'),
  b('Ray-Ban', 'Ray-Ban Wayfarer sunglasses RB2140', '900410', 'pcs', 160, 8, [80, 150], 'IT'),
  b(
    'Michael Kors',
    'Michael Kors Lexington chronograph watch, gold tone',
    '910211',
    'pcs',
    299,
    19,
    [150, 250],
    'CN',
  ),
  b(
    'Pandora',
    'Pandora Moments snake chain bracelet, sterling silver',
    '711311',
    'pcs',
    69,
    6,
    [20, 50],
    'TH',
  ),
  b(
    'The North Face',
    'The North Face 1996 Retro Nuptse down jacket',
    '620140',
    'pcs',
    330,
    42,
    [700, 1000],
    'VN',
  ),
  b('Dyson', 'Dyson Airwrap multi-styler complete long', '851632', 'pcs', 549, 55, [1500, 2200], 'MY'),
];

function b(
  brand: string,
  description: string,
  hs: string,
  unit: TemplateUnit,
  genuineEur: number,
  fakeEur: number,
  grams: readonly [number, number],
  madeIn: string,
): BrandedProduct {
  return { brand, description, hs, unit, genuineEur, fakeEur, grams, madeIn };
}

/** A good that may not be imported by post or express without a licence, or at all. */
export interface ProhibitedProduct {
  kind: 'lithium-battery' | 'e-cigarette' | 'knife' | 'pepper-spray' | 'medicine' | 'seeds-plants';
  description: string;
  hs: string;
  unit: TemplateUnit;
  medianEur: number;
  grams: readonly [number, number];
}

/** Prohibited and restricted goods injected as the 'prohibited' violation. */
export const PROHIBITED_PRODUCTS: readonly ProhibitedProduct[] = [
  p(
    'lithium-battery',
    'Power bank 30000 mAh lithium-ion, 22.5W fast charge',
    '850760',
    'pcs',
    19,
    [500, 700],
  ),
  p(
    'lithium-battery',
    '18650 lithium-ion rechargeable cells 3.7V 3000 mAh, 10 pcs',
    '850760',
    'set',
    16,
    [450, 550],
  ),
  p('lithium-battery', 'E-bike battery pack 48V 13Ah lithium-ion', '850760', 'pcs', 160, [3500, 4500]),
  p(
    'e-cigarette',
    'Disposable vape pen 9000 puffs, mixed fruit flavours, 10 pcs',
    '854340',
    'set',
    28,
    [300, 500],
  ),
  p('e-cigarette', 'Electronic cigarette starter kit with refillable pod', '854340', 'pcs', 15, [80, 160]),
  p('e-cigarette', 'Nicotine e-liquid 20 mg/ml, 10 ml x 10 bottles', '240412', 'set', 18, [250, 350]),
  p('knife', 'Spring assisted folding pocket knife, 9 cm blade', '821193', 'pcs', 14, [120, 200]),
  p('knife', 'Butterfly knife balisong trainer, sharpened steel blade', '821193', 'pcs', 11, [120, 180]),
  p('knife', 'Tactical fixed blade knife with sheath, 12 cm', '821192', 'pcs', 17, [180, 300]),
  p('pepper-spray', 'Pepper spray self-defence 60 ml, OC gel', '930400', 'pcs', 9, [90, 130]),
  p('medicine', 'Sildenafil 100 mg tablets, 40 pcs', '300490', 'set', 25, [30, 80]),
  p('medicine', 'Amoxicillin 500 mg capsules, 100 pcs', '300490', 'set', 18, [60, 120]),
  p('medicine', 'Weight loss injection pen, semaglutide 1 mg', '300439', 'pcs', 85, [60, 120]),
  p('seeds-plants', 'Rare flower seeds mix, 500 seeds', '120930', 'set', 5, [10, 40]),
  p('seeds-plants', 'Live succulent plants with roots, 5 pcs', '060290', 'set', 12, [300, 600]),
  p('seeds-plants', 'Bonsai tree seeds, 100 pcs, Japanese maple', '120999', 'set', 4, [10, 30]),
];

function p(
  kind: ProhibitedProduct['kind'],
  description: string,
  hs: string,
  unit: TemplateUnit,
  medianEur: number,
  grams: readonly [number, number],
): ProhibitedProduct {
  return { kind, description, hs, unit, medianEur, grams };
}

/** Cheap-duty HS codes declared for unrelated goods ('misdescribed-hs'): books, computer and phone parts, toys. */
export const HS_DECOYS: readonly string[] = ['490199', '847330', '851779', '950300', '491199'];

/** Generic words that do not describe goods (UPU CN22/CN23 guidance rejects them). */
export const VAGUE_DESCRIPTIONS: readonly string[] = [
  'gift',
  'Gift',
  'parts',
  'spare parts',
  'goods',
  'sample',
  'samples',
  'accessories',
  'Accessories',
];
