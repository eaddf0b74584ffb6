/** A small seeded pseudo-random generator (xoshiro128**) with the draws the flood needs. */

/** Hashes a seed (number or string) into four 32-bit words with cyrb128, so any seed is a good seed. */
function seedWords(seed: number | string): [number, number, number, number] {
  const text = typeof seed === 'number' ? `n:${seed}` : `s:${seed}`;
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  const a = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
  // xoshiro must not start from the all-zero state.
  return [a, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, ((h4 ^ h1) >>> 0) | 1];
}

/**
 * mulberry32: uniform [0, 1) numbers from a 32-bit seed, the same sequence on every run. Tiny and
 * fast, enough for test data, sampling and reports that must be reproducible.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic random source: the same seed always yields the same sequence of draws. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  constructor(seed: number | string) {
    [this.a, this.b, this.c, this.d] = seedWords(seed);
  }

  /** Next unsigned 32-bit integer (xoshiro128**). */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Uniform integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform float in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** One element of a non-empty list, uniformly. */
  pick<T>(list: readonly T[]): T {
    const value = list[Math.floor(this.next() * list.length)];
    if (value === undefined) throw new RangeError('pick from an empty list');
    return value;
  }

  /** Standard normal draw (Box-Muller, keeping the second value for the next call). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal draw with the given median and log-space standard deviation. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** A string of `length` decimal digits. */
  digits(length: number): string {
    let out = '';
    let left = length;
    while (left > 0) {
      const n = left > 9 ? 9 : left;
      out += String(Math.floor(this.next() * (POW10[n] ?? 1))).padStart(n, '0');
      left -= n;
    }
    return out;
  }

  /** A string of `length` upper-case letters. */
  letters(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String.fromCharCode(65 + Math.floor(this.next() * 26));
    return out;
  }
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A precomputed weighted choice over a fixed list (cumulative weights, binary search). */
export class WeightedTable<T> {
  private readonly items: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new RangeError('weighted table needs at least one entry');
    this.items = entries.map(([item]) => item);
    this.cumulative = new Float64Array(entries.length);
    let total = 0;
    entries.forEach(([, weight], i) => {
      if (!(weight >= 0)) throw new RangeError(`negative weight at ${i}`);
      total += weight;
      this.cumulative[i] = total;
    });
    if (total <= 0) throw new RangeError('weights sum to zero');
    this.total = total;
  }

  /** Draws one item with probability proportional to its weight. */
  draw(rng: Prng): T {
    const target = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }

  /** Probability of each item, in entry order. */
  shares(): { item: T; share: number }[] {
    return this.items.map((item, i) => ({
      item,
      share: ((this.cumulative[i] ?? 0) - (i > 0 ? (this.cumulative[i - 1] ?? 0) : 0)) / this.total,
    }));
  }
}
