/** Registers the notification and signed-document commands on the program. */
import type { Command } from 'commander';
import { agreementCommands } from './commands-agreements.js';
import { usageErrorOf } from './io.js';
import { registerFormatCommands } from './register-formats.js';
import {
  c2cCommands,
  dispatchCommand,
  keyCommands,
  threeDocCommands,
  webhookCommands,
} from './commands-exchange.js';

const where = (c: Command): Command =>
  c
    .option('--data-dir <dir>', 'data directory (default $PARCELGATE_DATA_DIR or ./.parcelgate)')
    .option('--postgres <url>', 'PostgreSQL URL instead of the SQLite data directory');

/** Adds `dispatch`, `webhooks …`, `keys …` and `three-docs …`. */
export function registerExchangeCommands(program: Command): void {
  where(
    program
      .command('dispatch')
      .description(
        'Deliver clearance events to webhook subscriptions (signed, retried, dead-lettered) until stopped',
      )
      .option('--poll-ms <n>', 'how often to look for new events', '500')
      .option('--max-attempts <n>', 'attempts before an event is dead-lettered', '8')
      .option('--retry-base-ms <n>', 'first retry delay; doubles per failure (with jitter)', '1000')
      .option(
        '--three-doc-timeout <minutes>',
        'report three-document lists still waiting after this long',
        '1440',
      )
      .option('--once', 'one pass over every subscription, then exit')
      .option(
        '--webhook-allow <cidrs>',
        'also allow these non-public ranges as webhook destinations, e.g. 10.20.0.0/16 (default $PARCELGATE_WEBHOOK_ALLOW; see docs/notifications.md)',
      ),
  ).action(async (o) => dispatchCommand(o));

  const webhooks = program
    .command('webhooks')
    .description('Webhook subscriptions: add, update, list, replay, dead letters');
  where(
    webhooks
      .command('add')
      .description('Subscribe a URL to the events of an operator’s consignments; prints the secret once')
      .requiredOption('--operator <id>', 'operator (submitter) id whose consignments are followed')
      .requiredOption('--url <url>', 'receiver URL (http or https, public address unless --webhook-allow)')
      .option('--events <types>', 'comma-separated event types (default all)')
      .option('--from <pos>', 'now (default), beginning, or a seq')
      .option('--secret <whsec>', 'own secret instead of a generated one')
      .option(
        '--webhook-allow <cidrs>',
        'also allow these non-public ranges as webhook destinations, e.g. 10.20.0.0/16 (default $PARCELGATE_WEBHOOK_ALLOW; see docs/notifications.md)',
      ),
  ).action(async (o) => webhookCommands.add(o));
  where(
    webhooks
      .command('update <id>')
      .description(
        'Change a subscription in place (its cursor stays); prints it, with the new secret once when rotated',
      )
      .option('--url <url>', 'new receiver URL (checked as at add)')
      .option('--events <types>', 'comma-separated event types; "" for all')
      .option('--pause', 'stop deliveries; the cursor stays, pending events wait')
      .option('--resume', 'resume deliveries from the cursor')
      .option('--rotate-secret', 'replace the signing secret with a new one (printed once)')
      .option(
        '--webhook-allow <cidrs>',
        'also allow these non-public ranges as webhook destinations, e.g. 10.20.0.0/16 (default $PARCELGATE_WEBHOOK_ALLOW; see docs/notifications.md)',
      ),
  ).action(async (id, o) => webhookCommands.update(id, o));
  where(
    webhooks
      .command('list')
      .description('List subscriptions')
      .option('--operator <id>', 'only this operator'),
  ).action(async (o) => webhookCommands.list(o));
  where(
    webhooks
      .command('replay <id>')
      .description('Deliver again from a seq on, or the dead letters')
      .option('--from-seq <n>', 'rewind the cursor so delivery restarts at this seq')
      .option('--dead-letters', 'redeliver every dead letter'),
  ).action(async (id, o) => webhookCommands.replay(id, o));
  where(webhooks.command('dead-letters <id>').description('Events given up on, one JSON line each')).action(
    async (id, o) => webhookCommands.deadLetters(id, o),
  );

  const keys = program.command('signing-keys').description('Ed25519 signing keys per operator');
  keys
    .command('generate')
    .description('Create a key pair: writes the private key (PEM) and prints the public key to register')
    .requiredOption('--out <file>', 'private key file (an existing file only with --force)')
    .option('--force', 'overwrite an existing key file (its key is lost)')
    .action((o) => keyCommands.generate(o));
  where(
    keys
      .command('register')
      .description('Register a public key for an operator and the documents it may sign')
      .requiredOption('--operator <id>', 'operator id')
      .requiredOption('--public-key <key>', 'raw base64 key, or a .pem file')
      .requiredOption(
        '--purposes <list>',
        'order, payment, waybill, list, export-data, findings (comma-separated)',
      )
      .option('--key-id <id>', 'key id (default generated)'),
  ).action(async (o) => keyCommands.register(o));
  where(keys.command('revoke <keyId>').description('Revoke a key from now on')).action(async (id, o) =>
    keyCommands.revoke(id, o),
  );
  where(keys.command('list').description('List keys').option('--operator <id>', 'only this operator')).action(
    async (o) => keyCommands.list(o),
  );

  const docs = program
    .command('three-docs')
    .description('Three-document matching: sign, submit, status, overdue');
  docs
    .command('sign <file>')
    .description('Sign a document JSON file; prints the envelope to submit')
    .requiredOption('--key <pem>', 'private key file')
    .requiredOption('--key-id <id>', 'registered key id')
    .requiredOption('--kind <kind>', 'order, payment, waybill or list')
    .action((file, o) => threeDocCommands.sign(file, o));
  where(
    docs
      .command('submit <envelope>')
      .description('Submit a signed envelope as the given submitter; exit code 1 when the list is rejected')
      .requiredOption('--kind <kind>', 'order, payment, waybill or list')
      .requiredOption('--submitter <id>', 'operator id submitting'),
  ).action(async (file, o) => {
    process.exitCode = await threeDocCommands.submit(file, o);
  });
  where(docs.command('status <orderNo>').description('Documents received and the list outcome')).action(
    async (orderNo, o) => threeDocCommands.status(orderNo, o),
  );
  where(
    docs
      .command('overdue')
      .description('Report lists still waiting for documents after the timeout as missing')
      .option('--timeout <minutes>', 'timeout', '1440'),
  ).action(async (o) => threeDocCommands.overdue(o));

  const c2c = program.command('c2c').description('Customs-to-customs: signed export data and findings');
  c2c
    .command('export <consignment>')
    .description('Origin side: sign a consignment JSON as export data with only the agreed fields')
    .requiredOption('--agreements <file>', 'data-sharing agreements (JSON array)')
    .requiredOption('--agreement <id>', 'agreement id')
    .requiredOption('--key <pem>', 'export-data private key')
    .requiredOption('--key-id <id>', 'registered key id')
    .requiredOption('--export-ref <ref>', 'export declaration reference')
    .option('--exported-at <iso>', 'export time (default now)')
    .action((file, o) => {
      try {
        c2cCommands.export(file, o);
      } catch (e) {
        throw usageErrorOf(e);
      }
    });
  where(
    c2c
      .command('receive <envelope>')
      .description('Destination side: verify export data, store it as pre-arrival data, print the findings')
      .option(
        '--agreements <file>',
        'data-sharing agreements (JSON array; default: those stored, see c2c agreements)',
      )
      .requiredOption('--from <operator>', 'sending administration operator id')
      .requiredOption('--administration <operator>', 'this administration operator id')
      .option('--key <pem>', 'findings private key (findings are signed when given)')
      .option('--key-id <id>', 'findings key id'),
  ).action(async (file, o) =>
    c2cCommands.receive(file, o).catch((e: unknown) => {
      throw usageErrorOf(e);
    }),
  );

  registerFormatCommands(program, where);

  const agreements = c2c
    .command('agreements')
    .description('Data-sharing agreements kept in the store (what /v1/customs/agreements manages)');
  where(
    agreements
      .command('add <file>')
      .description(
        'Register the agreement (JSON object) or agreements (JSON array) of a file; an array updates changed ones',
      )
      .option('--by <actor>', 'who makes the change (recorded in its history)', 'cli'),
  ).action(async (file, o) => agreementCommands.add(file, o));
  where(
    agreements
      .command('list')
      .description('List agreements')
      .option('--party <operator>', 'only those with this administration'),
  ).action(async (o) => agreementCommands.list(o));
  where(agreements.command('show <id>').description('One agreement with its version and history')).action(
    async (id, o) => agreementCommands.show(id, o),
  );
  where(
    agreements
      .command('replace <id> <file>')
      .description('Replace an agreement with the JSON object of a file')
      .option('--expect-version <n>', 'refuse unless the stored version is this one')
      .option('--by <actor>', 'who makes the change', 'cli'),
  ).action(async (id, file, o) => agreementCommands.replace(id, file, o));
  where(
    agreements
      .command('remove <id>')
      .description('Remove an agreement: export data quoting it is refused from now on')
      .option('--expect-version <n>', 'refuse unless the stored version is this one'),
  ).action(async (id, o) => agreementCommands.remove(id, o));
}
