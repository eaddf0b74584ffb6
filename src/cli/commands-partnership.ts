/**
 * `rights-holders`, `brands`, `cases` and `notices` commands: the platform partnership against
 * counterfeits and unsafe goods from the command line, on SQLite or PostgreSQL (same services as the API).
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import {
  BrandInput,
  CaseActionInput,
  CaseInput,
  Evidence,
  NoticeAnswer,
  RightsHolderInput,
} from '../partnership/index.js';
import {
  checked,
  print,
  printList,
  readJson,
  withServices,
  type StoreOptions,
} from './commands-operators.js';
import { UsageError, isoOption as iso, positiveInt } from './io.js';
import { cliActor } from './commands-security.js';

/** Applies a schema's defaults, then checks the value against it (usage error listing every problem). */
export function checkedWithDefaults<T>(schema: TSchema, value: unknown): T {
  const check = compiled.get(schema) ?? TypeCompiler.Compile(schema);
  compiled.set(schema, check);
  return checked<T>(check, Value.Default(schema, Value.Clone(value)));
}
const compiled = new Map<TSchema, ReturnType<typeof TypeCompiler.Compile>>();

const now = () => new Date().toISOString();

/** `rights-holders add <file>`: registers a rights holder (name, country, contactEmail, applicationReference, validTo). */
export const addRightsHolderCommand = (file: string, o: StoreOptions) =>
  withServices(o, async (s) => {
    print(
      await s.partnership.addRightsHolder(
        checkedWithDefaults<RightsHolderInput>(RightsHolderInput, readJson(file)),
        now(),
      ),
    );
  });

/** `brands add <rightsHolderId> <file>`: protects a brand (names, genuine-product hints, price floor). */
export const addBrandCommand = (rightsHolderId: string, file: string, o: StoreOptions) =>
  withServices(o, async (s) => {
    print(
      await s.partnership.addBrand(
        rightsHolderId,
        checkedWithDefaults<BrandInput>(BrandInput, readJson(file)),
        now(),
      ),
    );
  });

/** `brands list`: one line per protected brand with its price floor and the rights holder. */
export const listBrandsCommand = (o: StoreOptions & { rightsHolder?: string; json?: boolean }) =>
  withServices(o, async (s) => {
    printList(
      await s.partnership.brands(o.rightsHolder),
      o.json,
      (b) => [b.id, b.name, `floor EUR ${b.priceFloorEur}`, b.rightsHolderId, b.aliases.join(',')],
      'no protected brands',
    );
  });

/** `cases open`: from a JSON file (CaseInput) or from options. */
export const openCaseCommand = (
  file: string | undefined,
  o: StoreOptions & {
    kind?: string;
    consignment?: string;
    brand?: string;
    hazard?: string;
    platform?: string;
    seller?: string;
    listingUrl?: string;
    note?: string;
  },
) =>
  withServices(o, async (s) => {
    const fromOptions = {
      ...(o.kind ? { kind: o.kind } : {}),
      ...(o.consignment ? { consignmentId: o.consignment } : {}),
      ...(o.brand ? { brandId: o.brand } : {}),
      ...(o.hazard ? { hazard: o.hazard } : {}),
      ...(o.platform ? { platformId: o.platform } : {}),
      ...(o.seller ? { sellerId: o.seller } : {}),
      ...(o.listingUrl ? { listingUrl: o.listingUrl } : {}),
      ...(o.note ? { note: o.note } : {}),
    };
    const input = { ...(file ? (readJson(file) as object) : {}), ...fromOptions };
    print(await s.partnership.openCase(checkedWithDefaults<CaseInput>(CaseInput, input), cliActor(), now()));
  });

/** `cases list`: newest first, by seller operator or consignment. */
export const listCasesCommand = (
  o: StoreOptions & { seller?: string; consignment?: string; limit?: string; json?: boolean },
) =>
  withServices(o, async (s) => {
    const items = await s.partnership.cases({
      ...(o.seller ? { sellerOperatorId: o.seller } : {}),
      ...(o.consignment ? { consignmentId: o.consignment } : {}),
      limit: positiveInt('limit', o.limit, 100),
    });
    printList(
      items,
      o.json,
      (c) => [
        c.id,
        c.kind,
        c.state,
        c.consignmentId ?? '-',
        c.brandName ?? c.hazard ?? '-',
        c.platformId && c.sellerId ? `${c.platformId}/${c.sellerId}` : '-',
        c.openedAt,
      ],
      'no cases',
    );
  });

/** `cases show <id>`: the case with evidence, history and its notice to the platform. */
export const showCaseCommand = (id: string, o: StoreOptions) =>
  withServices(o, async (s) => {
    const c = (await s.partnership.getCase(id)).doc;
    const notice = c.noticeId ? await s.store.get(noticeCollection, c.noticeId) : undefined;
    print({ case: c, ...(notice ? { notice: notice.doc } : {}) });
  });
const noticeCollection = 'notice';

/** `cases evidence <id>`: adds a piece of evidence. */
export const addEvidenceCommand = (
  id: string,
  o: StoreOptions & { kind: string; reference: string; sha256?: string },
) =>
  withServices(o, async (s) => {
    const e = checkedWithDefaults<Evidence>(Evidence, {
      kind: o.kind,
      reference: o.reference,
      ...(o.sha256 ? { sha256: o.sha256 } : {}),
    });
    print(await s.partnership.addEvidence(id, e, cliActor(), now()));
  });

/** `cases act <id> <action>`: confirm (notifies the platform), dismiss, seize or dispose. */
export const caseActionCommand = (
  id: string,
  action: string,
  o: StoreOptions & { reason: string; disposal?: string; at?: string },
) =>
  withServices(o, async (s) => {
    const at = iso('at', o.at);
    const a = checkedWithDefaults<CaseActionInput>(CaseActionInput, {
      action,
      reason: o.reason,
      ...(o.disposal ? { disposal: o.disposal } : {}),
      ...(at ? { at } : {}),
    });
    print(await s.partnership.act(id, a, cliActor(), now()));
  });

/** `notices list --platform <id>`: the notices addressed to a platform changed after a cursor. */
export const listNoticesCommand = (o: StoreOptions & { platform: string; after?: string; limit?: string }) =>
  withServices(o, async (s) => {
    const after = o.after === undefined ? 0 : Number(o.after);
    if (!Number.isInteger(after) || after < 0)
      throw new UsageError(
        `--after must be a cursor from a previous list (a whole number), got '${o.after}'`,
      );
    print(await s.partnership.notices(o.platform, after, positiveInt('limit', o.limit, 100)));
  });

/** `notices answer <id> <action> --platform <id>`: records the platform's answer (once). */
export const answerNoticeCommand = (
  id: string,
  action: string,
  o: StoreOptions & { platform: string; note?: string; at?: string },
) =>
  withServices(o, async (s) => {
    const at = iso('at', o.at);
    const a = checkedWithDefaults<NoticeAnswer>(NoticeAnswer, {
      action,
      ...(o.note ? { note: o.note } : {}),
      ...(at ? { at } : {}),
    });
    print(await s.partnership.answer(id, a, o.platform, now()));
  });

/** `operators enforcement <id>`: a seller's cases and the platforms' answers. */
export const enforcementCommand = (id: string, o: StoreOptions) =>
  withServices(o, async (s) => {
    await s.operators.get(id);
    print(await s.partnership.sellerHistory(id));
  });
