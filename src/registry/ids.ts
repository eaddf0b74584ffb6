/** Prefixed, time-sortable ids for registry documents (`opr_`, `sts_`, `cas_`, `ntc_`, `ret_`, …). */
import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

/** A new id with the prefix, e.g. `cas_01JD…`. */
export function registryId(prefix: string, nowMs?: number): string {
  return `${prefix}_${next(nowMs)}`;
}
