/**
 * Rules: the stored rule-set versions and the one in force; a version's rules with each rule's hit
 * rate from inspection outcomes; an editor that checks a document with the validator (every issue
 * with its path, rule and position, linked to the line), runs scenario tests, saves a new version and
 * activates a version.
 */
import { ApiError, currentIdentity, get, mayCall, post } from './api.js';
import { badge, counted, fmtInt, fmtPct, h, listTable, mount } from './dom.js';
import { errorText } from './forms.js';

interface RuleSetSummary {
  id: string;
  version: number;
  active: boolean;
  loadedAt: string | null;
  loadedBy: string;
  activatedAt: string | null;
  rules: number;
  shipped?: boolean;
}

interface RuleDoc {
  id: string;
  version: number;
  title?: string;
  thresholds?: { red: number; yellow: number; blue: number };
  indicators?: Record<string, { threshold: number; weight: number }>;
  rules?: {
    id: string;
    version?: number;
    title?: string;
    when?: string;
    weight?: number;
    lane?: string;
    security?: string;
    reason?: string;
    effectiveFrom?: string;
    effectiveTo?: string;
  }[];
}

interface RuleStats {
  id: string;
  selections: number;
  hits: number;
  hitRate: number;
  lift: number | null;
  neverHit: boolean;
}

interface RuleReport {
  outcomes: number;
  hits: number;
  rules: RuleStats[];
  random: { inspections: number; hits: number; hitRate: number };
}

interface Issue {
  code: string;
  path: string;
  message: string;
  ruleId?: string;
  position?: number;
}

interface ScenarioResult {
  name: string;
  passed: boolean;
  lane: string;
  fired: string[];
  problems: string[];
}

interface Check {
  valid: boolean;
  issues: Issue[];
  ruleSet: { id: string; version: number; key: string; rules: number } | null;
  scenarios: { source: string; passed: number; failed: number; results: ScenarioResult[] };
}

const when = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—');
const keyOf = (r: { id: string; version: number }) => `${r.id}@${r.version}`;

/** The list of rule-set versions. */
export async function rulesPage(main: HTMLElement): Promise<void> {
  mount(main, h('h1', {}, 'Rules'), h('p.muted', { role: 'status' }, 'Loading rule sets…'));
  const list = await get<{ items: RuleSetSummary[]; inForce: string; editable?: boolean }>('/v1/rule-sets');
  const rows = [...list.items];
  const [inForceId, inForceVersion] = list.inForce.split('@');
  if (!rows.some((r) => keyOf(r) === list.inForce) && inForceId && inForceVersion) {
    rows.push({
      id: inForceId,
      version: Number(inForceVersion),
      active: true,
      loadedAt: null,
      loadedBy: 'package',
      activatedAt: null,
      rules: NaN,
      shipped: true,
    });
  }
  mount(
    main,
    h('h1', {}, 'Rules'),
    h(
      'p.summary',
      { role: 'status', id: 'rules-summary' },
      'In force: ',
      h('strong', {}, list.inForce),
      ` · ${counted(list.items.length, 'stored version')}`,
      list.editable === false ? ' · this server has no risk store: rule sets are read-only' : '',
    ),
    listTable(
      'rule-sets',
      'Rule-set versions',
      ['Rule set', 'State', 'Rules', 'Loaded', 'Activated'],
      rows.map((r) =>
        h(
          'tr',
          { 'data-key': keyOf(r) },
          h('td', {}, h('a', { href: `#/rules/${r.id}/${r.version}` }, keyOf(r))),
          h(
            'td',
            {},
            keyOf(r) === list.inForce ? badge('in force', 'released') : badge('stored', 'assessed'),
            r.shipped ? ' shipped with the package' : '',
          ),
          h('td.num', {}, Number.isNaN(r.rules) ? '—' : fmtInt(r.rules)),
          h('td', {}, r.loadedAt ? `${when(r.loadedAt)} by ${r.loadedBy}` : r.loadedBy),
          h('td', {}, when(r.activatedAt)),
        ),
      ),
    ),
    h('p.hint', {}, 'Open a version to see its rules and hit rates, edit it, test it and activate it.'),
  );
}

/**
 * The 1-based line of the text where a validator path points: a rule's field (`/rules/3/when`) is
 * found after that rule's id; other paths at their last key. Null when not found.
 */
