/**
 * A cursor over the clearance event log that processes every event exactly once even when events
 * commit out of seq order (PostgreSQL sequences hand out numbers before commit). Events above a gap
 * are processed and remembered; the frontier moves past a gap once it is filled or older than the
 * grace period (a rolled-back transaction leaves a permanent gap). Pure: state in, state out.
 */

/** The cursor state (stored as a registry document). */
export interface CursorState {
  /** Every seq at or below the frontier is done. */
  frontier: number;
  /** Processed seqs above the frontier. */
  above: number[];
  /** When each missing seq between the frontier and the highest processed seq was first noticed (ms). */
  gapSince: Record<string, number>;
}

export const initialCursor = (): CursorState => ({ frontier: 0, above: [], gapSince: {} });

/** Which of `events` (read as `seq > frontier`) to process now, and the next state. */
export function advanceCursor<E extends { seq: number }>(
  state: CursorState,
  events: readonly E[],
  nowMs: number,
  graceMs: number,
): { process: E[]; state: CursorState } {
  const done = new Set(state.above);
  const process: E[] = [];
  for (const e of events) {
    if (e.seq <= state.frontier || done.has(e.seq)) continue;
    done.add(e.seq);
    process.push(e);
  }
  let frontier = state.frontier;
  const gapSince: Record<string, number> = { ...state.gapSince };
  const highest = Math.max(frontier, ...done);
  for (;;) {
    const next = frontier + 1;
    if (done.has(next)) {
      done.delete(next);
      frontier = next;
      continue;
    }
    if (next >= highest) break;
    const since = gapSince[next] ?? nowMs;
    gapSince[next] = since;
    if (nowMs - since >= graceMs) {
      frontier = next;
      continue;
    }
    break;
  }
  for (const k of Object.keys(gapSince)) if (Number(k) <= frontier) delete gapSince[k];
  // Remember when the remaining gaps were first seen.
  for (let s = frontier + 1; s < highest; s++)
    if (!done.has(s) && gapSince[s] === undefined) gapSince[s] = nowMs;
  return { process, state: { frontier, above: [...done].sort((a, b) => a - b), gapSince } };
}
