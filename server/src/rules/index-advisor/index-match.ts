import { bitmapOrIndex } from './bitmap-or';
import type { ColumnFilter, SortKey } from '../../engine/queries/query-model';
import type { ResolvedAccess } from '../../engine/queries/resolve-query';
import type { CatalogIndex, IndexKey } from '../../engine/schema/catalog-model';
import type { IndexProposal } from './index-proposal';
import { buildProposal, keyId, partialCandidate } from './index-proposal-builder';
import { predicateImplied } from './partial-implication';

/**
 * Whether the indexes the catalog knows can serve one table access: its filters (and join keys)
 * with `matchFilters`, its ORDER BY with `matchSort`. The rules ask these and turn `unserved`
 * into a finding; the planner check (PGlite) is the ground truth these approximate.
 */
export type AccessVerdict =
  | { kind: 'served'; index: CatalogIndex }
  | { kind: 'unserved'; nearest?: { index: CatalogIndex; reason: string }; proposal: IndexProposal }
  | { kind: 'not-applicable' };

export interface MatchFiltersOptions {
  /** Whether the proposed index also carries the sort keys when the index can deliver the order (default true). */
  includeSort?: boolean;
}

interface Constraint {
  filter: ColumnFilter;
  id: string;
  op: 'eq' | 'range';
}

/**
 * Does an index serve the access's equality and range filters and join keys?
 *
 * "Served" is deliberately generous, because Postgres uses any prefix of a btree: an index whose
 * first key the query constrains (by equality or a range) narrows the scan, even when a later
 * key is not constrained or a range comes before an equality. Only when no index has its first
 * key constrained is the access unserved. Partial indexes count only when the query implies their
 * predicate; hash indexes serve equality only; GIN, GiST, BRIN and other methods count when any
 * of their keys is constrained (we cannot judge their operator classes, so we never report them).
 *
 * `not`, `like-contains` and `other` filters are not asked about (other rules cover them).
 * Not applicable: no equality or range filter and no join key, or only filters that an index
 * would hardly narrow (IS NULL, booleans) or could not serve with its default operator class
 * (`LIKE 'abc%'`, which needs `text_pattern_ops` or a C collation).
 */
export function matchFilters(access: ResolvedAccess, options: MatchFiltersOptions = {}): AccessVerdict {
  const constraints = constraintsOf(access);
  const asked = constraints.filter((constraint) => selective(access, constraint.filter));
  if (asked.length === 0) return { kind: 'not-applicable' };
  const ids = new Set(constraints.map((constraint) => constraint.id));
  const equalityIds = new Set(constraints.filter((constraint) => constraint.op === 'eq').map((constraint) => constraint.id));

  let best: { index: CatalogIndex; score: number } | undefined;
  for (const index of access.table.indexes) {
    if (!predicateImplied(index, access.filters)) continue;
    const score = usablePrefix(index, ids, equalityIds);
    if (score > 0 && (!best || score > best.score)) best = { index, score };
  }
  if (best) return { kind: 'served', index: best.index };
  // `(a = $1 OR b = $1) AND c = $2` with indexes on a and on b: a BitmapOr, c rechecked on its rows.
  const bitmapOr = bitmapOrIndex(access);
  if (bitmapOr) return { kind: 'served', index: bitmapOr };

  const equality = dedupe(constraints.filter((constraint) => constraint.op === 'eq'));
  const range = constraints.find((constraint) => constraint.op === 'range' && !constraint.filter.prefixLike && !equalityIds.has(constraint.id));
  const sort = options.includeSort === false ? [] : sortAfter(access, equality, range?.filter);
  const proposal = buildProposal(access, { equality: equality.map((constraint) => constraint.filter), ...(range ? { range: range.filter } : {}), sort });
  const nearest = nearestForFilters(access, constraints);
  return nearest ? { kind: 'unserved', nearest, proposal } : { kind: 'unserved', proposal };
}

