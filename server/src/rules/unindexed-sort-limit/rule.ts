import type { SchemaCatalog } from '../../engine/schema/catalog-model';
import { queryActivation } from '../index-advisor/activation';
import { verificationData } from '../index-advisor/verification-data';
import { defineRule } from '../../engine/model/rule';
import type { SortKey } from '../../engine/queries/query-model';
import type { ResolvedAccess } from '../../engine/queries/resolve-query';
import { matchFilters, matchSort } from '../index-advisor/index-match';
import type { IndexProposal } from '../index-advisor/index-proposal';
import { columnList, indexRelated, proposalFixes, proposalSql, proposalText, resolvedQueriesOf } from '../index-advisor/query-findings';
import { isSmallTable, smallTablesOption } from '../index-advisor/small-tables';

export interface UnindexedSortLimitOptions {
  smallTables: string[];
}

export const RULE_ID = 'unindexed-sort-limit';

/** `ORDER BY … LIMIT` whose order no index delivers: every page sorts every matching row. */
export const unindexedSortLimit = defineRule<UnindexedSortLimitOptions>({
  meta: {
    id: RULE_ID,
    skill: 'database-optimizer',
    title: 'ORDER BY with LIMIT that no index delivers in order',
    defaultSeverity: 'warning',
    fixable: true,
    languages: ['typescript', 'javascript', 'sql'],
  },
  options: {
    smallTables: smallTablesOption('queries on them', 'sorting all their rows costs nothing'),
  },
  activation: queryActivation,
  check(context) {
    const { file, project } = context;
    const resolved = resolvedQueriesOf(file, project, () => context.checkpoint(), (query) => query.limit !== undefined && query.operation === 'select');
    if (!resolved) return;
    const { catalog } = resolved;
    for (const resolvedQuery of resolved.queries) {
      const { query, accesses } = resolvedQuery;
      context.checkpoint();
      // The sort must be on the main table alone: keys from several tables cannot come from one index.
      const main = accesses.find((access) => access.access === query.accesses[0]);
      if (!main || query.accesses.slice(1).some((access) => access.orderBy.length > 0)) continue;
      if (isSmallTable(main.table, context.options.smallTables)) continue;
      const verdict = matchSort(main);
      if (verdict.kind !== 'unserved') continue;
      // With no index for the filter either, `unindexed-filter` reports the query and proposes one index for both.
      if (matchFilters(main).kind === 'unserved') continue;
      const proposal = verdict.proposal.mapping || !main.table.mapping ? verdict.proposal : { ...verdict.proposal, mapping: main.table.mapping };
      context.report({
        span: main.orderBy[0]!.span,
        message: messageOf(main, proposal, verdict.nearest?.reason),
        related: verdict.nearest ? indexRelated(verdict.nearest.index, verdict.nearest.reason, project) : [],
        fixes: proposalFixes(proposal, { project, catalog, file }),
        explanation: explanationOf(proposal, catalog),
        data: verificationData(resolvedQuery, proposal, catalog),
      });
    }
  },
});

function sortText(keys: readonly SortKey[]): string {
  return keys.map((key) => `${key.expression ?? key.column}${key.descending ? ' DESC' : ''}`).join(', ');
}

function messageOf(access: ResolvedAccess, proposal: IndexProposal, reason: string | undefined): string {
  const table = `\`${access.table.name}\``;
  const equality = [...new Set(access.filters.filter((filter) => filter.op === 'eq' && !(filter.constants ?? []).includes(null)).map((filter) => filter.expression ?? filter.column))];
  const after = equality.length > 0 ? ` after its equality filters on ${columnList(equality)}` : '';
  const why = reason ? ` ${reason}.` : '';
  return (
    `${table} is sorted by \`${sortText(access.orderBy)}\` with a LIMIT, but no index returns rows in that order${after}: ` +
    `Postgres reads and sorts every matching row for each page.${why} Add an index on ${proposalText(proposal)}.`
  );
}

function explanationOf(proposal: IndexProposal, catalog: SchemaCatalog): string {
  return [
    'With `ORDER BY … LIMIT n`, an index whose keys are the equality columns and then the sort columns (all in the same directions, or all reversed) lets Postgres read the first n rows in order and stop.',
    'Without one, it reads every row that matches the filters, sorts them, and keeps n: the cost grows with the table, not with the page size.',
    '',
    'The index this query needs:',
    '```sql',
    proposalSql(proposal, catalog),
    '```',
  ].join('\n');
}
