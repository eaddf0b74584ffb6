/** Registry of every issue code the rule-set loader and expression compiler can emit. */

/** Every risk rule-set issue code and what it means; docs/errors.md is rendered from this table. */
export const ruleErrorCodes: Readonly<Record<string, string>> = Object.freeze({
  'rules.invalid':
    'The rule-set file does not have the required shape (a field is missing or has the wrong type).',
  'rules.duplicate-id': 'Two rules in the same rule set share an id.',
  'rules.missing-outcome':
    'A rule has none of "weight", "lane" or "security", so firing it would change nothing.',
  'rules.syntax':
    'A "when" expression (or a {placeholder} in a reason) cannot be parsed; the message gives the position.',
  'rules.unknown-field': 'An expression names a field that does not exist on the consignment or item.',
  'rules.unknown-function': 'An expression calls a function the rule language does not define.',
  'rules.unknown-operator':
    'An expression uses an operator the rule language does not define (e.g. "===", "&").',
  'rules.arguments':
    'A function or operator received the wrong number or kind of arguments (e.g. a non-literal regex).',
  'rules.type':
    'An operand has the wrong type (e.g. "not" applied to a non-boolean, or an object field compared).',
  'rules.bad-regex':
    'The pattern given to "matches" is not a valid regular expression, or uses a backreference or lookaround (patterns run in linear time, which these cannot).',
  'rules.bad-date':
    'effectiveFrom/effectiveTo is not an ISO date (YYYY-MM-DD) or an RFC 3339 timestamp with its offset (Z or +hh:mm), or To < From.',
  'rules.unknown-indicator':
    'indicator("...") or an "indicators" setting names an indicator the engine does not have.',
  'rules.unknown-list':
    'listed("...") names a watchlist the engine does not know (consignees, sellers, declarants).',
  'rules.invalid-default': 'The rule set shipped with the package (rules/eu-default.json) does not compile.',
  'rules.bad-now':
    'assessRisk was called with a context "now" that is not an ISO 8601 instant (thrown, status 500).',
  'rules.thresholds': 'Lane thresholds are not ordered blue <= yellow <= red within 0..100.',
  'rules.rejected':
    'A rule set loaded through the API or CLI does not compile; `issues` lists every problem with its path (422).',
  'rules.version-exists':
    'A rule set with this id and version is already stored with different content; bump the version (409).',
  'rules.not-found': 'No stored rule set has this id and version (404).',
  'rules.not-configured':
    'This server runs without a risk store, so rule sets cannot be loaded or activated (503).',
  'reference-prices.invalid':
    'An imported reference price table has a bad row: a key that is not an HS6 (or HS6@country, HS6#word), a median or spread not above 0, a support not a whole number >= 1; every bad row is listed with its path and nothing of the table is used.',
  'watchlist.invalid':
    "A watchlist file (`--watchlist FILE`) or a scenario file's `context.watchlist` is not an object of the lists consignees, sellers, declarants and addresses, each a list of non-empty names or {name, reason} entries; every problem is listed with its path and nothing of the file is used.",
  'rules.bad-scenarios':
    'A scenario file is not an object with a "scenarios" array, or a scenario lacks a name, an "expect" object, or an input (or a patch over the file base) (422).',
});

/** A rule-set error code. */
export type RuleErrorCode = keyof typeof ruleErrorCodes;
