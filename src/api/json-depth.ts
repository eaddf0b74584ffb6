/** Nesting-depth limit of JSON request bodies (hostile input: a deeply nested body is slow to parse). */

/** Deepest nesting a request body may have; consignment records nest about 6 levels. */
export const maxJsonDepth = 32;

/** Bodies up to this size are checked in full before parsing (cost ~5 ms per MiB). */
export const depthCheckedBytes = 1024 * 1024;

// maxJsonDepth opening brackets in a row, each optionally behind an object key: the shape any body
// nested that deep must contain somewhere.
const tooDeep = new RegExp(`[[{](?:\\s*(?:"[^"\\\\]{0,200}"\\s*:\\s*)?[[{]){${maxJsonDepth}}`);

/**
 * Whether a JSON text nests deeper than `maxJsonDepth`. Checked in full for bodies up to
 * `depthCheckedBytes`; larger (bulk) bodies only for runs of brackets, the cheap form of the attack.
 */
export function nestsTooDeep(text: string): boolean {
  if (text.length <= depthCheckedBytes) return tooDeep.test(text);
  return bulkDepthMarkers.some((m) => text.includes(m));
}

/** What a bulk body (over `depthCheckedBytes`) is searched for: the cheap form of the attack. */
export const bulkDepthMarkers: readonly string[] = ['[[[[[[[[[[[[[[[[', '{"":{"":{"":{"":'];
