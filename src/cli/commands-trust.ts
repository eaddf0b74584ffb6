/** Registers the `operators`, `quality` and `returns` commands on the program. */
import type { Command } from 'commander';
import type { StoreOptions } from './commands-operators.js';
import {
  grantStatusCommand,
  listOperatorsCommand,
  qualityCommand,
  registerOperatorCommand,
  returnStatsCommand,
  scoresCommand,
  showOperatorCommand,
  statementCommand,
  guaranteeCommand,
  settleCommand,
  statusActionCommand,
} from './commands-operators.js';
import {
  addBrandCommand,
  addEvidenceCommand,
  addRightsHolderCommand,
  answerNoticeCommand,
  caseActionCommand,
  enforcementCommand,
  listBrandsCommand,
  listCasesCommand,
  listNoticesCommand,
  openCaseCommand,
  showCaseCommand,
} from './commands-partnership.js';
import {
  listReturnsCommand,
  recordReturnCommand,
  returnActionCommand,
  showReturnCommand,
} from './commands-returns.js';

/** Adds the registry commands; `dataDir` gives the default data directory. */
export function registerTrustCommands(program: Command, dataDir: () => string): void {
  const where = (c: Command) =>
    c
      .option('--data-dir <dir>', 'data directory (SQLite)')
      .option('--postgres <url>', 'PostgreSQL URL instead of SQLite');
  // PARCELGATE_PG_SCHEMA: a PostgreSQL schema other than `public` (docs/postgres.md).
  const store = (o: { dataDir?: string; postgres?: string }) => ({
    dataDir: o.dataDir ?? dataDir(),
    ...(o.postgres ? { postgres: o.postgres } : {}),
    ...(o.postgres && process.env['PARCELGATE_PG_SCHEMA']
      ? { schema: process.env['PARCELGATE_PG_SCHEMA'] }
      : {}),
  });
  const ops = program
    .command('operators')
    .description('Operator registry: operators, AEO and credit status, compliance scores');
  where(
    ops
      .command('register <file>')
      .description('Register an operator from a JSON file (kind, name, country, identifiers, contacts)'),
  ).action(async (file, o) => registerOperatorCommand(file, store(o)));
  where(
    ops
      .command('list')
      .description('Operators with identifiers, score and inspection-rate multiplier')
      .option('--kind <k>', 'only this kind'),
  ).action(async (o) => listOperatorsCommand({ ...store(o), ...(o.kind ? { kind: o.kind } : {}) }));
  where(
    ops.command('show <id>').description('An operator with statuses, compliance score and facilitation'),
  ).action(async (id, o) => showOperatorCommand(id, store(o)));
  where(
    ops
      .command('grant <id>')
      .description('Grant an AEO certificate or credit grade')
      .requiredOption(
        '--level <level>',
        'AEOC, AEOS, AEOF, cn-advanced-certified, cn-general-certified, cn-general-credit, cn-dishonest, trusted-trader',
      )
      .requiredOption('--issuer <cc>', 'issuing country')
      .requiredOption('--from <date>', 'valid from')
      .option('--to <date>', 'valid to')
      .option('--reference <ref>', 'certificate number')
      .option('--mra-agreement <name>', 'recognised under this mutual recognition agreement')
      .option('--mra-programme <name>', 'the foreign programme')
      .option('--recognised-as <level>', 'the level it is recognised as here', 'AEOS'),
  ).action(async (id, o) => grantStatusCommand(id, { ...store(o), ...o }));
  where(
    ops
      .command('status <statusId> <action>')
      .description('Suspend, reinstate, withdraw or renew a status')
      .requiredOption('--reason <text>', 'why')
      .option('--at <date>', 'effective date (default now)')
      .option('--until <date>', 'suspend: end of the suspension')
      .option('--valid-to <date>', 'renew: new end of validity'),
  ).action(async (statusId, action, o) => statusActionCommand(statusId, action, { ...store(o), ...o }));
  where(
    ops
      .command('scores')
      .description('Count new clearance events into compliance scores, then list the scores'),
  ).action(async (o) => scoresCommand(store(o)));
  where(
    ops
      .command('statement <id>')
      .description(
        "A deferred-payment account: its periods, or with --period one period's statement (releases debited, returns credited)",
      )
      .option('--period <yyyy-mm>', 'the statement of this month')
      .option('--json', 'print JSON'),
  ).action(async (id, o) => statementCommand(id, { ...store(o), ...o }));
  where(
    ops
      .command('guarantee <id>')
      .description(
        "A deferred-payment account's guarantee and utilisation (deferred and unsettled); with --amount and --currency, register or replace it first",
      )
      .option('--amount <decimal>', 'guarantee amount, exact, e.g. 25000.00')
      .option('--currency <iso>', 'ISO 4217 currency of the guarantee, e.g. EUR')
      .option('--json', 'print JSON'),
  ).action(async (id, o) => guaranteeCommand(id, { ...store(o), ...o }));
  where(
    ops
      .command('settle <id>')
      .description("Record the payment of a period's statement: its net leaves the guarantee's utilisation")
      .requiredOption('--period <yyyy-mm>', 'the statement paid')
      .option('--json', 'print JSON'),
  ).action(async (id, o) => settleCommand(id, { ...store(o), ...o }));
  where(
    program
      .command('quality')
      .description(
        'Data-quality scorecards per submitter and period (completeness, vague descriptions, HS, late, duplicates, mismatches)',
      )
      .requiredOption('--from <date>', 'first day (YYYY-MM-DD)')
      .requiredOption('--to <date>', 'day after the last (YYYY-MM-DD)')
      .option('--submitter <id>', 'one submitter')
      .option('--period <p>', 'day, week or month', 'day')
      .option('--json', 'JSON instead of a table')
      .option('--chart <file>', "write an SVG chart of the (first) submitter's trend"),
  ).action(async (o) => qualityCommand({ ...store(o), ...o }));
  const returns = program.command('returns').description('Returned and refused parcels');
  where(
    returns
      .command('stats')
      .description('Returns and repayable duty/VAT by platform, seller, reason and kind')
      .requiredOption('--from <date>', 'first day')
      .requiredOption('--to <date>', 'day after the last'),
  ).action(async (o) => returnStatsCommand({ ...store(o), from: o.from, to: o.to }));
  where(
    returns
      .command('record')
      .description(
        'Register a returned or refused parcel: records the clearance event and prints the line-by-line refund position',
      )
      .requiredOption('--consignment <id>', 'the original consignment (csg_…)')
      .requiredOption('--kind <k>', 'refused, undeliverable, returned-by-buyer or customs-return')
      .requiredOption(
        '--reason <r>',
        'duties-not-accepted, not-as-described, damaged, changed-mind, address-unknown, not-collected, prohibited or other',
      )
      .option('--items <list>', 'returned item indexes, e.g. 0,2 (default all)')
      .option('--note <text>', 'free text')
      .option('--at <date>', 'when it was returned (default now)')
      .option('--no-clearance-event', 'do not move the consignment to returned')
      .option('--json', 'print JSON'),
  ).action(async (o) => recordReturnCommand({ ...store(o), ...o }));
  where(
    returns
      .command('list')
      .description('Returns of a consignment or registered in a period')
      .option('--consignment <id>', 'of this consignment')
      .option('--from <date>', 'registered from')
      .option('--to <date>', 'registered before')
      .option('--limit <n>', 'at most', '1000')
      .option('--json', 'print JSON'),
  ).action(async (o) => listReturnsCommand({ ...store(o), ...o }));
  where(
    returns
      .command('show <id>')
      .description('A return with its line-by-line refund position (repayable, seller refunds, not due)')
      .option('--json', 'print JSON'),
  ).action(async (id, o) => showReturnCommand(id, { ...store(o), ...o }));
  where(
    returns
      .command('act <id> <action>')
      .description('re-export, claim-refund, approve-refund, reject-refund, pay-refund or close')
      .option('--reason <text>', 'why')
      .option('--export-reference <ref>', 're-export: export declaration or return waybill')
      .option('--office <code>', 're-export: office of exit')
      .option('--payment-reference <ref>', 'pay-refund: payment reference')
      .option('--at <date>', 'when (default now)'),
  ).action(async (id, action, o) => returnActionCommand(id, action, { ...store(o), ...o }));
  registerPartnershipCommands(program, where, store);
}

