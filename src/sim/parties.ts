/** Who sends and who receives: origin mix, platforms, a seeded seller pool, consignees, the demo watchlist. */
import type { Address, Party } from '../domain/index.js';
import { makeIoss } from './identifiers.js';
import { localeOf } from './locales.js';
import { WeightedTable, type Prng } from './prng.js';

// REFERENCE §6.3: 91% of the EU's low-value parcels come from China; the rest is spread thinly.
/** Origin (dispatch) countries of EU-bound e-commerce parcels, in percent. */
export const ORIGIN_WEIGHTS: readonly (readonly [string, number])[] = [
  ['CN', 91],
  ['US', 2],
  ['GB', 1.6],
  ['TR', 1.2],
  ['HK', 1],
  ['IN', 0.8],
  ['KR', 0.7],
  ['JP', 0.6],
  ['VN', 0.5],
  ['TW', 0.3],
  ['TH', 0.3],
  ['CH', 0.2],
];

/** Marketplace ids (neutral codes, not trademarks) and their share of orders from China and elsewhere. */
export const PLATFORMS_CN: readonly (readonly [string, number])[] = [
  ['TMU', 26],
  ['ALX', 25],
  ['SHN', 20],
  ['AMZ', 15],
  ['EBY', 5],
  ['WSH', 5],
  ['JOM', 4],
];
const PLATFORMS_OTHER: readonly (readonly [string, number])[] = [
  ['AMZ', 45],
  ['EBY', 40],
  ['ETS', 15],
];

// Member State where each platform is identified for IOSS (EU_NUMERIC gives the IM prefix).
const IOSS_STATE: Readonly<Record<string, string>> = {
  TMU: 'IE',
  ALX: 'NL',
  SHN: 'IE',
  AMZ: 'LU',
  EBY: 'DE',
  WSH: 'NL',
  JOM: 'LV',
  ETS: 'IE',
};

/** A seller with its store, platform and address; sellers recur across parcels. */
export interface Seller {
  party: Party;
  platform: string;
  sellerId: string;
  country: string;
}

const CN_CITIES: readonly (readonly [string, string, string])[] = [
  ['Shenzhen', 'Guangdong', '518###'],
  ['Guangzhou', 'Guangdong', '510###'],
  ['Dongguan', 'Guangdong', '523###'],
  ['Yiwu', 'Zhejiang', '322###'],
  ['Hangzhou', 'Zhejiang', '310###'],
  ['Ningbo', 'Zhejiang', '315###'],
  ['Xiamen', 'Fujian', '361###'],
  ['Shantou', 'Guangdong', '515###'],
  ['Quanzhou', 'Fujian', '362###'],
];
const CN_WORDS =
  'Xinyuan|Huaxing|Jiayi|Mingda|Ruifeng|Haoyu|Jinsheng|Yuhong|Baiyue|Longteng|Tianyi|Kaida|Senmiao|Youpin|Lianchuang|Hengtai|Zhongke|Meiyue'.split(
    '|',
  );
const CN_SUFFIX = [
  'Trading Co., Ltd.',
  'E-commerce Co., Ltd.',
  'Technology Co., Ltd.',
  'Import & Export Co., Ltd.',
  'Industrial Co., Ltd.',
];
const CN_ROADS = [
  'Bantian Street',
  'Longhua Avenue',
  'Futian Road',
  'Chouzhou North Road',
  'Baiyun Avenue',
  'Jiangbin Road',
  'Wenyi West Road',
];

