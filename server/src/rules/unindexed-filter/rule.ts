import type { SchemaCatalog } from '../../engine/schema/catalog-model';
import { queryActivation } from '../index-advisor/activation';
import { verificationData } from '../index-advisor/verification-data';
import { defineRule } from '../../engine/model/rule';
import type { ColumnFilter } from '../../engine/queries/query-model';
import type { ResolvedAccess } from '../../engine/queries/resolve-query';
import { matchFilters } from '../index-advisor/index-match';
import type { IndexProposal } from '../index-advisor/index-proposal';
import { columnList, indexRelated, proposalFixes, proposalSql, proposalText, resolvedQueriesOf } from '../index-advisor/query-findings';
import { isSmallTable, smallTablesOption } from '../index-advisor/small-tables';

export interface UnindexedFilterOptions {
  smallTables: string[];
}

export const RULE_ID = 'unindexed-filter';

/** Filters and join keys of a query that no index of their table can serve. */
export const unindexedFilter = defineRule<UnindexedFilterOptions>({
  meta: {
    id: RULE_ID,
    skill: 'database-optimizer',
    title: 'Filter or join that no index serves',
    defaultSeverity: 'warning',
    fixable: true,
    languages: ['typescript', 'javascript', 'sql'],
  },
  options: {
    smallTables: smallTablesOption('queries on them'),
  },
  activation: queryActivation,
  check(context) {
    const { file, project } = context;
    const resolved = resolvedQueriesOf(file, project, () => context.checkpoint());
    if (!resolved) return;
    const { catalog } = resolved;
    for (const resolvedQuery of resolved.queries) {
      for (const access of resolvedQuery.accesses) {
        context.checkpoint();
        if (isSmallTable(access.table, context.options.smallTables)) continue;
        const verdict = matchFilters(access);
        if (verdict.kind !== 'unserved' || wrapsIndexedColumn(access)) continue;
        const proposal = verdict.proposal.mapping || !access.table.mapping ? verdict.proposal : { ...verdict.proposal, mapping: access.table.mapping };
        context.report({
          span: (firstConstraint(access) ?? access.access).span,
          message: messageOf(access, proposal, verdict.nearest?.reason),
          related: verdict.nearest ? indexRelated(verdict.nearest.index, verdict.nearest.reason, project) : [],
          fixes: proposalFixes(proposal, { project, catalog, file }),
          explanation: explanationOf(proposal, catalog),
          data: verificationData(resolvedQuery, proposal, catalog),
        });
      }
    }
  },
});

function constraints(access: ResolvedAccess): { filters: ColumnFilter[]; joins: ColumnFilter[] } {
  return { filters: access.filters.filter((filter) => filter.op === 'eq' || filter.op === 'range'), joins: access.joinKeys };
}

function firstConstraint(access: ResolvedAccess): ColumnFilter | undefined {
  const { filters, joins } = constraints(access);
  return [...filters, ...joins].sort((a, b) => a.span.start - b.span.start)[0];
}

/**
 * `lower(email) = $1` with a plain index on `email`: the index exists, the function hides it.
 * That is `function-on-indexed-column`'s finding (with its own advice); one finding is enough.
 */
function wrapsIndexedColumn(access: ResolvedAccess): boolean {
  return access.filters.some(
    (filter) => (filter.op === 'eq' || filter.op === 'range') && filter.expression !== undefined && access.table.indexes.some((index) => index.keys[0]?.column === filter.column),
  );
}

function names(filters: readonly ColumnFilter[]): string[] {
  return [...new Set(filters.map((filter) => filter.expression ?? filter.column))];
}

function messageOf(access: ResolvedAccess, proposal: IndexProposal, reason: string | undefined): string {
  const table = `\`${access.table.name}\``;
  const { filters, joins } = constraints(access);
  const parts: string[] = [];
  if (filters.length > 0) parts.push(`filtered on ${columnList(names(filters))}`);
  if (joins.length > 0) parts.push(`joined on ${columnList(names(joins))}`);
  const count = new Set(names([...filters, ...joins])).size;
  const why = reason ? `${reason}.` : `no index of ${table} starts with ${count > 1 ? 'any of these columns' : 'this column'}.`;
  return `${table} is ${parts.join(' and ')} but no index serves it, so Postgres scans the table: ${why} Add an index on ${proposalText(proposal)}.`;
}

function explanationOf(proposal: IndexProposal, catalog: SchemaCatalog): string {
  return [
    'Without an index whose first column the query constrains, Postgres reads every row of the table for each call, and the cost grows with the table.',
    'An index serves equality columns first, then one range column, then the sort; a partial index (`WHERE status = …`) keeps it small when the query always asks for the same few values.',
    '',
    'The index this query needs:',
    '```sql',
    proposalSql(proposal, catalog),
    '```',
  ].join('\n');
}
