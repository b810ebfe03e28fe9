import type { ColumnFilter } from '../../engine/queries/query-model';
import type { ResolvedAccess } from '../../engine/queries/resolve-query';
import type { CatalogIndex } from '../../engine/schema/catalog-model';
import { keyId } from './index-proposal-builder';
import { predicateImplied } from './partial-implication';

/**
 * Whether an OR group of the access has an index for every branch: `(a = $1 OR b = $1) AND t = 'x'`
 * with indexes on `a` and on `b` is a BitmapOr of two index scans, and `t` is only rechecked on the
 * rows they find. The table is not scanned, so the other filters need no index of their own.
 * Returns the first branch's index.
 */
export function bitmapOrIndex(access: ResolvedAccess): CatalogIndex | undefined {
  for (const group of access.disjunctions) {
    if (group.length < 2) continue;
    const indexes = group.map((branch) => access.table.indexes.find((index) => branch.some((filter) => leads(index, filter)) && predicateImplied(index, [...access.filters, ...branch])));
    if (indexes.every((index) => index !== undefined)) return indexes[0];
  }
  return undefined;
}

function leads(index: CatalogIndex, filter: ColumnFilter): boolean {
  const first = index.keys[0];
  if (!first || filter.prefixLike || keyId(first) !== keyId(filter)) return false;
  if (index.method === 'hash') return filter.op === 'eq';
  return index.method === 'btree' && (filter.op === 'eq' || filter.op === 'range');
}