const OTHER_SELLERS: Readonly<Record<string, readonly [string, string, string, string]>> = {
  US: [
    'Brightline Goods LLC|Maple & Pine Outfitters|Atlas Sneaker Exchange|Sunset Vintage Co.',
    'Commerce Street|Market Street|Elm Avenue',
    'Newark|Los Angeles|Dallas|Miami',
    '#####',
  ],
  GB: [
    'Thistle & Rose Ltd|Camden Kicks Ltd|Northern Tools Direct|Harbour Books Ltd',
    'High Street|Station Road|Mill Lane',
    'London|Manchester|Leeds|Bristol',
    '@@# #@@',
  ],
  TR: [
    'Anatolia Tekstil Ltd. Şti.|Bosphorus Home|Ege Deri Ltd.',
    'Atatürk Caddesi|İstiklal Caddesi',
    'İstanbul|İzmir|Bursa',
    '#####',
  ],
  HK: [
    'Victoria Harbour Trading Ltd|Kowloon Gadget Co.|Pearl Link Ltd',
    'Nathan Road|Des Voeux Road',
    'Kowloon|Hong Kong',
    '',
  ],
  IN: [
    'Jaipur Handicrafts Pvt Ltd|Sari Street Exports|Kerala Spice House',
    'MG Road|Park Street',
    'Jaipur|Mumbai|Delhi',
    '######',
  ],
  KR: [
    'Seoul Glow Cosmetics|K-Beauty Direct Co.|Hanbit Store',
    'Gangnam-daero|Teheran-ro',
    'Seoul|Busan',
    '#####',
  ],
  JP: [
    'Sakura Hobby Shop|Tokyo Camera Market|Akiba Figure Store',
    'Chuo-dori|Meiji-dori',
    'Tokyo|Osaka',
    '###-####',
  ],
  VN: [
    'Saigon Leather Co.|Hanoi Silk House',
    'Le Loi Street|Hang Gai Street',
    'Ho Chi Minh City|Hanoi',
    '######',
  ],
  TW: ['Formosa Tech Parts|Taipei Cycle Gear', 'Zhongxiao East Road|Minsheng Road', 'Taipei|Taichung', '###'],
  TH: ['Bangkok Silver Works|Chiang Mai Crafts', 'Sukhumvit Road|Silom Road', 'Bangkok|Chiang Mai', '#####'],
  CH: ['Geneva Watch Traders SA|Alpine Outdoor GmbH', 'Rue du Rhône|Bahnhofstrasse', 'Genève|Zürich', '####'],
};

/** Fills a pattern: '#' becomes a digit, '@' an upper-case letter. */
export function fillPattern(rng: Prng, pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '#') out += String.fromCharCode(48 + rng.int(0, 9));
    else if (ch === '@') out += String.fromCharCode(65 + rng.int(0, 25));
    else out += ch;
  }
  return out;
}

/** The seeded pool of sellers and the platforms' IOSS numbers for one flood. */
export class SellerPool {
  private readonly cn: Seller[] = [];
  private readonly other = new Map<string, Seller[]>();
  private readonly ioss = new Map<string, string>();
  private readonly cnPlatforms = new WeightedTable(PLATFORMS_CN);
  private readonly otherPlatforms = new WeightedTable(PLATFORMS_OTHER);

  constructor(rng: Prng, cnSellers = 600) {
    for (const [platform, state] of Object.entries(IOSS_STATE)) this.ioss.set(platform, makeIoss(rng, state));
    for (let i = 0; i < cnSellers; i++) this.cn.push(this.makeCnSeller(rng, i));
    for (const [country, [names, streets, cities, postcode]] of Object.entries(OTHER_SELLERS)) {
      const list = names.split('|').map((name, i) => {
        const platform = this.otherPlatforms.draw(rng);
        const address: Address = {
          street: `${rng.int(1, 400)} ${rng.pick(streets.split('|'))}`,
          city: rng.pick(cities.split('|')),
          country,
        };
        if (postcode !== '') address.postcode = fillPattern(rng, postcode);
        return { party: { name, address }, platform, sellerId: `${platform}S${country}${1000 + i}`, country };
      });
      this.other.set(country, list);
    }
  }

  private makeCnSeller(rng: Prng, i: number): Seller {
    const [city, region, postcode] = rng.pick(CN_CITIES);
    const name = `${city} ${rng.pick(CN_WORDS)} ${rng.pick(CN_WORDS)} ${rng.pick(CN_SUFFIX)}`;
    const platform = this.cnPlatforms.draw(rng);
    const party: Party = {
      name,
      address: {
        street: `No. ${rng.int(1, 999)} ${rng.pick(CN_ROADS)}, Room ${rng.int(101, 2808)}`,
        city,
        region,
        postcode: fillPattern(rng, postcode),
        country: 'CN',
      },
      phone: `+86 1${rng.digits(2)} ${rng.digits(4)} ${rng.digits(4)}`,
    };
    return { party, platform, sellerId: `${platform}${String(100000 + i * 37)}`, country: 'CN' };
  }

  /** A seller from `country`; large Chinese sellers appear far more often than small ones (Zipf-like). */
  draw(rng: Prng, country: string): Seller {
    if (country === 'CN') {
      const index = Math.floor(this.cn.length * Math.pow(rng.next(), 2.2));
      return this.cn[index] ?? rng.pick(this.cn);
    }
    return rng.pick(this.other.get(country) ?? this.cn);
  }

  /** The IOSS number under which a platform collects VAT as deemed supplier. */
  iossOf(platform: string): string | undefined {
    return this.ioss.get(platform);
  }
}

const MAIL_NAMES = new Map<string, string>();

