/**
 * The `title` of a problem: the meaning docs/errors.md gives its code, whichever module raised it
 * (a code without an entry keeps the code itself as its title).
 */
import { accessErrorCodes } from '../access/error-codes.js';
import { classifyErrorCodes } from '../classify/error-codes.js';
import { exchangeErrorCodes } from '../exchange/codes.js';
import { intakeErrorCodes } from '../intake/codes.js';
import { operatorErrorCodes } from '../operators/error-codes.js';
import { partnershipErrorCodes } from '../partnership/error-codes.js';
import { registryErrorCodes } from '../registry/error-codes.js';
import { returnErrorCodes } from '../returns/error-codes.js';
import { revenueErrorCodes } from '../revenue/error-codes.js';
import { ruleErrorCodes } from '../risk/error-codes.js';
import { screeningErrorCodes } from '../screening/error-codes.js';
import { storeErrorCodes } from '../store/error-codes.js';
import { apiErrorCodes } from './problem.js';

let titles: ReadonlyMap<string, string> | undefined;

/** The documented meaning of an error code, as a problem's title. */
export function problemTitle(code: string): string {
  titles ??= new Map(
    [
      intakeErrorCodes,
      ruleErrorCodes,
      storeErrorCodes,
      classifyErrorCodes,
      exchangeErrorCodes,
      revenueErrorCodes,
      accessErrorCodes,
      registryErrorCodes,
      operatorErrorCodes,
      partnershipErrorCodes,
      returnErrorCodes,
      screeningErrorCodes,
      apiErrorCodes,
    ].flatMap((table) => Object.entries(table)),
  );
  return titles.get(code) ?? code;
}
