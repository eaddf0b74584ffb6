/** Prefixed, sortable ids of screening records: img_ image, det_ detection, lbl_ review label. */
import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

export function screeningId(prefix: 'img' | 'det' | 'lbl'): string {
  return `${prefix}_${next()}`;
}
