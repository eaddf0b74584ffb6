/** Deterministic random control sample: FNV-1a of seed + consignment id, compared with the rate. */

const FNV_OFFSET = 0x811c9dc5;

function fnvStep(h: number, text: string): number {
  let x = h;
  for (let i = 0; i < text.length; i++) {
    x ^= text.charCodeAt(i);
    x = Math.imul(x, 0x01000193);
  }
  return x;
}

/** 32-bit FNV-1a hash of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  return fmix(fnvStep(FNV_OFFSET, text));
}

function fmix(x: number): number {
  let h = x;
  // Final avalanche (murmur3 fmix32) so ids differing only in the last characters spread evenly.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform draw in [0, 1) determined by seed and id: same inputs, same draw. */
export function controlDraw(seed: string, consignmentId: string): number {
  // Same as fnv1a(`${seed}\u0000${consignmentId}`), without building the joined string.
  const h = Math.imul(fnvStep(FNV_OFFSET, seed) ^ 0, 0x01000193);
  return fmix(fnvStep(h, consignmentId)) / 4294967296;
}

/** True when the consignment falls in the random control sample at `rate` (0..1). */
export function isRandomlySelected(seed: string, consignmentId: string, rate: number): boolean {
  return rate > 0 && controlDraw(seed, consignmentId) < rate;
}