export function lineOf(text: string, doc: RuleDoc | undefined, path: string): number | null {
  const lines = text.split('\n');
  const find = (from: number, re: RegExp): number => {
    for (let i = from; i < lines.length; i++) if (re.test(lines[i]!)) return i;
    return -1;
  };
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'rules' && parts[1] !== undefined && doc?.rules?.[Number(parts[1])]) {
    const id = doc.rules[Number(parts[1])]!.id;
    let start = find(0, new RegExp(`"id"\\s*:\\s*"${esc(String(id))}"`));
    if (start < 0) return null;
    // The rule's object opens on the line of its id or just before it.
    while (start > 0 && !/{\s*$/.test(lines[start]!) && !/^\s*{/.test(lines[start]!)) start--;
    if (parts.length === 2) return start + 1;
    const at = find(start, new RegExp(`"${esc(parts[2]!)}"\\s*:`));
    return at < 0 ? start + 1 : at + 1;
  }
  const key = parts.at(-1);
  if (key === undefined) return 1;
  const at = find(0, new RegExp(`"${esc(key)}"\\s*:`));
  return at < 0 ? null : at + 1;
}

function selectLine(area: HTMLTextAreaElement, line: number): void {
  const lines = area.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  area.focus();
  area.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  const lineHeight = area.scrollHeight / Math.max(1, lines.length);
  area.scrollTop = Math.max(0, (line - 4) * lineHeight);
}

function issuesList(issues: Issue[], area: HTMLTextAreaElement, doc: RuleDoc | undefined): HTMLElement {
  return h(
    'ol.issues',
    { id: 'rule-issues' },
    issues.map((i) => {
      const line = lineOf(area.value, doc, i.path);
      return h(
        'li',
        {},
        h('code', {}, i.code),
        ' at ',
        h('code', {}, i.path || '/'),
        i.ruleId ? ` · rule ${i.ruleId}` : '',
        i.position !== undefined ? ` · character ${i.position} of the expression` : '',
        line !== null
          ? [
              ' · ',
              h(
                'button.link',
                { type: 'button', onclick: () => selectLine(area, line), 'data-line': line },
                `line ${line}`,
              ),
            ]
          : '',
        h('div', {}, i.message),
      );
    }),
  );
}

function scenarioTable(c: Check): HTMLElement {
  const s = c.scenarios;
  return h(
    'div',
    { id: 'scenario-results' },
    h(
      'p',
      { class: s.failed > 0 ? 'form-status error' : 'form-status ok' },
      `${s.passed} passed, ${s.failed} failed`,
      s.source === 'shipped' ? ' (the scenarios shipped for this rule set)' : '',
      s.source === 'none' ? ' (no scenarios)' : '',
    ),
    h(
      'div.scroll',
      { tabindex: 0, role: 'region', 'aria-label': 'Scenario results' },
      h(
        'table.list',
        {},
        h('caption.sr', {}, 'Scenario results'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Scenario', 'Result', 'Lane', 'Fired', 'Problems'].map((x) => h('th', { scope: 'col' }, x)),
          ),
        ),
        h(
          'tbody',
          {},
          s.results.map((r) =>
            h(
              'tr',
              { class: r.passed ? '' : 'failed' },
              h('td', {}, r.name),
              h('td', {}, r.passed ? badge('passed', 'released') : badge('failed', 'seized')),
              h('td', {}, badge(r.lane)),
              h('td', {}, r.fired.join(', ') || '—'),
              h('td', {}, r.problems.join('; ') || '—'),
            ),
          ),
        ),
      ),
    ),
  );
}

