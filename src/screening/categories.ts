/** The prohibited-item categories the screening detectors report, and box geometry shared by all of them. */

/** Categories of the baseline model, in the order of its output channels. */
export const threatClasses = [
  'knife',
  'gun',
  'battery-pack',
  'liquid-container',
  'dense-organic-mass',
] as const;
export type ThreatClass = (typeof threatClasses)[number];

/** Plain-language names for reasons and the console. */
export const threatClassNames: Readonly<Record<ThreatClass, string>> = {
  knife: 'knife or blade',
  gun: 'firearm or firearm part',
  'battery-pack': 'lithium battery pack',
  'liquid-container': 'liquid container',
  'dense-organic-mass': 'dense organic mass',
};

export function isThreatClass(s: string): s is ThreatClass {
  return (threatClasses as readonly string[]).includes(s);
}

/** An axis-aligned box in pixels of the original image: x0,y0 top-left (inclusive), x1,y1 bottom-right (exclusive). */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One detected object: its category, the model's score in [0, 1] and its box in image pixels. */
export interface Detection {
  class: ThreatClass;
  score: number;
  box: Box;
}

export const boxArea = (b: Box): number => Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0);

/** Intersection over union of two boxes (0 when either is empty). */
export function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0));
  const iy = Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));
  const inter = ix * iy;
  const union = boxArea(a) + boxArea(b) - inter;
  return union <= 0 ? 0 : inter / union;
}

/** Greedy non-maximum suppression per class: keeps the best-scoring box of each overlapping group. */
export function suppress(detections: readonly Detection[], iouThreshold = 0.4): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const d of sorted) {
    if (kept.some((k) => k.class === d.class && iou(k.box, d.box) > iouThreshold)) continue;
    kept.push(d);
  }
  return kept;
}
