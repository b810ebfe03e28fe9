import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ColumnFilter, ConstantValue, SortKey } from '../../engine/queries/query-model';
import type { ResolvedAccess } from '../../engine/queries/resolve-query';
import type { CatalogIndex, CatalogTable, IndexKey } from '../../engine/schema/catalog-model';
import { keyListSql } from './index-proposal';
import { matchFilters, matchSort, type AccessVerdict } from './index-match';
import { parsePredicate } from './partial-implication';

const span = { start: 0, end: 1 };
const origin = { kind: 'sql-migration' as const, filePath: '/m/001.sql', start: 0, end: 10 };

function key(text: string): IndexKey {
  const [name, ...flags] = text.split(' ');
  const result: IndexKey = name!.includes('(') ? { expression: name!, descending: flags.includes('DESC') } : { column: name!, descending: flags.includes('DESC') };
  if (flags.includes('FIRST')) result.nullsFirst = true;
  if (flags.includes('LAST')) result.nullsFirst = false;
  return result;
}

function index(name: string, keys: string[], extra: Partial<CatalogIndex> = {}): CatalogIndex {
  return { name, table: 'orders', schema: 'public', keys: keys.map(key), unique: false, primary: false, method: 'btree', include: [], origin, ...extra };
}

function table(indexes: CatalogIndex[]): CatalogTable {
  const columns = ['id', 'customer_id', 'tenant_id', 'status', 'created_at', 'email', 'total', 'deleted_at', 'region', 'priority'].map((name) => ({ name, type: 'text' }));
  columns.push({ name: 'is_paid', type: 'boolean' });
  return { schema: 'public', name: 'orders', columns, indexes: [index('orders_pkey', ['id'], { unique: true, primary: true }), ...indexes], foreignKeys: [], origin };
}

function eq(column: string, constants?: ConstantValue[], expression?: string): ColumnFilter {
  const filter: ColumnFilter = { column, op: 'eq', span };
  if (constants) filter.constants = constants;
  if (expression) filter.expression = expression;
  return filter;
}
function range(column: string, extra: Partial<ColumnFilter> = {}): ColumnFilter {
  return { column, op: 'range', span, ...extra };
}
function sortKey(text: string): SortKey {
  const k = key(text);
  const result: SortKey = { column: k.column ?? '', descending: k.descending, span };
  if (k.expression) result.expression = k.expression;
  if (k.nullsFirst !== undefined) result.nullsFirst = k.nullsFirst;
  return result;
}

function access(indexes: CatalogIndex[], filters: ColumnFilter[], orderBy: string[] = [], joinKeys: ColumnFilter[] = []): ResolvedAccess {
  return {
    access: { table: { kind: 'table', name: 'orders' }, filters, disjunctions: [], joinKeys, orderBy: orderBy.map(sortKey), span },
    table: table(indexes),
    filters,
    disjunctions: [],
    joinKeys,
    orderBy: orderBy.map(sortKey),
  };
}

function servedBy(verdict: AccessVerdict): string | undefined {
  return verdict.kind === 'served' ? verdict.index.name : undefined;
}
function unserved(verdict: AccessVerdict): Extract<AccessVerdict, { kind: 'unserved' }> {
  assert.equal(verdict.kind, 'unserved', JSON.stringify(verdict));
  return verdict as Extract<AccessVerdict, { kind: 'unserved' }>;
}

