/** Prefixed, sortable identifiers: csg_ consignment, dcl_ declaration (one source record), evt_ event. */
import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

export type IdPrefix = 'csg' | 'dcl' | 'evt' | 'opr' | 'req';

/** Makes a new id such as `csg_01JD…`; ids sort by creation time. */
export function newId(prefix: IdPrefix, nowMs?: number): string {
  return `${prefix}_${next(nowMs)}`;
}

/** True when `id` has the given prefix and a ULID body. */
export function isId(prefix: IdPrefix, id: string): boolean {
  return (
    id.length === prefix.length + 27 &&
    id.startsWith(`${prefix}_`) &&
    /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id.slice(prefix.length + 1))
  );
}
