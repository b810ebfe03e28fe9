import { queryActivation } from '../index-advisor/activation';
import { defineRule } from '../../engine/model/rule';
import type { ExtractedQuery, SortKey } from '../../engine/queries/query-model';
import { applicationQueriesOf } from '../index-advisor/query-findings';

const RULE_ID = 'offset-pagination';

const EXPLANATION =
  'Postgres reads and throws away every row before the OFFSET, so page 1,000 of 20 rows reads 20,000 rows, and a row inserted ' +
  'while someone pages shifts every later page (rows are skipped or shown twice). Keyset (cursor) pagination asks for the rows ' +
  'after the last one seen (`WHERE (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT 20`), which an index on the ' +
  'sort key answers in the same time on every page.';

/**
 * Queries that page with a computed OFFSET / `skip` and an ORDER BY. Only the query is needed:
 * the cost grows with the page number whatever the indexes, so the schema does not have to be known.
 */
export const offsetPagination = defineRule({
  meta: {
    id: RULE_ID,
    skill: 'database-optimizer',
    title: 'OFFSET pagination with a computed offset',
    defaultSeverity: 'info',
    fixable: false,
    languages: ['typescript', 'javascript', 'sql'],
  },
  options: {},
  activation: queryActivation,
  check(context) {
    for (const query of applicationQueriesOf(context.file, context.project)) {
      context.checkpoint();
      if (query.offset !== 'variable') continue;
      const sort = query.accesses.flatMap((access) => access.orderBy);
      if (sort.length === 0) continue;
      context.report({ span: query.offsetSpan ?? query.span, message: messageOf(query, sort), explanation: EXPLANATION });
    }
  },
});

function messageOf(query: ExtractedQuery, sort: readonly SortKey[]): string {
  const keys = sort.map((key) => key.expression ?? key.column);
  const tieBreaker = keys.some((key) => /^(id|uuid|_id)$/i.test(key)) ? '' : ', plus a unique column such as the primary key as a tie-breaker';
  return (
    `\`${query.display}\` pages with a computed offset: Postgres reads and discards every skipped row, so deep pages get slower ` +
    `and rows shift between pages as data changes. Use cursor (keyset) pagination on the sort key (${keys.join(', ')}${tieBreaker}): ` +
    `filter on the last row's values instead of skipping.`
  );
}
