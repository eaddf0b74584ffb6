/** Registers the exchange format commands: `postal`, `h7`, `placi`, `t86`. */
import type { Command } from 'commander';
import { h7Commands, placiCommands, postalCommands, t86Commands } from './commands-formats.js';
import { forceHelp } from './io.js';

/** Adds `postal response|events`, `h7 export|import`, `placi export|import` and `t86 export|import`. */
export function registerFormatCommands(program: Command, where: (c: Command) => Command): void {
  const out = (c: Command): Command =>
    c
      .option('--out <file>', 'write here instead of stdout (an existing file only with --force)')
      .option('--force', forceHelp);

  const postal = program
    .command('postal')
    .description(
      'Postal messages out: CUSRSP-style responses, EMSEVT-style item events (import: ingest x.xml)',
    );
  where(
    out(
      postal
        .command('response <consignments...>')
        .description('The customs responses of consignments as one CUSRSP-style XML document')
        .option('--sender <id>', 'message sender (e.g. the customs office)')
        .option('--recipient <id>', 'message recipient (e.g. the designated operator)')
        .option('--prepared-at <iso>', 'message preparation time'),
    ),
  ).action(async (ids: string[], o) => postalCommands.response(ids, o));
  where(
    out(
      postal
        .command('events <consignments...>')
        .description('The clearance events of consignments as one EMSEVT-style XML document')
        .option('--office <code>', 'location written for events that carry none'),
    ),
  ).action(async (ids: string[], o) => postalCommands.events(ids, o));

  const h7 = program.command('h7').description('EU H7 low-value declarations (JSON)');
  where(
    out(
      h7
        .command('export <consignment>')
        .description('Write a consignment as an H7 declaration; issues on stderr and exit code 1'),
    ),
  ).action(async (id: string, o) => {
    process.exitCode = await h7Commands.export(id, o);
  });
  where(
    h7
      .command('import <file>')
      .description('Import H7 declarations (one or an array) as declaration records: all or none')
      .option('--submitter <id>', 'submitter id recorded on the consignments', 'cli')
      .option('--check', 'only check the file; nothing is written'),
  ).action(async (file: string, o) => {
    process.exitCode = await h7Commands.import(file, o);
  });

  const placi = program.command('placi').description('ICS2 PLACI house filings (JSON)');
  where(
    out(
      placi
        .command('export <consignment>')
        .description('Write a consignment as a PLACI house filing; issues on stderr and exit code 1'),
    ),
  ).action(async (id: string, o) => {
    process.exitCode = await placiCommands.export(id, o);
  });
  out(
    placi
      .command('import <file>')
      .description('Check PLACI filings (one or an array) and print the canonical fields each carries'),
  ).action((file: string, o) => {
    process.exitCode = placiCommands.import(file, o);
  });

  const t86 = program.command('t86').description('US Entry Type 86 (Section 321) data elements (JSON)');
  where(
    out(
      t86
        .command('export <consignment>')
        .description('Write a consignment as a Type 86 entry; issues on stderr and exit code 1')
        .option('--entry-number <n>', "the filer's entry number")
        .option('--on <date>', 'check eligibility on this date (default today; suspended from 2025-08-29)'),
    ),
  ).action(async (id: string, o) => {
    process.exitCode = await t86Commands.export(id, o);
  });
  where(
    t86
      .command('import <file>')
      .description('Import Type 86 entries (one or an array) as declaration records: all or none')
      .option('--submitter <id>', 'submitter id recorded on the consignments', 'cli')
      .option('--check', 'only check the file; nothing is written'),
  ).action(async (file: string, o) => {
    process.exitCode = await t86Commands.import(file, o);
  });
}