/**
 * Can an index deliver the access's ORDER BY, so that `LIMIT n` reads n rows instead of sorting
 * every match? Columns the query pins to one value (`= x`) are constant in the result, so they
 * drop out of both the sort and the index keys (Postgres does the same); the remaining index keys
 * must start with the sort keys, all in the index's directions (a forward scan) or all reversed (a
 * backward scan), with NULLS FIRST/LAST following the direction unless declared otherwise.
 * Not applicable: no sort, a sort only by pinned columns, or a unique index whose keys are all
 * pinned (one row at most).
 */
export function matchSort(access: ResolvedAccess): AccessVerdict {
  if (access.orderBy.length === 0) return { kind: 'not-applicable' };
  const pinned = new Set(pinnedFilters(access).map(keyId));
  const sort = access.orderBy.filter((key) => !pinned.has(keyId(key)));
  if (sort.length === 0) return { kind: 'not-applicable' };
  const usable = access.table.indexes.filter((index) => index.method === 'btree' && predicateImplied(index, access.filters));
  if (usable.some((index) => index.unique && index.keys.every((key) => pinned.has(keyId(key))))) return { kind: 'not-applicable' };
  for (const index of usable) {
    const remaining = index.keys.filter((key) => !pinned.has(keyId(key)));
    if (deliversOrder(remaining, sort)) return { kind: 'served', index };
  }
  // IN lists on low-cardinality columns become the partial predicate; other IN lists cannot precede the sort.
  const lowCardinality = access.filters.filter((filter) => (filter.constants?.length ?? 0) > 1 && partialCandidate(access.table, filter));
  const equality = [...pinnedFilters(access).filter((filter) => filter.op === 'eq'), ...lowCardinality];
  const proposal = buildProposal(access, { equality: uniqueBy(equality), sort });
  const nearest = nearestForSort(access, pinned, sort);
  return nearest ? { kind: 'unserved', nearest, proposal } : { kind: 'unserved', proposal };
}

/** `idx_orders_status`, or `the index on (a, b)` for an unnamed one. */
export function indexLabel(index: CatalogIndex): string {
  return index.name ? `\`${index.name}\`` : `the index on (${index.keys.map(keyLabel).join(', ')})`;
}

function keyLabel(key: { column?: string; expression?: string }): string {
  return key.expression ?? key.column ?? '?';
}

function constraintsOf(access: ResolvedAccess): Constraint[] {
  const constraints: Constraint[] = [];
  for (const filter of access.filters) {
    if (filter.op === 'eq' || filter.op === 'range') constraints.push({ filter, id: keyId(filter), op: filter.op });
  }
  for (const key of access.joinKeys) constraints.push({ filter: key, id: keyId(key), op: 'eq' });
  return constraints;
}

/** Filters worth an index of their own: not IS NULL, not a boolean, not a prefix LIKE (see `matchFilters`). */
function selective(access: ResolvedAccess, filter: ColumnFilter): boolean {
  if (filter.prefixLike) return false;
  if (filter.op === 'eq' && filter.constants && filter.constants.length > 0 && filter.constants.every((value) => value === null)) return false;
  if (filter.expression === undefined) {
    const type = access.table.columns.find((column) => column.name === filter.column)?.type?.toLowerCase();
    if (type === 'bool' || type === 'boolean') return false;
  }
  return true;
}

/** How many leading keys of `index` the constraints use (0: the index does not serve them). */
function usablePrefix(index: CatalogIndex, ids: ReadonlySet<string>, equalityIds: ReadonlySet<string>): number {
  const first = index.keys[0];
  if (!first) return 0;
  if (index.method === 'hash') return equalityIds.has(keyId(first)) ? 1 : 0;
  if (index.method !== 'btree') return index.keys.some((key) => ids.has(keyId(key))) ? 1 : 0;
  let count = 0;
  for (const key of index.keys) {
    const id = keyId(key);
    if (equalityIds.has(id)) count++;
    else {
      if (ids.has(id)) count++;
      break;
    }
  }
  return count;
}

