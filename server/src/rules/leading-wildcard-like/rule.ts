import { queryActivation } from '../index-advisor/activation';
import { defineRule } from '../../engine/model/rule';
import type { ColumnFilter, ExtractedQuery } from '../../engine/queries/query-model';
import { resolvedQueriesOf } from '../index-advisor/query-findings';
import type { ResolvedAccess } from '../../engine/queries/resolve-query';
import type { CatalogTable } from '../../engine/schema/catalog-model';
import { matchFilters } from '../index-advisor/index-match';
import { isSmallTable, smallTablesOption } from '../index-advisor/small-tables';
import { hasLeadingWildcard } from './wildcard-pattern';

export interface LeadingWildcardLikeOptions {
  smallTables: string[];
}

const EXPLANATION =
  'A btree index is sorted by the value from its first character, so it can find `abc%` but not `%abc` or `%abc%`: every row ' +
  'is read and matched. For substring search, add a trigram index (`CREATE EXTENSION pg_trgm; CREATE INDEX … USING gin (name ' +
  'gin_trgm_ops)`), which serves LIKE and ILIKE with any wildcards; for words in prose, use full-text search (a `tsvector` ' +
  'column or expression with a GIN index, queried with `@@ websearch_to_tsquery(…)`).';

/** LIKE / ILIKE patterns that start with a wildcard, on a column no trigram (GIN/GiST) index covers. */
export const leadingWildcardLike = defineRule<LeadingWildcardLikeOptions>({
  meta: {
    id: 'leading-wildcard-like',
    skill: 'database-optimizer',
    title: 'LIKE / ILIKE pattern with a leading wildcard scans the table',
    defaultSeverity: 'warning',
    fixable: false,
    languages: ['typescript', 'javascript', 'sql'],
  },
  options: {
    smallTables: smallTablesOption('their queries'),
  },
  activation: queryActivation,
  check(context) {
    const { file, project } = context;
    const resolved = resolvedQueriesOf(file, project, () => context.checkpoint(), (query) => query.accesses.some((access) => likeFiltersOf(query, access.filters, access.disjunctions).length > 0));
    if (!resolved) return;
    for (const { query, accesses } of resolved.queries) {
      for (const access of accesses) {
        if (isSmallTable(access.table, context.options.smallTables)) continue;
        const candidates = likeFiltersOf(query, access.filters, access.disjunctions).filter((filter) => !hasTrigramIndex(access.table, filter.column));
        if (candidates.length === 0) continue;
        // `WHERE account_id = $1 AND name ILIKE '%x%'`: the index on account_id finds the rows, the pattern only filters them.
        if (matchFilters(access).kind === 'served') continue;
        for (const filter of candidates) {
          if (!hasLeadingWildcard(file, query, filter)) continue;
          context.report({ span: filter.span, message: messageOf(query, access, filter), explanation: EXPLANATION });
        }
      }
    }
  },
});

/**
 * Filters that may be a LIKE with a leading wildcard: `like-contains` ones, and in SQL also `other`
 * ones, which is what `LIKE $1` and `LIKE concat('%', $1)` are (the pattern is read from the text).
 */
function likeFiltersOf(query: ExtractedQuery, filters: readonly ColumnFilter[], disjunctions: readonly ColumnFilter[][][]): ColumnFilter[] {
  const sql = query.source === 'sql-file' || query.source === 'sql-string';
  return [...filters, ...disjunctions.flat(2)].filter((filter) => filter.op === 'like-contains' || (sql && filter.op === 'other' && filter.expression === undefined));
}

/**
 * Any GIN or GiST index with the column in a key (`gin (name gin_trgm_ops)`, `gin (lower(name) gin_trgm_ops)`,
 * `gin (to_tsvector('english', name))`). The catalog does not keep operator classes, so every such index counts:
 * when unsure, no finding.
 */
function hasTrigramIndex(table: CatalogTable, column: string): boolean {
  const word = new RegExp(`\\b${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
  return table.indexes.some((index) => (index.method === 'gin' || index.method === 'gist') && index.keys.some((key) => key.column === column || (key.expression !== undefined && word.test(key.expression))));
}

function messageOf(query: ExtractedQuery, access: ResolvedAccess, filter: ColumnFilter): string {
  const table = access.table.name;
  return (
    `The pattern matched against \`${filter.column}\` in \`${query.display}\` starts with a wildcard, so no btree index can serve it ` +
    `and Postgres reads every row of \`${table}\`. Add a pg_trgm GIN index on \`${table}\` (${filter.column} gin_trgm_ops), or use full-text search.`
  );
}
