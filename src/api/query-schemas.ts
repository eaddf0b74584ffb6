/** Querystring schema parts the list endpoints share. */
import { Type, type TOptional, type TString } from '@sinclair/typebox';

/** Optional free-text filters of a list, by name (in the order given, as the OpenAPI lists them). */
export function optionalStrings<K extends string>(...names: K[]): Record<K, TOptional<TString>> {
  return Object.fromEntries(names.map((n) => [n, Type.Optional(Type.String())])) as Record<
    K,
    TOptional<TString>
  >;
}

/** The `limit` of a list page: 1 to 1,000 items, 100 when not given. */
export const listLimit = () => Type.Integer({ minimum: 1, maximum: 1000, default: 100 });
