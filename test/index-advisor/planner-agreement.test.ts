import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PGlite } from '@electric-sql/pglite';
import { catalogDdl } from '../../server/src/engine/planner/catalog-ddl';
import { createPglite, pgliteAssetDir } from '../../server/src/engine/planner/pglite-assets';
import { PlannerDatabase } from '../../server/src/engine/planner/planner-database';
import { accessSql, querySql } from '../../server/src/engine/planner/query-sql';
import type { PlannerRequest } from '../../server/src/engine/planner/planner-types';
import type { ExtractedQuery } from '../../server/src/engine/queries/query-model';
import { resolveQuery, type ResolvedAccess, type ResolvedQuery } from '../../server/src/engine/queries/resolve-query';
import type { SchemaCatalog } from '../../server/src/engine/schema/catalog-model';
import { loadSchemaCatalog } from '../../server/src/engine/schema/schema-catalog';
import { ensureSqlParser } from '../../server/src/engine/sql/sql-gate';
import { ProjectIndex } from '../../server/src/engine/workspace/project-index';
import { matchFilters, matchSort, type AccessVerdict } from '../../server/src/rules/index-advisor/index-match';
import { applicationQueriesOf } from '../../server/src/rules/index-advisor/query-findings';
import { verificationData } from '../../server/src/rules/index-advisor/verification-data';
import { conditionColumns, readText, readsOf, type TableRead } from './plan-reading';

/**
 * The index rules' verdicts checked against a real Postgres planner (PGlite), on every complete
 * query of the fixture workspaces of `unindexed-filter` and `unindexed-sort-limit`, each workspace's
 * catalog loaded as `catalogDdl` writes it. The planner is driven as `--verify` drives it
 * (PlannerDatabase: enable_seqscan and enable_sort off, GENERIC_PLAN, a proposal created inside a
 * transaction rolled back afterwards), and its plan is read node by node:
 * - `matchFilters` says `served` exactly when the planner reads the table through an index whose
 *   Index Cond names the index's leading column, constrained by the query (see `filterServed`);
 *   asked of the access's filters alone (see `compareFilters`), and of the query as written too
 *   when that is one table with no ORDER BY;
 * - `matchSort` says `served` exactly when, for the query as written, no Sort node lies above the
 *   read of the sorted table and that read is an index read;
 * - for every `unserved` verdict, the proposed index (`verificationData`, as `--verify` creates it)
 *   is then read: with such an Index Cond for a filter, with no Sort above it for a sort. A filter
 *   proposal is also asked of the query as written, which must read it too (see SORT_PREFERRED).
 *
 * Each case is one diagnostic line (verdict, the planner's reading, the plan); the last test prints
 * the totals.
 */

const RULES = path.join(__dirname, '..', '..', 'server', 'src', 'rules');
const WORKSPACES = [
  ...['sql-files', 'typeorm', 'prisma', 'builders', 'knex-migrations', 'sequelize-migrations'].flatMap((w) => [`unindexed-filter/fixtures/positive/${w}`, `unindexed-filter/fixtures/negative/${w}`]),
  ...['sql-files', 'prisma'].flatMap((w) => [`unindexed-sort-limit/fixtures/positive/${w}`, `unindexed-sort-limit/fixtures/negative/${w}`]),
];

/**
 * Queries left out of the comparison, each with why: a workspace-relative file, a text the query's
 * display or SQL contains, and the reason. Every entry must match a query (no stale exclusions).
 */
const EXCLUDED: ReadonlyArray<{ workspace: string; file: string; contains: string; reason: string }> = [];

/**
 * Filter proposals the planner reads for the filter, but not in the query as written, because the
 * query sorts by another column that an existing index delivers: with `enable_sort` off, the
 * ordered read of that index (filtering every row) beats any lookup followed by a sort. What the
 * real planner picks there depends on the filter's selectivity; `--verify` reports the proposal
 * unused. Every entry must be met.
 */
const SORT_PREFERRED: ReadonlyArray<{ workspace: string; file: string; contains: string; reason: string }> = [
  {
    workspace: 'unindexed-filter/fixtures/positive/sql-files',
    file: 'queries/catalog.sql',
    contains: 'FROM events WHERE account_id > $1 ORDER BY id LIMIT 100',
    reason: 'a range on account_id sorted by id: the primary key delivers the order, so with enable_sort off the planner reads it whole rather than the range through the proposed (account_id) index and sort',
  },
];
const sortPreferredSeen = new Set<(typeof SORT_PREFERRED)[number]>();

