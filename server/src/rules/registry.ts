import type { AnyRule } from '../engine/model/rule';
import { insecureAuthCookie } from './insecure-auth-cookie/rule';
import { jwtDecodeWithoutVerify } from './jwt-decode-without-verify/rule';
import { jwtHardcodedSecret } from './jwt-hardcoded-secret/rule';
import { jwtMissingExpiry } from './jwt-missing-expiry/rule';
import { jwtNoneAlgorithm } from './jwt-none-algorithm/rule';
import { nPlusOne } from './n-plus-one/rule';
import { remoteCallNoBreaker } from './remote-call-no-breaker/rule';
import { refreshTokenPlaintext } from './refresh-token-plaintext/rule';
import { remoteCallNoTimeout } from './remote-call-no-timeout/rule';
import { tokenInLog } from './token-in-log/rule';
import { tokenInUrl } from './token-in-url/rule';
import { tokenInWebStorage } from './token-in-web-storage/rule';
import { functionOnIndexedColumn } from './function-on-indexed-column/rule';
import { leadingWildcardLike } from './leading-wildcard-like/rule';
import { offsetPagination } from './offset-pagination/rule';
import { orAcrossColumns } from './or-across-columns/rule';
import { unindexedFilter } from './unindexed-filter/rule';
import { unindexedForeignKey } from './unindexed-foreign-key/rule';
import { unindexedSortLimit } from './unindexed-sort-limit/rule';

/**
 * Every rule the product has. Adding a rule: write its module under `rules/<id>/`, its page at
 * `docs/rules/<id>.md`, its tests beside it, and add it here.
 */
export const RULES: readonly AnyRule[] = [
  remoteCallNoTimeout,
  remoteCallNoBreaker,
  nPlusOne,
  tokenInWebStorage,
  insecureAuthCookie,
  jwtMissingExpiry,
  jwtHardcodedSecret,
  jwtNoneAlgorithm,
  jwtDecodeWithoutVerify,
  refreshTokenPlaintext,
  tokenInUrl,
  tokenInLog,
  unindexedFilter,
  unindexedSortLimit,
  functionOnIndexedColumn,
  leadingWildcardLike,
  orAcrossColumns,
  offsetPagination,
  unindexedForeignKey,
];

export function findRule(id: string): AnyRule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