describe('matchFilters', () => {
  it('a composite index serves equality on its leading keys', () => {
    const idx = index('idx_orders_customer_created', ['customer_id', 'created_at']);
    assert.equal(servedBy(matchFilters(access([idx], [eq('customer_id')])) ), 'idx_orders_customer_created');
    assert.equal(servedBy(matchFilters(access([idx], [eq('customer_id'), range('created_at')]))), 'idx_orders_customer_created');
  });

  it('equality on a later key only does not use the composite index', () => {
    const idx = index('idx_orders_customer_created', ['customer_id', 'created_at']);
    const verdict = unserved(matchFilters(access([idx], [range('created_at')])));
    assert.equal(verdict.nearest?.index.name, 'idx_orders_customer_created');
    assert.equal(verdict.nearest?.reason, '`idx_orders_customer_created` starts with `customer_id`; this query does not constrain `customer_id`');
    assert.equal(keyListSql(verdict.proposal.keys), '(created_at)');
  });

  it('range-then-equality: the first key is constrained, so the index is usable', () => {
    const idx = index('idx_orders_created_customer', ['created_at', 'customer_id']);
    assert.equal(servedBy(matchFilters(access([idx], [eq('customer_id'), range('created_at')]))), 'idx_orders_created_customer');
  });

  it('a prefix of a wider index serves', () => {
    const idx = index('idx_orders_tenant_customer_status', ['tenant_id', 'customer_id', 'status']);
    assert.equal(servedBy(matchFilters(access([idx], [eq('tenant_id'), eq('email')]))), 'idx_orders_tenant_customer_status');
  });

  it('prefers the index that uses the most keys', () => {
    const narrow = index('idx_orders_tenant', ['tenant_id']);
    const wide = index('idx_orders_tenant_customer', ['tenant_id', 'customer_id']);
    assert.equal(servedBy(matchFilters(access([narrow, wide], [eq('tenant_id'), eq('customer_id')]))), 'idx_orders_tenant_customer');
  });

  it('the primary key and unique constraints are indexes', () => {
    assert.equal(servedBy(matchFilters(access([], [eq('id')]))), 'orders_pkey');
    const unique = index('orders_email_key', ['email'], { unique: true });
    assert.equal(servedBy(matchFilters(access([unique], [eq('email')]))), 'orders_email_key');
  });

  it('names the nearest index and proposes equality, then range, then sort', () => {
    const idx = index('idx_orders_status', ['status']);
    const verdict = unserved(matchFilters(access([idx], [eq('customer_id'), range('created_at')], ['created_at DESC'])));
    assert.equal(verdict.nearest, undefined, 'idx_orders_status shares no column with the query');
    assert.equal(keyListSql(verdict.proposal.keys), '(customer_id, created_at DESC)');
    assert.equal(verdict.proposal.purpose, 'orders by customer_id, created_at DESC');
  });

  it('the nearest index is the one sharing the most columns', () => {
    const status = index('idx_orders_status', ['status']);
    const statusCustomer = index('idx_orders_status_customer', ['status', 'customer_id', 'created_at']);
    const verdict = unserved(matchFilters(access([status, statusCustomer], [eq('customer_id'), range('created_at')])));
    assert.equal(verdict.nearest?.index.name, 'idx_orders_status_customer');
    assert.match(verdict.nearest!.reason, /starts with `status`; this query does not constrain `status`/);
  });

  it('the sort follows the equality columns in the proposal', () => {
    const verdict = unserved(matchFilters(access([], [eq('customer_id'), eq('region')], ['created_at DESC', 'id DESC'])));
    assert.equal(keyListSql(verdict.proposal.keys), '(customer_id, region, created_at DESC, id DESC)');
  });

  it('the sort does not follow a range on another column', () => {
    const verdict = unserved(matchFilters(access([], [eq('customer_id'), range('total')], ['created_at'])));
    assert.equal(keyListSql(verdict.proposal.keys), '(customer_id, total)');
  });

  it('a sort key that the query pins drops out of the proposal', () => {
    const verdict = unserved(matchFilters(access([], [eq('customer_id')], ['customer_id', 'created_at'])));
    assert.equal(keyListSql(verdict.proposal.keys), '(customer_id, created_at)');
  });

  it('includeSort: false leaves the sort out', () => {
    const verdict = unserved(matchFilters(access([], [eq('customer_id')], ['created_at']), { includeSort: false }));
    assert.equal(keyListSql(verdict.proposal.keys), '(customer_id)');
  });

  it('a constant on a low-cardinality column becomes the partial predicate', () => {
    const verdict = unserved(matchFilters(access([], [eq('customer_id'), eq('status', ['pending', 'failed'])], ['created_at'])));
    assert.equal(verdict.proposal.where, "status IN ('pending', 'failed')");
    assert.equal(keyListSql(verdict.proposal.keys), '(customer_id, created_at)');
    const soft = unserved(matchFilters(access([], [eq('customer_id'), eq('deleted_at', [null])])));
    assert.equal(soft.proposal.where, 'deleted_at IS NULL');
    assert.equal(keyListSql(soft.proposal.keys), '(customer_id)');
  });

  it('a low-cardinality column alone stays a key', () => {
    const verdict = unserved(matchFilters(access([], [eq('status', ['pending'])])));
    assert.equal(verdict.proposal.where, undefined);
    assert.equal(keyListSql(verdict.proposal.keys), '(status)');
  });

  it('a low-cardinality constant with a sort: partial on it, keyed by the sort', () => {
    const verdict = unserved(matchFilters(access([], [eq('status', ['queued'])], ['priority DESC', 'created_at'])));
    assert.equal(verdict.proposal.where, "status = 'queued'");
    assert.equal(keyListSql(verdict.proposal.keys), '(priority DESC, created_at)');
  });

  it('an IN list on an ordinary column stops the sort from following', () => {
    const verdict = unserved(matchFilters(access([], [eq('customer_id', ['a', 'b'])], ['created_at'])));
    assert.equal(keyListSql(verdict.proposal.keys), '(customer_id)');
  });

  it('a partial index serves only when the query implies its predicate', () => {
    const partial = index('idx_orders_customer_live', ['customer_id'], { where: 'deleted_at IS NULL', whereColumns: ['deleted_at'] });
    assert.equal(servedBy(matchFilters(access([partial], [eq('customer_id'), eq('deleted_at', [null])]))), 'idx_orders_customer_live');
    const verdict = unserved(matchFilters(access([partial], [eq('customer_id')])));
    assert.equal(verdict.nearest?.reason, '`idx_orders_customer_live` is a partial index (`WHERE deleted_at IS NULL`) and this query does not imply its condition');
  });

  it('partial predicates: equality, IN subsets, NOT NULL, booleans, casts', () => {
    const withWhere = (where: string): CatalogIndex => index('idx_p', ['customer_id'], { where });
    const served = (where: string, filters: ColumnFilter[]): boolean => matchFilters(access([withWhere(where)], [eq('customer_id'), ...filters])).kind === 'served';
    assert.ok(served("status = 'active'", [eq('status', ['active'])]));
    assert.ok(!served("status = 'active'", [eq('status', ['archived'])]));
    assert.ok(!served("status = 'active'", [eq('status')]), 'a parameter does not prove the constant');
    assert.ok(served("status IN ('a', 'b')", [eq('status', ['a'])]));
    assert.ok(served("status IN ('a', 'b')", [eq('status', ['b', 'a'])]));
    assert.ok(!served("status IN ('a', 'b')", [eq('status', ['a', 'c'])]));
    assert.ok(served("((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))", [eq('status', ['a'])]));
    assert.ok(served('(("deleted_at" IS NULL))', [eq('deleted_at', [null])]));
    assert.ok(!served('deleted_at IS NULL', [eq('deleted_at')]));
    assert.ok(served('total IS NOT NULL', [range('total')]));
    assert.ok(served('total IS NOT NULL', [eq('total')]));
    assert.ok(!served('total IS NOT NULL', []));
    assert.ok(served('is_paid', [eq('is_paid', [true])]));
    assert.ok(served('NOT is_paid', [eq('is_paid', [false])]));
    assert.ok(!served('is_paid', [eq('is_paid', [false])]));
    assert.ok(served("deleted_at IS NULL AND status = 'open'", [eq('deleted_at', [null]), eq('status', ['open'])]));
    assert.ok(!served("deleted_at IS NULL AND status = 'open'", [eq('deleted_at', [null])]));
    assert.ok(!served("deleted_at IS NULL OR status = 'open'", [eq('deleted_at', [null]), eq('status', ['open'])]), 'OR is not proved');
    assert.ok(!served('total > 100', [range('total')]), 'a range predicate is not proved');
    assert.ok(served("status <> 'archived'", [eq('status', ['open'])]));
    assert.ok(!served("status <> 'archived'", [eq('status', ['archived'])]));
  });

  it('parsePredicate rejects what it cannot read', () => {
    assert.equal(parsePredicate('lower(email) = \'x\''), undefined);
    assert.equal(parsePredicate('a = b'), undefined);
    assert.equal(parsePredicate("status = 'unterminated"), undefined);
    assert.deepEqual(parsePredicate('"deletedAt" IS NULL'), [{ column: 'deletedAt', kind: 'is-null' }]);
  });

  it('expression keys match the filter expression', () => {
    const lower = index('idx_orders_email_lower', ['lower(email)'], { unique: true });
    assert.equal(servedBy(matchFilters(access([lower], [eq('email', undefined, 'lower(email)')]))), 'idx_orders_email_lower');
    assert.equal(servedBy(matchFilters(access([lower], [eq('email', undefined, 'LOWER( "email" )')]))), 'idx_orders_email_lower');
    const plainQuery = unserved(matchFilters(access([lower], [eq('email')])));
    assert.equal(plainQuery.nearest?.reason, '`idx_orders_email_lower` indexes `lower(email)`; this query compares `email` itself');
    const plain = index('idx_orders_email', ['email']);
    const wrapped = unserved(matchFilters(access([plain], [eq('email', undefined, 'lower(email)')])));
    assert.equal(wrapped.nearest?.reason, '`idx_orders_email` indexes `email` itself; this query compares `lower(email)`');
    assert.deepEqual(wrapped.proposal.keys, [{ expression: 'lower(email)', descending: false }]);
  });

  it('hash indexes serve equality only', () => {
    const hash = index('idx_orders_total_hash', ['total'], { method: 'hash' });
    assert.equal(servedBy(matchFilters(access([hash], [eq('total')]))), 'idx_orders_total_hash');
    const verdict = unserved(matchFilters(access([hash], [range('total')])));
    assert.match(verdict.nearest!.reason, /hash index, which serves only equality/);
  });

  it('GIN, GiST and BRIN indexes count as serving any key they cover', () => {
    assert.equal(servedBy(matchFilters(access([index('idx_gin', ['tenant_id', 'region'], { method: 'gin' })], [eq('region')]))), 'idx_gin');
    assert.equal(servedBy(matchFilters(access([index('idx_brin', ['created_at'], { method: 'brin' })], [range('created_at')]))), 'idx_brin');
    assert.equal(servedBy(matchFilters(access([index('idx_gist', ['region'], { method: 'gist' })], [eq('region')]))), 'idx_gist');
  });

  it('join keys are equality lookups', () => {
    const fk = index('idx_orders_customer', ['customer_id']);
    assert.equal(servedBy(matchFilters(access([fk], [], [], [eq('customer_id')]))), 'idx_orders_customer');
    const verdict = unserved(matchFilters(access([], [], [], [eq('customer_id')])));
    assert.equal(keyListSql(verdict.proposal.keys), '(customer_id)');
  });

  it('is not applicable without an equality or range filter, or with only unselective ones', () => {
    assert.equal(matchFilters(access([], [])).kind, 'not-applicable');
    assert.equal(matchFilters(access([], [{ column: 'email', op: 'like-contains', span }, { column: 'status', op: 'not', span }])).kind, 'not-applicable');
    assert.equal(matchFilters(access([], [eq('deleted_at', [null])])).kind, 'not-applicable');
    assert.equal(matchFilters(access([], [eq('is_paid', [true])])).kind, 'not-applicable');
    assert.equal(matchFilters(access([], [range('email', { prefixLike: true })])).kind, 'not-applicable');
  });

  it('keeps the ORM mapping on the proposal', () => {
    const resolved = access([], [eq('customer_id')]);
    resolved.mapping = { orm: 'prisma', name: 'Order', table: 'orders', schema: 'public', columns: { customerId: 'customer_id' }, origin: { ...origin, kind: 'prisma-schema' } };
    assert.equal(unserved(matchFilters(resolved)).proposal.mapping?.name, 'Order');
  });
});

