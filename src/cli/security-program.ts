/** Registers the `keys`, `audit`, `privacy`, `backup` and `restore` commands on the program. */
import type { Command } from 'commander';
import {
  auditSealCommand,
  auditVerifyCommand,
  backupCommand,
  keysCreateCommand,
  keysListCommand,
  keysRevokeCommand,
  keysRotateCommand,
  privacyNewKeyCommand,
  privacyPurgeCommand,
  privacyRekeyCommand,
  restoreCommand,
  type StoreTarget,
} from './commands-security.js';
import { defaultDataDir } from './commands-store.js';
import { newPseudonymKeyCommand, rekeyPseudonymsCommand } from './commands-pseudonyms.js';
import { exportCommand } from './commands-export.js';

const target = (o: { dataDir?: string; postgres?: string }): StoreTarget => ({
  dataDir: o.dataDir ?? defaultDataDir(),
  ...(o.postgres ? { postgres: o.postgres } : {}),
});

function where(c: Command): Command {
  return c
    .option('--data-dir <dir>', 'data directory (default $PARCELGATE_DATA_DIR or ./.parcelgate)')
    .option('--postgres <url>', 'PostgreSQL database instead of the SQLite data directory');
}

/** Adds the security and operations commands. */
/** Options every export command takes: scrubbing and the consignment filters. */
function exportOptions(cmd: Command): Command {
  return cmd
    .option('--scrub <classes>', 'data classes to remove: identity, contact, party, or all (default all)')
    .option('--with-personal-data', 'export personal data as stored (audited)')
    .option('--state <state>', 'only consignments in this clearance state')
    .option('--lane <lane>', 'only this lane (green, yellow, red, blue)')
    .option('--destination <cc>', 'only this destination country')
    .option('--submitter <id>', "only this submitter's consignments (xlsx: its own records)");
}

export function registerSecurityCommands(program: Command): void {
  const keys = program.command('keys').description('API keys: create, list, rotate, revoke');
  where(keys.command('create'))
    .description('Create an API key for an operator or staff user; prints the key once')
    .requiredOption('--role <role>', 'submitter, officer, supervisor, analyst, auditor or admin')
    .requiredOption('--operator <id>', 'operator (submitter) id, or the staff user id')
    .option('--label <text>', 'a note shown by keys list')
    .option('--expires <iso>', 'expiry date-time')
    .action(async (o) => keysCreateCommand({ ...o, ...target(o) }));
  where(keys.command('list'))
    .description('List keys (id, role, operator, status; never the secret)')
    .action(async (o) => keysListCommand(target(o)));
  where(keys.command('rotate <id>'))
    .description('Replace a key; the old one keeps working for the overlap window')
    .option('--overlap <hours>', 'hours the old key stays valid', '24')
    .action(async (id, o) => keysRotateCommand(id, { ...o, ...target(o) }));
  where(keys.command('revoke <id>'))
    .description('Revoke a key at once')
    .option('--reason <text>', 'why (recorded in the audit log)')
    .action(async (id, o) => keysRevokeCommand(id, { ...o, ...target(o) }));

  const audit = program.command('audit').description('The hash-chained audit log');
  where(audit.command('verify'))
    .description('Check every entry and every sealed range of clearance events; exit 1 on tampering')
    .option('--expect-head <seq:hash>', 'a head recorded earlier, to detect truncation')
    .option('--seal', 'seal pending clearance events first')
    .action(async (o) => {
      process.exitCode = await auditVerifyCommand({ ...o, ...target(o) });
    });
  where(audit.command('seal'))
    .description('Seal committed clearance events into the chain (serve does this every few seconds)')
    .action(async (o) => auditSealCommand(target(o)));

  const privacy = program.command('privacy').description('Personal data: retention purge, data keys');
  where(privacy.command('purge'))
    .description('Purge personal data past its retention period (identity 90, contact 180, party 1095 days)')
    .option('--identity-days <n>', 'retention of identity numbers')
    .option('--contact-days <n>', 'retention of phone numbers and e-mail addresses')
    .option('--party-days <n>', 'retention of names and street lines')
    .option('--now <iso>', 'reference time (default now)')
    .action(async (o) => privacyPurgeCommand({ ...o, ...target(o) }));
  where(privacy.command('rekey'))
    .description('Re-encrypt identity numbers under the current key of PARCELGATE_DATA_KEYS')
    .action(async (o) => privacyRekeyCommand(target(o)));
  where(privacy.command('rekey-pseudonyms'))
    .description(
      'Re-key every person and party pseudonym under PARCELGATE_PSEUDONYM_KEY (after an upgrade, or to rotate the key; every process stopped)',
    )
    .action(async (o) => rekeyPseudonymsCommand(target(o)));
  privacy
    .command('new-pseudonym-key <id>')
    .description('Print a fresh pseudonym key (id:base64) for PARCELGATE_PSEUDONYM_KEY')
    .action((id) => newPseudonymKeyCommand(id));
  privacy
    .command('new-key <id>')
    .description('Print a fresh data key entry (id:base64) for PARCELGATE_DATA_KEYS')
    .action((id) => privacyNewKeyCommand(id));

  exportOptions(where(program.command('export')))
    .description(
      'Export consignments (NDJSON, CSV or .xlsx) with personal data scrubbed per data class (docs/security.md)',
    )
    .option(
      '--format <format>',
      'ndjson (whole consignments with their versions), csv (one row each) or xlsx (bulk template and responses; needs --out)',
      'ndjson',
    )
    .option('--out <file>', 'file to write (never overwritten; default stdout)')
    .option('--limit <n>', 'at most this many consignments (xlsx: default 10000)')
    .action(async (o) => exportCommand({ ...o, ...target(o) }));
  exportOptions(where(program.command('export-xlsx')))
    .description('Same as `export --format xlsx`: consignments and their customs responses as a workbook')
    .requiredOption('--out <file>', 'workbook to write (never overwritten)')
    .option('--limit <n>', 'at most this many consignments', '1000')
    .action(async (o) => exportCommand({ ...o, ...target(o), format: 'xlsx' }));
  program
    .command('backup')
    .description('Online backup of the SQLite database (PostgreSQL: see docs/operations.md)')
    .option('--data-dir <dir>', 'data directory')
    .requiredOption('--out <file>', 'backup file to write (never overwritten)')
    .action(async (o) => backupCommand({ dataDir: o.dataDir ?? defaultDataDir(), out: o.out }));
  program
    .command('restore <file>')
    .description('Restore a SQLite backup into a data directory (server stopped)')
    .option('--data-dir <dir>', 'data directory')
    .option('--force', 'replace an existing database (kept aside as parcelgate.db.before-restore-…)')
    .action((file, o) => restoreCommand(file, { dataDir: o.dataDir ?? defaultDataDir(), force: o.force }));
}
