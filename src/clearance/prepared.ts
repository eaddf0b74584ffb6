/** A record that passed validation, as it crosses from preparation (possibly a worker) to the transaction. */
import type { ConsignmentInput, SourceKind } from '../domain/index.js';

/** A record that passed validation, ready for the transaction. */
export interface PreparedRecord {
  index: number;
  /** Canonical JSON of the validated, normalised record (sorted keys). */
  json: string;
  keys: string[];
  /** sha256 (hex) of `json`. */
  hash: string;
  /** The record's source kind, destination country and office of entry (summary columns). */
  kind: SourceKind;
  destination: string;
  office: string | null;
  /** The parsed record, when preparation ran in this thread (else rebuilt from `json` on demand). */
  input?: ConsignmentInput;
}

const jsonOfInput = new WeakMap<ConsignmentInput, string>();

/** The record's data, parsing (once) the JSON text a worker sent. */
export function inputOf(rec: PreparedRecord): ConsignmentInput {
  if (rec.input === undefined) {
    rec.input = JSON.parse(rec.json) as ConsignmentInput;
    jsonOfInput.set(rec.input, rec.json);
  }
  return rec.input;
}

/** The canonical JSON a record's data was prepared with (or made now). */
export function jsonOf(input: ConsignmentInput): string {
  return jsonOfInput.get(input) ?? JSON.stringify(input);
}

/** Remembers the canonical JSON of a parsed record. */
export function rememberJson(input: ConsignmentInput, json: string): void {
  jsonOfInput.set(input, json);
}
