/**
 * Bounded in-memory windows (the consignee window of risk, the per-person view of revenue) hold a
 * batch's keys while it is assessed: each key's entry is pinned so the bound cannot drop it, entries
 * not held completely are loaded from the store in one read, and the batch releases the pins after.
 */

/** An entry of a bounded window: pinned while a batch reads it, complete once loaded. */
export interface Pinnable {
  pins: number;
  complete: boolean;
}

/** The window's side of {@link pinAndLoad}. */
export interface PinnedWindow<E extends Pinnable> {
  /** The entry of `key`, created (or marked as recently used) for this batch. */
  take(key: string): E;
  /** The entry of `key` if the window still holds it. */
  get(key: string): E | undefined;
  /** Loads the entries of `keys` from the store. */
  load(keys: string[]): Promise<void>;
  /** Drops unpinned entries beyond the bound. */
  trim(): void;
}

/**
 * Pins the entries of `keys` (each once), loads those not complete, and returns the release that
 * unpins them and trims the window (idempotent). A failed load releases the pins before it throws.
 */
export async function pinAndLoad<E extends Pinnable>(
  keys: Iterable<string>,
  window: PinnedWindow<E>,
): Promise<() => void> {
  const pinned: string[] = [];
  const want: string[] = [];
  for (const key of keys) {
    const e = window.take(key);
    e.pins += 1;
    pinned.push(key);
    if (!e.complete) want.push(key);
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    for (const key of pinned) {
      const e = window.get(key);
      if (e !== undefined) e.pins -= 1;
    }
    window.trim();
  };
  if (want.length === 0) return release;
  try {
    await window.load(want);
  } catch (err) {
    release();
    throw err;
  }
  return release;
}
