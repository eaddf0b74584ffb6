/**
 * Earlier versions of the jurisdiction profiles, kept for replay: `data/jurisdictions/history/<version>.json`
 * holds the profile file as it was when `version` was current (a profile whose rules change gets a new
 * `version`, and the file it replaces moves here). Replaying an assessment made under an old version
 * uses that version's rules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dataPath } from '../reference/index.js';
import { createRevenueContext, type RevenueContext } from './assess-revenue.js';
import type { CompiledGenericProfile } from './generic-profile.js';
import { compileProfileJson } from './load-context.js';

/** Finds a compiled profile by its `version` (e.g. "uk@2026-03-01"), or undefined when not kept. */
export type ProfileArchive = (version: string) => CompiledGenericProfile | undefined;

const VERSION = /^[a-z0-9-]+@[A-Za-z0-9.-]+$/;
const cache = new Map<string, CompiledGenericProfile | null>();

/** The shipped archive: data/jurisdictions/history/<version>.json, compiled once per process. */
export const shippedProfileArchive: ProfileArchive = (version) => {
  if (!VERSION.test(version)) return undefined;
  const hit = cache.get(version);
  if (hit !== undefined) return hit ?? undefined;
  const path = dataPath('jurisdictions', 'history', `${version}.json`);
  let compiled: CompiledGenericProfile | null = null;
  if (existsSync(path)) {
    const json = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown };
    if (json.version === version)
      compiled = compileProfileJson(json, `data/jurisdictions/history/${version}.json`);
  }
  cache.set(version, compiled);
  return compiled ?? undefined;
};

/**
 * The context to replay an assessment in: the current one, or (when the assessment names a profile
 * version the destination's current profile is not, and the archive keeps it) the same context with
 * that version in its place. `profile` is the version that will be used.
 */
export function contextAsRecorded(
  ctx: RevenueContext,
  country: string,
  recordedVersion: string | undefined,
  archive: ProfileArchive | undefined,
): { ctx: RevenueContext; profile: string | undefined; archived: boolean } {
  const current = ctx.byCountry.get(country);
  const now = current?.raw.version;
  if (
    recordedVersion === undefined ||
    recordedVersion === now ||
    archive === undefined ||
    current === undefined
  )
    return { ctx, profile: now, archived: false };
  const old = archive(recordedVersion);
  if (old === undefined || old.raw.id !== current.raw.id) return { ctx, profile: now, archived: false };
  // The old profile keeps the schedule now in use for it (a loaded --tariff stays in force).
  const swapped: CompiledGenericProfile = { ...old, schedule: current.schedule };
  const useOld = old.raw.tariff === current.raw.tariff;
  const profiles = ctx.profiles.map((p) => (p === current ? (useOld ? swapped : old) : p));
  return { ctx: createRevenueContext(profiles, ctx.fx, ctx.feeds), profile: recordedVersion, archived: true };
}