/** One fixture workspace with its schema loaded into the planner. */
interface Workspace {
  name: string;
  db: PlannerDatabase;
  ddl: string[];
  catalog: SchemaCatalog;
  /** The indexes of the loaded schema, by name, as Postgres holds them (catalog indexes without a name get Postgres' own). */
  shapes: Map<string, IndexShape>;
}

interface Case {
  kind: 'filter' | 'sort';
  where: string;
  display: string;
  table: string;
  verdict: AccessVerdict['kind'];
  plannerServed?: boolean;
  plan: string;
  /** For `unserved`: the proposal's CREATE INDEX and whether the plan then reads it as it should. */
  proposal?: { sql: string; used: boolean; plan: string };
  agrees: boolean;
}

interface Totals {
  queries: number;
  partial: number;
  /** Queries whose tables the catalog does not know (nothing to compare: the rules say nothing either). */
  unresolved: number;
  excluded: string[];
  cases: Case[];
}

const totals: Totals = { queries: 0, partial: 0, unresolved: 0, excluded: [], cases: [] };

describe('the index rules agree with the Postgres planner on every fixture query', () => {
  let db: PlannerDatabase;
  let pg: PGlite;
  before(async () => {
    await ensureSqlParser();
    const dir = pgliteAssetDir();
    assert.ok(dir, 'PGlite assets found');
    db = await PlannerDatabase.open(async () => (pg = await createPglite(dir)));
  });
  after(() => db?.close());

  for (const workspace of WORKSPACES) {
    it(workspace.replace('/fixtures', ''), async (t) => {
      const folder = path.join(RULES, workspace);
      const project = projectOver(folder);
      const catalog = await loadSchemaCatalog(project);
      const ddl = catalogDdl(catalog).statements;
      const loaded = await db.verify({ ddl, querySql: 'SELECT 1' });
      assert.deepEqual(loaded.errors, [], 'the catalog DDL loads');
      const ws: Workspace = { name: workspace, db, ddl, catalog, shapes: await indexShapes(pg) };
      const cases: Case[] = [];
      for (const filePath of project.listFiles().sort()) {
        const file = project.file(filePath);
        if (!file) continue;
        for (const query of applicationQueriesOf(file, project)) {
          const where = `${path.relative(folder, filePath).replace(/\\/g, '/')}:${file.lineMap.positionAt(query.span.start).line + 1}`;
          if (query.partial) {
            totals.partial++;
            continue;
          }
          const resolved = resolveQuery(query, catalog);
          if (resolved.accesses.length === 0) {
            totals.unresolved++;
            continue;
          }
          const exclusion = EXCLUDED.find((e) => e.workspace === workspace && where.startsWith(`${e.file}:`) && (query.display.includes(e.contains) || (query.sql ?? '').includes(e.contains)));
          if (exclusion) {
            totals.excluded.push(`${workspace} ${where} ${query.display}: ${exclusion.reason}`);
            continue;
          }
          totals.queries++;
          cases.push(...(await casesOf(ws, resolved, where)));
        }
      }
      for (const c of cases) t.diagnostic(caseLine(c));
      totals.cases.push(...cases);
      const disagreements = cases.filter((c) => !c.agrees);
      assert.deepEqual(disagreements.map(caseLine), []);
    });
  }

  it('compared enough cases of each kind, and every exclusion still matches a query', (t) => {
    const compared = totals.cases.filter((c) => c.verdict !== 'not-applicable');
    const count = (kind: Case['kind'], verdict: AccessVerdict['kind']): number => compared.filter((c) => c.kind === kind && c.verdict === verdict).length;
    t.diagnostic(
      `${totals.queries} queries compared (${totals.partial} partial and ${totals.unresolved} on unknown tables skipped, ${totals.excluded.length} excluded); ${compared.length} verdicts, ` +
        `${compared.filter((c) => c.agrees).length} agree; filter served ${count('filter', 'served')} / unserved ${count('filter', 'unserved')}, ` +
        `sort served ${count('sort', 'served')} / unserved ${count('sort', 'unserved')}; ` +
        `${totals.cases.filter((c) => c.verdict === 'not-applicable').length} not applicable`,
    );
    for (const line of totals.excluded) t.diagnostic(`excluded: ${line}`);
    for (const entry of SORT_PREFERRED) t.diagnostic(`proposal unused in the query as written: ${entry.workspace} ${entry.file} ${entry.contains}: ${entry.reason}`);
    assert.equal(totals.excluded.length, EXCLUDED.length, 'an exclusion matches no query any more');
    assert.equal(sortPreferredSeen.size, SORT_PREFERRED.length, 'a sort-preferred entry matches no proposal any more');
    assert.ok(count('filter', 'served') >= 20 && count('filter', 'unserved') >= 20, 'filter verdicts of both kinds');
    assert.ok(count('sort', 'served') >= 5 && count('sort', 'unserved') >= 5, 'sort verdicts of both kinds');
    assert.ok(compared.every((c) => c.agrees));
  });
});

