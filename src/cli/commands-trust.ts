/** Registers the `operators`, `quality` and `returns` commands on the program. */
import type { Command } from 'commander';
import {
  grantStatusCommand,
  listOperatorsCommand,
  qualityCommand,
  registerOperatorCommand,
  returnStatsCommand,
  scoresCommand,
  showOperatorCommand,
  statusActionCommand,
} from './commands-operators.js';

/** Adds the registry commands; `dataDir` gives the default data directory. */
export function registerTrustCommands(program: Command, dataDir: () => string): void {
  const where = (c: Command) =>
    c
      .option('--data-dir <dir>', 'data directory (SQLite)')
      .option('--postgres <url>', 'PostgreSQL URL instead of SQLite');
  const store = (o: { dataDir?: string; postgres?: string }) => ({
    dataDir: o.dataDir ?? dataDir(),
    ...(o.postgres ? { postgres: o.postgres } : {}),
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
}