describe('matchSort', () => {
  it('an index on the sort column delivers it, forward or backward', () => {
    const idx = index('idx_orders_created', ['created_at']);
    assert.equal(servedBy(matchSort(access([idx], [], ['created_at']))), 'idx_orders_created');
    assert.equal(servedBy(matchSort(access([idx], [], ['created_at DESC']))), 'idx_orders_created');
  });

  it('equality columns first, then the sort', () => {
    const idx = index('idx_orders_customer_created', ['customer_id', 'created_at DESC']);
    assert.equal(servedBy(matchSort(access([idx], [eq('customer_id')], ['created_at DESC']))), 'idx_orders_customer_created');
    assert.equal(servedBy(matchSort(access([idx], [eq('customer_id')], ['created_at']))), 'idx_orders_customer_created', 'backward scan');
    const verdict = unserved(matchSort(access([idx], [], ['created_at DESC'])));
    assert.equal(verdict.nearest?.reason, '`idx_orders_customer_created` starts with `customer_id`, which this query does not fix to one value, so the index does not return rows in `created_at` order');
    assert.equal(keyListSql(verdict.proposal.keys), '(created_at DESC)');
  });

  it('multi-column sorts: all same or all reversed directions, not mixed', () => {
    const idx = index('idx_orders_created_id', ['created_at DESC', 'id DESC']);
    assert.equal(servedBy(matchSort(access([idx], [], ['created_at DESC', 'id DESC']))), 'idx_orders_created_id');
    assert.equal(servedBy(matchSort(access([idx], [], ['created_at', 'id']))), 'idx_orders_created_id');
    assert.equal(servedBy(matchSort(access([idx], [], ['created_at DESC']))), 'idx_orders_created_id', 'a prefix of the keys');
    const mixed = unserved(matchSort(access([idx], [], ['created_at DESC', 'id'])));
    assert.equal(mixed.nearest?.reason, '`idx_orders_created_id` orders `created_at DESC, id DESC`; this query sorts `created_at DESC, id ASC`, which neither a forward nor a backward scan of it returns');
    assert.equal(keyListSql(mixed.proposal.keys), '(created_at DESC, id)');
    assert.equal(matchSort(access([idx], [], ['id DESC', 'created_at DESC'])).kind, 'unserved', 'keys in another order');
  });

  it('NULLS FIRST / LAST are considered when declared', () => {
    const idx = index('idx_orders_created', ['created_at']);
    assert.equal(servedBy(matchSort(access([idx], [], ['created_at DESC FIRST']))), 'idx_orders_created', 'DESC NULLS FIRST is the reverse of ASC NULLS LAST');
    assert.equal(matchSort(access([idx], [], ['created_at DESC LAST'])).kind, 'unserved');
    assert.equal(matchSort(access([idx], [], ['created_at FIRST'])).kind, 'unserved');
    const nullsFirst = index('idx_orders_created_nf', ['created_at DESC LAST']);
    assert.equal(servedBy(matchSort(access([nullsFirst], [], ['created_at FIRST']))), 'idx_orders_created_nf');
  });

  it('pinned columns drop out of the index keys, wherever they are', () => {
    const idx = index('idx_orders_tenant_status_created', ['tenant_id', 'status', 'created_at']);
    assert.equal(servedBy(matchSort(access([idx], [eq('tenant_id'), eq('status', ['open'])], ['created_at']))), 'idx_orders_tenant_status_created');
    assert.equal(servedBy(matchSort(access([idx], [eq('status', ['open'])], ['tenant_id', 'created_at']))), 'idx_orders_tenant_status_created');
    assert.equal(matchSort(access([idx], [eq('tenant_id'), eq('status', ['open', 'late'])], ['created_at'])).kind, 'unserved', 'an IN list of two values is not pinned');
  });

  it('a range on the sort column does not block it', () => {
    const idx = index('idx_orders_customer_created', ['customer_id', 'created_at']);
    assert.equal(servedBy(matchSort(access([idx], [eq('customer_id'), range('created_at')], ['created_at DESC']))), 'idx_orders_customer_created');
  });

  it('not applicable without a sort, with a pinned sort, or one row by a unique key', () => {
    assert.equal(matchSort(access([], [eq('customer_id')])).kind, 'not-applicable');
    assert.equal(matchSort(access([], [eq('customer_id')], ['customer_id'])).kind, 'not-applicable');
    assert.equal(matchSort(access([], [eq('id')], ['created_at'])).kind, 'not-applicable');
  });

  it('partial indexes deliver the sort only when implied', () => {
    const idx = index('idx_orders_queue', ['priority DESC', 'created_at'], { where: "status = 'queued'" });
    assert.equal(servedBy(matchSort(access([idx], [eq('status', ['queued'])], ['priority DESC', 'created_at']))), 'idx_orders_queue');
    const verdict = unserved(matchSort(access([idx], [eq('status', ['failed'])], ['priority DESC', 'created_at'])));
    assert.match(verdict.nearest!.reason, /partial index/);
    assert.equal(verdict.proposal.where, "status = 'failed'");
    assert.equal(keyListSql(verdict.proposal.keys), '(priority DESC, created_at)');
  });

  it('the proposal keys the pinned columns, then the sort; a low-cardinality IN list becomes partial', () => {
    const verdict = unserved(matchSort(access([], [eq('customer_id'), eq('status', ['paid', 'shipped']), eq('region', ['eu', 'us'])], ['created_at DESC'])));
    assert.equal(keyListSql(verdict.proposal.keys), '(customer_id, created_at DESC)');
    assert.equal(verdict.proposal.where, "status IN ('paid', 'shipped')");
  });

  it('hash and GIN indexes do not deliver order', () => {
    assert.equal(matchSort(access([index('h', ['created_at'], { method: 'hash' }), index('g', ['created_at'], { method: 'gin' })], [], ['created_at'])).kind, 'unserved');
  });

  it('expression sort keys match expression index keys', () => {
    const idx = index('idx_orders_lower_email', ['lower(email)']);
    assert.equal(servedBy(matchSort(access([idx], [], ['lower(email)']))), 'idx_orders_lower_email');
  });
});