function projectOver(folder: string): ProjectIndex {
  const list = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? list(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
  const project = new ProjectIndex(folder);
  project.setFiles(list(folder));
  return project;
}

async function casesOf(ws: Workspace, resolved: ResolvedQuery, where: string): Promise<Case[]> {
  const { query } = resolved;
  const cases: Case[] = [];
  for (const access of resolved.accesses) {
    const main = access.access === query.accesses[0];
    cases.push(await compareFilters(ws, resolved, access, where));
    // As the sort rule asks: the main table's sort, when no other table's keys are in the ORDER BY.
    if (main && access.orderBy.length > 0 && !query.accesses.slice(1).some((other) => other.orderBy.length > 0)) {
      cases.push(await compareSort(ws, resolved, access, where));
    }
  }
  return cases;
}

function baseOf(kind: Case['kind'], resolved: ResolvedQuery, access: ResolvedAccess, where: string, verdict: AccessVerdict): Pick<Case, 'kind' | 'where' | 'display' | 'table' | 'verdict'> {
  const table = access.table.schema === 'public' ? access.table.name : `${access.table.schema}.${access.table.name}`;
  return { kind, where, display: resolved.query.display, table, verdict: verdict.kind };
}

/** The plan's reads of the access's table, or why there is no plan. */
async function explain(db: PlannerDatabase, request: PlannerRequest, access: ResolvedAccess, query: ExtractedQuery | undefined): Promise<{ reads: TableRead[]; afterReads: TableRead[]; error?: string }> {
  const verdict = await db.verify(request);
  const error = verdict.errors.length > 0 ? verdict.errors.join('; ') : verdict.before ? undefined : 'not planned';
  const reads = verdict.before ? readsOfAccess(verdict.before.plan, access, query) : [];
  const afterReads = verdict.after ? readsOfAccess(verdict.after.plan, access, query) : [];
  return error === undefined ? { reads, afterReads } : { reads, afterReads, error };
}

/**
 * `matchFilters` answers "can an index narrow the read of this table by its filters and join
 * keys?", so the planner is asked that question: the access alone, its filters and join keys as
 * conditions (`accessSql`, the rendering the planner check uses for ORM queries), no ORDER BY. The
 * query as written would mix in two other choices the enable_* switches skew: with `enable_sort`
 * off any ordered full-index read beats an indexed lookup followed by a sort, and a join may be a
 * hash join that reads the inner table whole although its join key is indexed. When the query is
 * one table with no ORDER BY, the two questions are the same, and the query as written (its SQL,
 * or `querySql`'s rendering) must give the same answer too.
 */
async function compareFilters(ws: Workspace, resolved: ResolvedQuery, access: ResolvedAccess, where: string): Promise<Case> {
  const { db, ddl, catalog, shapes } = ws;
  const verdict = matchFilters(access);
  const base = baseOf('filter', resolved, access, where, verdict);
  const question = accessSql(access, undefined, false);
  const now = await explain(db, { ddl, querySql: question }, access, undefined);
  if (now.error) return { ...base, plan: `${question}: ${now.error}`, agrees: false };
  const plan = now.reads.map(readText).join('; ') || 'table not read';
  if (verdict.kind === 'not-applicable') return { ...base, plan, agrees: true };
  const plannerServed = now.reads.length > 0 && now.reads.every((read) => filterServed(read, access, shapes));
  const result: Case = { ...base, plannerServed, plan, agrees: plannerServed === (verdict.kind === 'served') };

  const { query } = resolved;
  const asWritten = querySql(resolved, access.table);
  if (query.accesses.length === 1 && access.orderBy.length === 0 && asWritten !== undefined && asWritten !== question) {
    const written = await explain(db, { ddl, querySql: asWritten }, access, query);
    const writtenServed = written.error === undefined && written.reads.length > 0 && written.reads.every((read) => filterServed(read, access, shapes));
    if (writtenServed !== plannerServed) {
      result.agrees = false;
      result.plan += ` | as written: ${written.error ?? (written.reads.map(readText).join('; ') || 'table not read')}`;
    }
  }

  if (verdict.kind === 'unserved') {
    const data = verificationData(resolved, verdict.proposal, catalog)?.verify;
    if (!data) return { ...result, agrees: false, plan: `${plan} | no verification data for the proposal` };
    assert.ok(!access.table.indexes.some((index) => index.name === data.indexName), `${data.indexName} is a new name`);
    const proposed = new Map(shapes).set(data.indexName, { method: 'btree', columns: leadingColumns(verdict.proposal.keys[0]!, access.table.columns.map((column) => column.name)) });
    const withIndex = await explain(db, { ddl, querySql: question, createIndexSql: data.createIndexSql, proposedIndexName: data.indexName }, access, undefined);
    const used = withIndex.error === undefined && withIndex.afterReads.length > 0 && withIndex.afterReads.every((read) => read.indexes.some((index) => index.name === data.indexName) && filterServed(read, access, proposed));
    result.proposal = { sql: data.createIndexSql, used, plan: withIndex.error ?? withIndex.afterReads.map(readText).join('; ') };
    // What `--verify` asks: the query as written (or rendered), with the proposal.
    const product = await explain(db, { ddl, querySql: data.querySql, createIndexSql: data.createIndexSql, proposedIndexName: data.indexName }, access, query);
    const productUsed = product.error === undefined && product.afterReads.some((read) => read.indexes.some((index) => index.name === data.indexName));
    const known = SORT_PREFERRED.find((entry) => entry.workspace === ws.name && where.startsWith(`${entry.file}:`) && data.querySql.includes(entry.contains));
    // A listed query must still be what its entry says: the proposal unused because another index delivers the order.
    const orderedElsewhere = product.error === undefined && product.afterReads.length > 0 && product.afterReads.every((read) => !read.sortedAbove && read.indexes.length > 0);
    if (known ? productUsed || !orderedElsewhere : !productUsed) {
      result.proposal.used = false;
      result.proposal.plan += ` | as --verify asks it: ${product.error ?? product.afterReads.map(readText).join('; ')}${known ? ' (listed in SORT_PREFERRED)' : ''}`;
    }
    if (known) sortPreferredSeen.add(known);
    result.agrees &&= result.proposal.used;
  }
  return result;
}

/** `matchSort` against the query as written (or as `querySql` renders it): no Sort above the read of the table. */
async function compareSort(ws: Workspace, resolved: ResolvedQuery, access: ResolvedAccess, where: string): Promise<Case> {
  const { db, ddl, catalog } = ws;
  const verdict = matchSort(access);
  const base = baseOf('sort', resolved, access, where, verdict);
  const sql = querySql(resolved, access.table);
  if (sql === undefined) return { ...base, plan: 'no SQL rendered', agrees: false };
  const now = await explain(db, { ddl, querySql: sql }, access, resolved.query);
  if (now.error) return { ...base, plan: `${sql}: ${now.error}`, agrees: false };
  const plan = now.reads.map(readText).join('; ') || 'table not read';
  if (verdict.kind === 'not-applicable') return { ...base, plan, agrees: true };
  const ordered = (read: TableRead): boolean => !read.sortedAbove && read.indexes.length > 0;
  const plannerServed = now.reads.length > 0 && now.reads.every(ordered);
  const result: Case = { ...base, plannerServed, plan, agrees: plannerServed === (verdict.kind === 'served') };
  if (verdict.kind === 'unserved') {
    const data = verificationData(resolved, verdict.proposal, catalog)?.verify;
    if (!data) return { ...result, agrees: false, plan: `${plan} | no verification data for the proposal` };
    assert.ok(!access.table.indexes.some((index) => index.name === data.indexName), `${data.indexName} is a new name`);
    const withIndex = await explain(db, { ddl, querySql: data.querySql, createIndexSql: data.createIndexSql, proposedIndexName: data.indexName }, access, resolved.query);
    const used = withIndex.error === undefined && withIndex.afterReads.length > 0 && withIndex.afterReads.every((read) => ordered(read) && read.indexes.some((index) => index.name === data.indexName));
    result.proposal = { sql: data.createIndexSql, used, plan: withIndex.error ?? withIndex.afterReads.map(readText).join('; ') };
    result.agrees &&= used;
  }
  return result;
}

/** The reads of the access's table in the plan: by its alias when the query reads the table more than once. */
function readsOfAccess(plan: unknown, access: ResolvedAccess, query: ExtractedQuery | undefined): TableRead[] {
  const reads = readsOf(plan, access.table);
  const sameTable = (query?.accesses ?? []).filter((other) => other.table.kind === access.access.table.kind && other.table.name === access.access.table.name);
  if (sameTable.length <= 1) return reads;
  const alias = access.access.alias ?? access.table.name;
  return reads.filter((read) => read.alias === alias);
}

interface IndexShape {
  method: string;
  /** The columns whose condition narrows a read of the index: the first key's for btree and hash, every key's otherwise. */
  columns: string[];
}

async function indexShapes(pg: PGlite): Promise<Map<string, IndexShape>> {
  const rows = await pg.query<{ name: string; method: string; keys: string[]; columns: string[] }>(`
    SELECT c.relname AS name, am.amname AS method,
           array(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k) AS keys,
           array(SELECT attname FROM pg_attribute WHERE attrelid = i.indrelid AND attnum > 0 AND NOT attisdropped) AS columns
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'`);
  const result = new Map<string, IndexShape>();
  for (const row of rows.rows) {
    const keys = row.method === 'btree' || row.method === 'hash' ? row.keys.slice(0, 1) : row.keys;
    result.set(row.name, { method: row.method, columns: keys.flatMap((key) => leadingColumns({ expression: key }, row.columns)) });
  }
  return result;
}

/** The table's columns a key names: the column itself, or those its expression mentions. */
function leadingColumns(key: { column?: string; expression?: string }, columns: readonly string[]): string[] {
  if (key.column !== undefined) return [key.column];
  const named = conditionColumns(key.expression ?? '', '');
  return columns.filter((column) => named.has(column));
}

/**
 * The read narrows by a filter of the access: an index whose condition names a column the access
 * constrains (equality, range, join key) that is the index's leading key. A condition on a later
 * key only (`slug = $1` on `(author_id, slug)`) is checked while the whole index is read, which
 * `enable_seqscan = off` makes cheaper than a Seq Scan but which serves nothing.
 */
function filterServed(read: TableRead, access: ResolvedAccess, known: ReadonlyMap<string, IndexShape>): boolean {
  // Branches of an OR count: a BitmapOr reads one index per branch.
  const constrained = new Set([...[...access.filters, ...access.disjunctions.flat(2)].filter((f) => f.op === 'eq' || f.op === 'range'), ...access.joinKeys].map((f) => f.column));
  return read.indexes.some((index) => {
    const shape = known.get(index.name);
    assert.ok(shape, `the plan reads ${index.name}, an index the schema does not hold`);
    if (index.condition === undefined) return false;
    const named = conditionColumns(index.condition, read.alias);
    return shape.columns.some((column) => constrained.has(column) && named.has(column));
  });
}

function caseLine(c: Case): string {
  const planner = c.plannerServed === undefined ? '' : ` | planner ${c.plannerServed ? 'served' : 'unserved'}`;
  const proposal = c.proposal ? ` | with ${c.proposal.sql.replace(/^CREATE INDEX IF NOT EXISTS /, '')}: ${c.proposal.used ? 'used' : 'NOT USED'} (${c.proposal.plan})` : '';
  return `${c.agrees ? 'agree   ' : 'DISAGREE'} ${c.kind.padEnd(6)} ${c.where} ${c.display} [${c.table}] | rule ${c.verdict}${planner} | ${c.plan}${proposal}`;
}