/** `rights-holders`, `brands`, `cases`, `notices` and `operators enforcement`. */
function registerPartnershipCommands(
  program: Command,
  where: (c: Command) => Command,
  store: (o: { dataDir?: string; postgres?: string }) => StoreOptions,
): void {
  const holders = program
    .command('rights-holders')
    .description('Rights holders (applications for action) who protect brands');
  where(
    holders
      .command('add <file>')
      .description(
        'Register a rights holder from JSON (name, country, contactEmail, applicationReference, validTo)',
      ),
  ).action(async (file, o) => addRightsHolderCommand(file, store(o)));
  const brands = program.command('brands').description('Protected brands and their price floors');
  where(
    brands
      .command('add <rightsHolderId> <file>')
      .description(
        'Protect a brand from JSON (name, aliases, priceFloorEur, genuineHints, authorisedSellers); feeds the IPR indicator',
      ),
  ).action(async (holder, file, o) => addBrandCommand(holder, file, store(o)));
  where(
    brands
      .command('list')
      .description('Protected brands with their price floors')
      .option('--rights-holder <id>', 'of one rights holder')
      .option('--json', 'print JSON'),
  ).action(async (o) => listBrandsCommand({ ...store(o), ...o }));
  const cases = program.command('cases').description('Counterfeit and unsafe-goods cases');
  where(
    cases
      .command('open [file]')
      .description(
        'Open a case from a JSON file and/or options; platform and seller default to the consignment',
      )
      .option('--kind <k>', 'counterfeit or unsafe')
      .option('--consignment <id>', 'the consignment the goods travelled in')
      .option('--brand <id>', 'protected brand (brd_…)')
      .option('--hazard <text>', 'unsafe goods: the hazard or failed standard')
      .option('--platform <code>', 'platform code')
      .option('--seller <id>', "seller's id on the platform")
      .option('--listing-url <url>', 'the listing')
      .option('--note <text>', 'note'),
  ).action(async (file, o) => openCaseCommand(file, { ...store(o), ...o }));
  where(
    cases
      .command('list')
      .description('Cases, newest first')
      .option('--seller <id>', 'against this seller operator')
      .option('--consignment <id>', 'about this consignment')
      .option('--limit <n>', 'at most', '100')
      .option('--json', 'print JSON'),
  ).action(async (o) => listCasesCommand({ ...store(o), ...o }));
  where(
    cases.command('show <id>').description('A case with its evidence, history and platform notice'),
  ).action(async (id, o) => showCaseCommand(id, store(o)));
  where(
    cases
      .command('evidence <id>')
      .description('Add evidence to a case')
      .requiredOption(
        '--kind <k>',
        'photo, x-ray, lab-report, rights-holder-opinion, listing-capture or note',
      )
      .requiredOption('--reference <ref>', 'document or file reference, or the note')
      .option('--sha256 <hex>', 'digest of the evidence file'),
  ).action(async (id, o) => addEvidenceCommand(id, { ...store(o), ...o }));
  where(
    cases
      .command('act <id> <action>')
      .description('confirm (notifies the platform, counts against the seller), dismiss, seize or dispose')
      .requiredOption('--reason <text>', 'why')
      .option('--disposal <d>', 'dispose: destroyed, recycled, donated or returned-to-rights-holder')
      .option('--at <date>', 'when (default now)'),
  ).action(async (id, action, o) => caseActionCommand(id, action, { ...store(o), ...o }));
  const notices = program
    .command('notices')
    .description('Notices to platforms about confirmed cases, and their answers');
  where(
    notices
      .command('list')
      .description('Notices addressed to a platform that changed after a cursor (prints the next cursor)')
      .requiredOption(
        '--platform <id>',
        'platform operator id (or platform:<code> for an unregistered platform)',
      )
      .option('--after <cursor>', 'cursor from the previous list', '0')
      .option('--limit <n>', 'at most', '100'),
  ).action(async (o) => listNoticesCommand({ ...store(o), ...o }));
  where(
    notices
      .command('answer <id> <action>')
      .description(
        "Record the platform's answer once: listing-removed, seller-suspended, seller-warned, no-action or disputed",
      )
      .requiredOption('--platform <id>', 'the platform operator answering (must be the addressee)')
      .option('--note <text>', 'note')
      .option('--at <date>', 'when the platform acted'),
  ).action(async (id, action, o) => answerNoticeCommand(id, action, { ...store(o), ...o }));
  const ops = program.commands.find((c) => c.name() === 'operators')!;
  where(
    ops
      .command('enforcement <id>')
      .description("A seller's enforcement history: cases and the platforms' answers"),
  ).action(async (id, o) => enforcementCommand(id, store(o)));
}