/** One rule-set version: rules with hit rates, the editor, scenario tests, activation. */
export async function ruleSetPage(main: HTMLElement, id: string, version: number): Promise<void> {
  mount(main, h('h1', {}, `Rule set ${id}@${version}`), h('p.muted', { role: 'status' }, 'Loading…'));
  const [rs, report, list, scenarios] = await Promise.all([
    get<RuleSetSummary & { document: RuleDoc }>(`/v1/rule-sets/${encodeURIComponent(id)}/${version}`),
    get<RuleReport>('/v1/rules/report').catch((e: unknown) => e as ApiError),
    get<{ items: RuleSetSummary[]; inForce: string; editable?: boolean }>('/v1/rule-sets'),
    get<{ scenarios: unknown[]; file?: unknown }>(`/v1/rule-sets/${encodeURIComponent(id)}/scenarios`).catch(
      () => ({ scenarios: [] as unknown[], file: undefined }),
    ),
  ]);
  const doc = rs.document;
  const inForce = list.inForce === `${id}@${version}`;
  const stats = new Map(report instanceof ApiError ? [] : report.rules.map((r) => [r.id, r]));
  const nextVersion = Math.max(version, ...list.items.filter((r) => r.id === id).map((r) => r.version)) + 1;
  const rate = (s: RuleStats | undefined) =>
    s === undefined || s.selections === 0 ? '—' : `${fmtPct(s.hitRate)} (${s.hits}/${s.selections})`;
  const lift = (s: RuleStats | undefined) => (s?.lift == null ? '—' : `${s.lift.toFixed(1)}×`);

  const status = h('p.form-status', { role: 'status', id: 'rules-status' }, '');
  const say = (text: string, ok: boolean) => {
    status.textContent = text;
    status.className = `form-status ${ok ? 'ok' : 'error'}`;
  };
  // What the role may do here, by the server's role table: the console offers nothing it would refuse.
  const mayCheck = mayCall('POST', '/v1/rule-sets/check');
  const maySave = list.editable !== false && mayCall('POST', '/v1/rule-sets');
  const mayActivate = mayCall('POST', '/v1/rule-sets/:id/:version/activate');
  const role = currentIdentity().role;
  const activate =
    !inForce && !rs.shipped && list.editable !== false && mayActivate
      ? h(
          'button.primary',
          {
            type: 'button',
            id: 'activate',
            onclick: async () => {
              try {
                await post(`/v1/rule-sets/${encodeURIComponent(id)}/${version}/activate`, {});
                await ruleSetPage(main, id, version);
                const s = main.querySelector('#rules-status');
                if (s) {
                  s.textContent = `Activated ${id}@${version}: every following batch is assessed with it.`;
                  s.className = 'form-status ok';
                }
              } catch (e) {
                say(errorText(e), false);
              }
            },
          },
          `Activate ${id}@${version}`,
        )
      : !inForce && !rs.shipped && list.editable !== false
        ? h('p.muted', { id: 'activate-denied' }, `Your role (${role}) may not activate rule-set versions.`)
        : null;

  const editorDoc = { ...doc, version: nextVersion };
  const area = h('textarea.code', {
    id: 'rule-doc',
    rows: 22,
    spellcheck: 'false',
    'aria-describedby': 'rule-doc-help',
    // Nothing to do with an edit when the role may neither check nor save one.
    readonly: !mayCheck && !maySave,
  }) as HTMLTextAreaElement;
  area.value = JSON.stringify(editorDoc, null, 2);
  const scenarioArea = h('textarea.code', {
    id: 'rule-scenarios',
    rows: 10,
    spellcheck: 'false',
  }) as HTMLTextAreaElement;
  scenarioArea.value = JSON.stringify(scenarios.file ?? { scenarios: scenarios.scenarios }, null, 2);
  const results = h('div', { id: 'check-results' });

  const parse = (text: string, what: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new Error(`${what} is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
  };
  const check = async () => {
    let body: { document: unknown; scenarios?: unknown };
    try {
      const scen = parse(scenarioArea.value, 'The scenarios');
      const list = Array.isArray(scen) ? scen : (scen as { scenarios?: unknown } | null)?.scenarios;
      if (!Array.isArray(list))
        throw new Error('The scenarios must be a scenario file with a "scenarios" array, or an array');
      body = { document: parse(area.value, 'The rule set'), scenarios: scen };
    } catch (e) {
      mount(results);
      say((e as Error).message, false);
      return;
    }
    say('Checking…', true);
    const c = await post<Check>('/v1/rule-sets/check', body);
    if (!c.valid) {
      say(`The validator found ${counted(c.issues.length, 'problem')}.`, false);
      mount(results, issuesList(c.issues, area, body.document as RuleDoc));
      return;
    }
    say(
      `${c.ruleSet!.key} is valid: ${c.ruleSet!.rules} rules; scenarios ${c.scenarios.passed} passed, ${c.scenarios.failed} failed.`,
      c.scenarios.failed === 0,
    );
    mount(results, scenarioTable(c));
  };
  const save = async () => {
    let document: unknown;
    try {
      document = parse(area.value, 'The rule set');
    } catch (e) {
      say((e as Error).message, false);
      return;
    }
    try {
      const r = await post<{ status: string; ruleSet: RuleSetSummary }>('/v1/rule-sets', document);
      location.hash = `#/rules/${r.ruleSet.id}/${r.ruleSet.version}`;
    } catch (e) {
      if (e instanceof ApiError && Array.isArray(e.problem.issues)) {
        say(`Not saved: ${e.message}`, false);
        mount(results, issuesList(e.problem.issues as Issue[], area, document as RuleDoc));
      } else say(errorText(e), false);
    }
  };

  const rules = doc.rules ?? [];
  const indicators = Object.entries(doc.indicators ?? {});
  mount(
    main,
    h('p', {}, h('a', { href: '#/rules' }, '← Rules')),
    h('h1', {}, 'Rule set ', h('code', {}, `${id}@${version}`)),
    h(
      'p.facts',
      {},
      inForce ? badge('in force', 'released') : badge('not in force', 'assessed'),
      ` ${doc.title ?? ''}`,
      doc.thresholds
        ? ` · lanes: red ≥ ${doc.thresholds.red}, yellow ≥ ${doc.thresholds.yellow}, blue ≥ ${doc.thresholds.blue}`
        : '',
      rs.shipped ? ' · shipped with the package' : ` · loaded ${when(rs.loadedAt)} by ${rs.loadedBy}`,
    ),
    activate,
    status,
    h(
      'section.card',
      {},
      h('h2', {}, `Rules (${rules.length})`),
      report instanceof ApiError
        ? h('p.muted', {}, `Hit rates unavailable: ${report.message}`)
        : h(
            'p.muted',
            { id: 'hit-summary' },
            `Hit rates from ${fmtInt(report.outcomes)} inspection outcomes; the random sample found something in ${fmtPct(report.random.hitRate)} of ${fmtInt(report.random.inspections)}.`,
          ),
      listTable(
        'rules-table',
        'Rules with their hit rates',
        ['Rule', 'When', 'Outcome', 'Selections', 'Hit rate', 'Lift'],
        rules.map((r) => {
          const s = stats.get(r.id);
          return h(
            'tr',
            { 'data-rule': r.id },
            h('td', {}, h('strong', {}, r.id), h('br'), h('small', {}, r.title ?? '')),
            h('td', {}, h('code.when', {}, r.when ?? '')),
            h(
              'td',
              {},
              [
                r.weight !== undefined ? `+${r.weight}` : '',
                r.lane ? `lane ${r.lane}` : '',
                r.security ? r.security : '',
              ]
                .filter(Boolean)
                .join(' · '),
            ),
            h('td.num', {}, s ? fmtInt(s.selections) : '0'),
            h('td.num.hit-rate', {}, rate(s), s && s.selections > 0 && s.neverHit ? ' never hit' : ''),
            h('td.num', {}, lift(s)),
          );
        }),
      ),
      indicators.length > 0
        ? listTable(
            'indicators-table',
            'Indicators',
            ['Indicator', 'Threshold', 'Weight', 'Selections', 'Hit rate', 'Lift'],
            indicators.map(([name, v]) => {
              const s = stats.get(name);
              return h(
                'tr',
                {},
                h('td', {}, name),
                h('td.num', {}, String(v.threshold)),
                h('td.num', {}, String(v.weight)),
                h('td.num', {}, s ? fmtInt(s.selections) : '0'),
                h('td.num', {}, rate(s)),
                h('td.num', {}, lift(s)),
              );
            }),
            true,
          )
        : null,
    ),
    h(
      'section.card',
      {},
      h('h2', {}, mayCheck || maySave ? 'Edit and test' : 'Document'),
      h(
        'p',
        { id: 'rule-doc-help' },
        `The document below is this version with the version number set to ${nextVersion}.`,
        mayCheck
          ? ' Check runs the validator (every problem, with its path, rule and position in the expression) and then the scenarios.'
          : '',
        maySave ? ' Save stores it as a new version, not yet in force.' : '',
        !mayCheck && !maySave
          ? ` Your role (${role}) may not check or save rule sets: the document is shown read-only.`
          : !maySave && list.editable !== false
            ? ` Your role (${role}) may check and test a document but not save it.`
            : '',
      ),
      h('label', { for: 'rule-doc' }, 'Rule-set document (JSON)'),
      area,
      h(
        'details',
        {},
        h('summary', {}, `Scenarios (${scenarios.scenarios.length})`),
        h(
          'label',
          { for: 'rule-scenarios' },
          'Scenario file (JSON: base, context, and scenarios each with name, input or patch, expect)',
        ),
        scenarioArea,
      ),
      h(
        'p.actions',
        {},
        mayCheck
          ? h(
              'button',
              { type: 'button', id: 'check', onclick: () => void check().catch(fail) },
              'Check and test',
            )
          : null,
        ' ',
        !maySave
          ? null
          : h(
              'button.primary',
              { type: 'button', id: 'save', onclick: () => void save().catch(fail) },
              'Save as new version',
            ),
      ),
      results,
    ),
  );
  function fail(e: unknown): void {
    say(errorText(e), false);
  }
}
