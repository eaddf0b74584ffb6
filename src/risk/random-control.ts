/** Deterministic random control sample: FNV-1a of seed + consignment id, compared with the rate. */

/** 32-bit FNV-1a hash of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
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
  return fnv1a(`${seed}\u0000${consignmentId}`) / 4294967296;
}

/** True when the consignment falls in the random control sample at `rate` (0..1). */
export function isRandomlySelected(seed: string, consignmentId: string, rate: number): boolean {
  return rate > 0 && controlDraw(seed, consignmentId) < rate;
}