function dedupe(constraints: Constraint[]): Constraint[] {
  const seen = new Set<string>();
  return constraints.filter((constraint) => !seen.has(constraint.id) && seen.add(constraint.id));
}

function uniqueBy(filters: ColumnFilter[]): ColumnFilter[] {
  const seen = new Set<string>();
  return filters.filter((filter) => !seen.has(keyId(filter)) && seen.add(keyId(filter)));
}

/**
 * The sort keys an index can deliver after the equality (and range) keys, or [] when the sort
 * cannot follow them: after a range on another column, or after an IN list of several values that
 * stays a key (the index returns one run per value, and their union is not in sort order). An IN
 * list on a low-cardinality column becomes the partial predicate instead, and the sort follows.
 */
function sortAfter(access: ResolvedAccess, equality: Constraint[], range: ColumnFilter | undefined): SortKey[] {
  if (access.orderBy.length === 0) return [];
  const pinned = new Set(equality.map((constraint) => constraint.id));
  const sort = access.orderBy.filter((key) => !pinned.has(keyId(key)));
  if (range && (sort.length === 0 || keyId(sort[0]!) !== keyId(range))) return [];
  const multiValued = equality.filter((constraint) => (constraint.filter.constants?.length ?? 0) > 1);
  if (multiValued.length > 0) {
    const keyed = new Set(buildProposal(access, { equality: equality.map((constraint) => constraint.filter), ...(range ? { range } : {}), sort }).keys.map(keyId));
    if (multiValued.some((constraint) => keyed.has(constraint.id))) return [];
  }
  return sort;
}

/** Filters (and join keys) that fix their column to one value for the whole result. */
function pinnedFilters(access: ResolvedAccess): ColumnFilter[] {
  const single = (filter: ColumnFilter): boolean => filter.op === 'eq' && (filter.constants === undefined || filter.constants.length === 1);
  return [...access.filters.filter(single), ...access.joinKeys];
}

function deliversOrder(keys: readonly IndexKey[], sort: readonly SortKey[]): boolean {
  if (keys.length < sort.length) return false;
  let forward = true;
  let backward = true;
  sort.forEach((wanted, position) => {
    const key = keys[position]!;
    if (keyId(key) !== keyId(wanted)) {
      forward = backward = false;
      return;
    }
    const sameDirection = key.descending === wanted.descending && nullsFirst(key) === nullsFirst(wanted);
    const reversed = key.descending !== wanted.descending && nullsFirst(key) !== nullsFirst(wanted);
    if (!sameDirection) forward = false;
    if (!reversed) backward = false;
  });
  return forward || backward;
}

/** Postgres puts NULLs last in ascending order and first in descending order unless told otherwise. */
function nullsFirst(key: { descending: boolean; nullsFirst?: boolean }): boolean {
  return key.nullsFirst ?? key.descending;
}

function nearestForFilters(access: ResolvedAccess, constraints: Constraint[]): { index: CatalogIndex; reason: string } | undefined {
  const ids = new Set(constraints.map((constraint) => constraint.id));
  const columns = new Set(constraints.map((constraint) => constraint.filter.column.toLowerCase()));
  let best: { index: CatalogIndex; shared: number } | undefined;
  for (const index of access.table.indexes) {
    // An expression key over a constrained column (`lower(email)` when the query compares `email`) counts too.
    const shared = index.keys.filter((key) => ids.has(keyId(key)) || (key.column !== undefined && columns.has(key.column.toLowerCase())) || (key.expression !== undefined && [...columns].some((column) => mentions(key.expression!, column)))).length;
    if (shared > 0 && (!best || shared > best.shared || (shared === best.shared && index.keys.length < best.index.keys.length))) best = { index, shared };
  }
  if (!best) return undefined;
  return { index: best.index, reason: filterReason(best.index, access, constraints) };
}

