/**
 * Checks an imported reference price table (JSON from `rules learn-prices` or another office) row by row
 * before it is used: a negative median or a zero spread makes every z-score NaN or infinite, which would
 * silently turn a parcel's risk score into NaN (green) or flag every slightly cheap item.
 */
import { escapePointerToken, fail, ok, type Result, type ValidationIssue } from '../domain/index.js';
import type { ReferencePriceTable } from './reference-prices.js';

const CODE = 'reference-prices.invalid';
const HS6 = /^\d{6}$/;
// HS6@origin (ISO country) or HS6#word (a folded description word, as priceWords writes it).
const REFINED = /^\d{6}(?:@[A-Z]{2}|#[\p{Ll}\p{Lo}\p{N}]+)$/u;
const MAX_ISSUES = 100;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const positive = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
const count = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min;

function checkRow(path: string, row: unknown, issues: ValidationIssue[]): void {
  const bad = (field: string, why: string): void => {
    issues.push({ code: CODE, path: `${path}/${field}`, message: `${path}/${field} ${why}` });
  };
  if (!isObject(row)) {
    issues.push({ code: CODE, path, message: `${path} must be {medianEur, logSpread, support}` });
    return;
  }
  if (!positive(row.medianEur)) bad('medianEur', 'must be a number above 0 (EUR per unit)');
  if (!positive(row.logSpread)) bad('logSpread', 'must be a number above 0 (robust spread of ln price)');
  if (!count(row.support, 1)) bad('support', 'must be a whole number of item lines, at least 1');
}

/** Every problem of a reference table at once (JSON Pointer paths), or the table ready for use. */
export function checkReferencePriceTable(doc: unknown): Result<ReferencePriceTable> {
  const issues: ValidationIssue[] = [];
  const top = (path: string, message: string): Result<ReferencePriceTable> =>
    fail([{ code: CODE, path, message }]);
  if (!isObject(doc)) return top('', 'a reference price table must be an object');
  if (doc.version !== 1 && doc.version !== 2) return top('/version', '/version must be 1 or 2');
  if (!count(doc.minSupport, 1)) return top('/minSupport', '/minSupport must be a whole number, at least 1');
  if (!isObject(doc.prices)) return top('/prices', '/prices must be an object keyed by HS6');
  for (const [key, row] of Object.entries(doc.prices)) {
    const path = `/prices/${escapePointerToken(key)}`;
    if (!HS6.test(key))
      issues.push({ code: CODE, path, message: `${path}: "${key}" is not a 6-digit HS code` });
    else checkRow(path, row, issues);
  }
  if (doc.refined !== undefined) {
    if (!isObject(doc.refined))
      issues.push({ code: CODE, path: '/refined', message: '/refined must be an object' });
    else
      for (const [key, row] of Object.entries(doc.refined)) {
        const path = `/refined/${escapePointerToken(key)}`;
        if (!REFINED.test(key))
          issues.push({
            code: CODE,
            path,
            message: `${path}: "${key}" is neither HS6@country (851762@CN) nor HS6#word (851762#case)`,
          });
        else checkRow(path, row, issues);
      }
  }
  if (doc.chapterUsage !== undefined) {
    if (!isObject(doc.chapterUsage))
      issues.push({ code: CODE, path: '/chapterUsage', message: '/chapterUsage must be an object' });
    else
      for (const [word, chapters] of Object.entries(doc.chapterUsage)) {
        const path = `/chapterUsage/${escapePointerToken(word)}`;
        if (!isObject(chapters)) {
          issues.push({ code: CODE, path, message: `${path} must map HS chapters to line counts` });
          continue;
        }
        for (const [chapter, n] of Object.entries(chapters))
          if (!/^\d{2}$/.test(chapter) || !count(n, 0))
            issues.push({
              code: CODE,
              path: `${path}/${escapePointerToken(chapter)}`,
              message: `${path}/${escapePointerToken(chapter)} must be a 2-digit HS chapter with a whole, non-negative count`,
            });
      }
  }
  if (issues.length > 0) return fail(issues.slice(0, MAX_ISSUES));
  return ok(doc as unknown as ReferencePriceTable);
}