function mailNameOf(first: string, last: string): string {
  const key = `${first}.${last}`;
  let name = MAIL_NAMES.get(key);
  if (name === undefined) {
    name = key
      .normalize('NFD')
      .replace(/[^A-Za-z.]/g, '')
      .toLowerCase();
    MAIL_NAMES.set(key, name);
  }
  return name;
}

/** A made-up private consignee living in `country`. */
export function makeConsignee(rng: Prng, country: string): Party {
  const loc = localeOf(country);
  const first = rng.pick(loc.firstNames);
  const last = rng.pick(loc.lastNames);
  const [city, pattern] = rng.pick(loc.cities);
  const house = String(rng.int(1, 180));
  const street = rng.pick(loc.streets);
  const mailName = mailNameOf(first, last);
  return {
    name: `${first} ${last}`,
    address: {
      street: loc.numberAfter ? `${street} ${house}` : `${house} ${street}`,
      city,
      postcode: fillPattern(rng, pattern),
      country,
    },
    phone: `${loc.dial} ${rng.int(1, 9)}${rng.digits(2)} ${rng.digits(3)} ${rng.digits(3)}`,
    email: `${mailName}${rng.chance(0.5) ? rng.int(1, 99) : ''}@${rng.pick(loc.mailDomains)}`,
  };
}

/** Renders an address on one line as the watchlist stores it: "street, postcode city, CC". */
export function formatAddressLine(address: Address): string {
  const place = [address.postcode, address.city].filter((s) => s !== undefined && s !== '').join(' ');
  return [address.street ?? '', place, address.country].filter((s) => s !== '').join(', ');
}

/** A watchlisted consignee: a person or a drop address linked to earlier seizures or fraud. */
export interface WatchEntry {
  name: string;
  address: Address;
}

const WATCH_ENTRIES: readonly WatchEntry[] = [
  {
    name: 'Dragan Vukelić',
    address: { street: 'Lagerstraße 7', postcode: '04158', city: 'Leipzig', country: 'DE' },
  },
  {
    name: 'Karim Bensaïd',
    address: { street: '14 rue des Entrepôts', postcode: '93200', city: 'Saint-Denis', country: 'FR' },
  },
  {
    name: 'Ornella Scafati',
    address: { street: 'Via dei Magazzini 3', postcode: '80146', city: 'Napoli', country: 'IT' },
  },
  {
    name: 'Piet Oosterhuis',
    address: { street: 'Transportweg 52', postcode: '3045 NB', city: 'Rotterdam', country: 'NL' },
  },
  {
    name: 'Radosław Zawadzki',
    address: { street: 'ul. Magazynowa 9', postcode: '05-090', city: 'Raszyn', country: 'PL' },
  },
  {
    name: 'Iker Etxeberria',
    address: { street: 'Calle del Almacén 21', postcode: '28906', city: 'Getafe', country: 'ES' },
  },
  {
    name: 'Yannick Stroobants',
    address: { street: 'Loodsstraat 4', postcode: '2030', city: 'Antwerpen', country: 'BE' },
  },
  {
    name: 'Hubert Kainz',
    address: { street: 'Speditionsgasse 11', postcode: '2320', city: 'Schwechat', country: 'AT' },
  },
];

/** Sellers known for counterfeits (demo list); the flood ships some counterfeit parcels from them. */
export const WATCH_SELLERS: readonly Party[] = [
  {
    name: 'Guangzhou Luxe Replica Trading Co., Ltd.',
    address: { street: 'No. 88 Sanyuanli Avenue', city: 'Guangzhou', postcode: '510405', country: 'CN' },
  },
  {
    name: 'Putian Topkicks Footwear Co., Ltd.',
    address: { street: 'No. 16 Anfu Road', city: 'Putian', postcode: '351100', country: 'CN' },
  },
  {
    name: 'Shenzhen Huaqiang Mirror Electronics Co., Ltd.',
    address: { street: 'No. 1015 Huaqiang North Road', city: 'Shenzhen', postcode: '518031', country: 'CN' },
  },
];

/** The watchlisted consignees with their addresses, for injecting 'watchlisted-consignee'. */
export function watchEntries(): readonly WatchEntry[] {
  return WATCH_ENTRIES;
}

/** The fixed demo watchlist handed to the risk engine: consignee names, seller names, one-line addresses. */
export function demoWatchlist(): { consignees: string[]; sellers: string[]; addresses: string[] } {
  return {
    consignees: WATCH_ENTRIES.map((e) => e.name),
    sellers: WATCH_SELLERS.map((s) => s.name),
    addresses: WATCH_ENTRIES.map((e) => formatAddressLine(e.address)),
  };
}
