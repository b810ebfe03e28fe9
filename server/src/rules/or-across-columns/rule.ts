import { queryActivation } from '../index-advisor/activation';
import type { Span } from '../../engine/model/location';
import { defineRule } from '../../engine/model/rule';
import type { ColumnFilter, ExtractedQuery } from '../../engine/queries/query-model';
import { resolvedQueriesOf } from '../index-advisor/query-findings';
import type { ResolvedAccess } from '../../engine/queries/resolve-query';
import type { CatalogIndex } from '../../engine/schema/catalog-model';
import { matchFilters } from '../index-advisor/index-match';
import { keyId } from '../index-advisor/index-proposal-builder';
import { predicateImplied } from '../index-advisor/partial-implication';
import { isSmallTable, smallTablesOption } from '../index-advisor/small-tables';

export interface OrAcrossColumnsOptions {
  smallTables: string[];
}

const EXPLANATION =
  'Postgres can answer `a = 1 OR b = 2` with two index scans combined (a BitmapOr), but only when every branch has an index ' +
  'it can use; one branch without one turns the whole query into a scan of the table. Index the column of that branch, or ' +
  'split the query into a `UNION ALL` of queries that each use their own index (with `AND NOT (earlier branch)` or `UNION` ' +
  'to avoid duplicates).';

/** A top-level OR whose branches constrain different columns, when some branch has no index to use. */
export const orAcrossColumns = defineRule<OrAcrossColumnsOptions>({
  meta: {
    id: 'or-across-columns',
    skill: 'database-optimizer',
    title: 'OR across different columns with a branch no index serves',
    defaultSeverity: 'info',
    fixable: false,
    languages: ['typescript', 'javascript', 'sql'],
  },
  options: {
    smallTables: smallTablesOption('their queries'),
  },
  activation: queryActivation,
  check(context) {
    const { file, project } = context;
    const resolved = resolvedQueriesOf(file, project, () => context.checkpoint(), (query) => query.accesses.some((access) => access.disjunctions.length > 0));
    if (!resolved) return;
    for (const { query, accesses } of resolved.queries) {
      for (const access of accesses) {
        if (access.disjunctions.length === 0 || isSmallTable(access.table, context.options.smallTables)) continue;
        // `WHERE account_id = $1 AND (a = 1 OR b = 2)`: an index on account_id finds the rows; the OR only filters them.
        if (matchFilters({ ...access, disjunctions: [] }).kind === 'served') continue;
        for (const group of access.disjunctions) {
          const unserved = unservedBranch(access, group);
          if (!unserved) continue;
          context.report({ span: spanOf(group), message: messageOf(query, access, group, unserved), explanation: EXPLANATION });
        }
      }
    }
  },
});

/**
 * The first branch no index serves, when the group is worth reporting: at least two branches on
 * different columns, every branch an equality or range that an index could serve (a branch that is
 * a LIKE search or a `<>` scans whatever we advise).
 */
function unservedBranch(access: ResolvedAccess, group: ColumnFilter[][]): ColumnFilter[] | undefined {
  if (group.length < 2) return undefined;
  const indexable = group.map((branch) => branch.filter((filter) => (filter.op === 'eq' || filter.op === 'range') && !filter.prefixLike));
  if (indexable.some((branch) => branch.length === 0)) return undefined;
  const columns = new Set(indexable.map((branch) => branch.map(keyId).sort().join(',')));
  if (columns.size < 2) return undefined;
  return indexable.find((branch) => !access.table.indexes.some((index) => serves(index, branch, access.filters)));
}

/** An index whose first key the branch constrains (equality for hash), with its partial predicate implied. */
function serves(index: CatalogIndex, branch: ColumnFilter[], topLevel: ColumnFilter[]): boolean {
  const first = index.keys[0];
  if (!first || !predicateImplied(index, [...topLevel, ...branch])) return false;
  const id = keyId(first);
  if (index.method === 'hash') return branch.some((filter) => filter.op === 'eq' && keyId(filter) === id);
  if (index.method !== 'btree') return index.keys.some((key) => branch.some((filter) => keyId(filter) === keyId(key)));
  return branch.some((filter) => keyId(filter) === id && !filter.prefixLike);
}

function spanOf(group: ColumnFilter[][]): Span {
  const spans = group.flat().map((filter) => filter.span);
  return { start: Math.min(...spans.map((span) => span.start)), end: Math.max(...spans.map((span) => span.end)) };
}

function messageOf(query: ExtractedQuery, access: ResolvedAccess, group: ColumnFilter[][], unserved: ColumnFilter[]): string {
  const table = access.table.name;
  const branches = group.map((branch) => branch.map((filter) => `\`${filter.expression ?? filter.column}\``).join(' and ')).join(' or ');
  const missing = unserved.map((filter) => filter.expression ?? filter.column).join(', ');
  return (
    `The OR in \`${query.display}\` constrains ${branches}, and no index of \`${table}\` starts with \`${missing}\`: ` +
    `Postgres cannot combine index scans for it and reads all of \`${table}\`. Add an index on \`${table}\` (${missing}), ` +
    `or split the query into a UNION ALL of one query per branch.`
  );
}