function filterReason(index: CatalogIndex, access: ResolvedAccess, constraints: Constraint[]): string {
  const label = indexLabel(index);
  const first = index.keys[0]!;
  const firstId = keyId(first);
  const matching = constraints.find((constraint) => constraint.id === firstId);
  if (matching && !predicateImplied(index, access.filters)) {
    return `${label} is a partial index (\`WHERE ${index.where}\`) and this query does not imply its condition`;
  }
  if (matching && index.method === 'hash') {
    return `${label} is a hash index, which serves only equality, and this query compares \`${keyLabel(first)}\` with a range`;
  }
  if (first.column !== undefined) {
    const wrapped = constraints.find((constraint) => constraint.filter.expression !== undefined && constraint.filter.column.toLowerCase() === first.column!.toLowerCase());
    if (wrapped) return `${label} indexes \`${first.column}\` itself; this query compares \`${wrapped.filter.expression}\``;
  } else if (first.expression !== undefined) {
    const plain = constraints.find((constraint) => constraint.filter.expression === undefined && mentions(first.expression!, constraint.filter.column));
    if (plain) return `${label} indexes \`${first.expression}\`; this query compares \`${plain.filter.column}\` itself`;
  }
  return `${label} starts with \`${keyLabel(first)}\`; this query does not constrain \`${keyLabel(first)}\``;
}

function mentions(expression: string, column: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_])"?${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[^A-Za-z0-9_])`, 'i').test(expression);
}

function nearestForSort(access: ResolvedAccess, pinned: ReadonlySet<string>, sort: readonly SortKey[]): { index: CatalogIndex; reason: string } | undefined {
  const sortIds = new Set(sort.map(keyId));
  let best: { index: CatalogIndex; shared: number } | undefined;
  for (const index of access.table.indexes) {
    if (index.method !== 'btree' || !index.keys.some((key) => sortIds.has(keyId(key)))) continue;
    const shared = index.keys.filter((key) => sortIds.has(keyId(key)) || pinned.has(keyId(key))).length;
    if (!best || shared > best.shared || (shared === best.shared && index.keys.length < best.index.keys.length)) best = { index, shared };
  }
  if (!best) return undefined;
  return { index: best.index, reason: sortReason(best.index, access, pinned, sort) };
}

function sortReason(index: CatalogIndex, access: ResolvedAccess, pinned: ReadonlySet<string>, sort: readonly SortKey[]): string {
  const label = indexLabel(index);
  if (!predicateImplied(index, access.filters)) return `${label} is a partial index (\`WHERE ${index.where}\`) and this query does not imply its condition`;
  const remaining = index.keys.filter((key) => !pinned.has(keyId(key)));
  const firstSort = keyId(sort[0]!);
  const position = remaining.findIndex((key) => keyId(key) === firstSort);
  if (position > 0) {
    const blocking = remaining[0]!;
    return `${label} starts with \`${keyLabel(blocking)}\`, which this query does not fix to one value, so the index does not return rows in \`${keyLabel(sort[0]!)}\` order`;
  }
  if (position === 0 && sort.every((wanted, i) => remaining[i] !== undefined && keyId(remaining[i]!) === keyId(wanted))) {
    return `${label} orders ${orderText(remaining.slice(0, sort.length))}; this query sorts ${orderText(sort)}, which neither a forward nor a backward scan of it returns`;
  }
  return `${label} orders ${orderText(remaining)}; this query sorts ${orderText(sort)}`;
}

function orderText(keys: ReadonlyArray<{ column?: string; expression?: string; descending: boolean; nullsFirst?: boolean }>): string {
  return `\`${keys
    .map((key) => {
      const nulls = key.nullsFirst === undefined || key.nullsFirst === key.descending ? '' : key.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
      return `${keyLabel(key)} ${key.descending ? 'DESC' : 'ASC'}${nulls}`;
    })
    .join(', ')}\``;
}
