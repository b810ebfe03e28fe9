import { queryActivation } from '../index-advisor/activation';
import { verificationData } from '../index-advisor/verification-data';
import { defineRule } from '../../engine/model/rule';
import type { ColumnFilter, ExtractedQuery } from '../../engine/queries/query-model';
import { proposalFixes, resolvedQueriesOf } from '../index-advisor/query-findings';
import type { ResolvedAccess } from '../../engine/queries/resolve-query';
import type { CatalogIndex } from '../../engine/schema/catalog-model';
import { indexLabel, matchFilters } from '../index-advisor/index-match';
import type { IndexProposal } from '../index-advisor/index-proposal';
import { keyId } from '../index-advisor/index-proposal-builder';
import { predicateImplied } from '../index-advisor/partial-implication';
import { isSmallTable, smallTablesOption } from '../index-advisor/small-tables';

export interface FunctionOnIndexedColumnOptions {
  smallTables: string[];
}

const EXPLANATION =
  'A btree index on `email` holds the values of `email`, sorted; it cannot find rows by `lower(email)`, `date(created_at)` or ' +
  '`id::text`, so Postgres reads the whole table and computes the expression for every row. Either index the expression itself ' +
  '(`CREATE INDEX … ON users ((lower(email)))`, which the query must then write exactly the same way), or compare the bare ' +
  'column: store the value normalised, or turn `date(created_at) = $1` into the range `created_at >= $1 AND created_at < $1 + 1 day`.';

/** Filters that wrap an indexed column in a function or cast, so its plain index cannot serve them. */
export const functionOnIndexedColumn = defineRule<FunctionOnIndexedColumnOptions>({
  meta: {
    id: 'function-on-indexed-column',
    skill: 'database-optimizer',
    title: 'Function or cast on an indexed column defeats its index',
    defaultSeverity: 'warning',
    fixable: true,
    languages: ['typescript', 'javascript', 'sql'],
  },
  options: {
    smallTables: smallTablesOption('their queries'),
  },
  activation: queryActivation,
  check(context) {
    const { file, project } = context;
    const resolved = resolvedQueriesOf(file, project, () => context.checkpoint(), (query) => query.accesses.some((access) => access.filters.some((filter) => filter.expression)));
    if (!resolved) return;
    const { catalog } = resolved;
    for (const resolvedQuery of resolved.queries) {
      const { query } = resolvedQuery;
      for (const access of resolvedQuery.accesses) {
        if (isSmallTable(access.table, context.options.smallTables)) continue;
        for (const filter of access.filters) {
          const verdict = judge(access, filter);
          if (!verdict) continue;
          const proposal: IndexProposal = {
            table: access.table,
            keys: [{ expression: filter.expression!, descending: false }],
            purpose: `${access.table.name} by ${filter.expression}`,
          };
          if (access.mapping) proposal.mapping = access.mapping;
          const fixes = expressionIndexRefused(access, filter) ? [] : proposalFixes(proposal, { project, catalog, file });
          const data = fixes.length > 0 ? verificationData(resolvedQuery, proposal, catalog) : undefined;
          context.report({ span: filter.span, message: messageOf(query, access, filter, verdict), fixes, explanation: EXPLANATION, data });
        }
      }
    }
  },
});

/** The plain index the wrapped column would use, when nothing else in the query is served and no expression index exists. */
function judge(access: ResolvedAccess, filter: ColumnFilter): CatalogIndex | undefined {
  if (!filter.expression || (filter.op !== 'eq' && filter.op !== 'range')) return undefined;
  const wanted = keyId(filter);
  if (access.table.indexes.some((index) => index.keys.some((key) => key.expression !== undefined && keyId(key) === wanted))) return undefined;
  const plain = access.table.indexes.find((index) => index.method === 'btree' && index.keys[0]?.column === filter.column && predicateImplied(index, access.filters));
  if (!plain) return undefined;
  // Another filter or join key an index serves narrows the rows first; the function then costs little.
  const rest: ResolvedAccess = { ...access, filters: access.filters.filter((other) => other !== filter) };
  if (matchFilters(rest).kind === 'served') return undefined;
  return plain;
}

/** Truncating a timestamp to a day or month: a range on the bare column says the same. */
function truncatesTime(expression: string): boolean {
  return /^(date|date_trunc)\(|::date$/.test(expression);
}

/**
 * Whether Postgres would refuse the expression index: casting or truncating a `timestamptz`
 * depends on the session's time zone, so those functions are not IMMUTABLE.
 */
function expressionIndexRefused(access: ResolvedAccess, filter: ColumnFilter): boolean {
  const type = access.table.columns.find((column) => column.name === filter.column)?.type?.toLowerCase() ?? '';
  return truncatesTime(filter.expression!) && /^(timestamptz|timestamp with time zone)$/.test(type);
}

function messageOf(query: ExtractedQuery, access: ResolvedAccess, filter: ColumnFilter, index: CatalogIndex): string {
  const expression = filter.expression!;
  const table = access.table.name;
  const column = filter.column;
  const range = `compare \`${column}\` with a range (\`${column} >= $start AND ${column} < $end\`)`;
  const advice = expressionIndexRefused(access, filter)
    ? `Instead, ${range}; an expression index cannot be built here, as this cast of a timestamptz depends on the time zone.`
    : `Add an expression index (\`CREATE INDEX ON ${table} ((${expression}))\`), or ${truncatesTime(expression) ? range : 'compare the bare column (store the value already normalised)'}.`;
  return `\`${expression}\` in \`${query.display}\` wraps \`${column}\` in ${wrapperOf(expression)}, so ${indexLabel(index)} on \`${column}\` cannot serve it and Postgres scans \`${table}\`. ${advice}`;
}

function wrapperOf(expression: string): string {
  const call = /^([\w.]+)\(/.exec(expression);
  if (call) return `\`${call[1]}()\``;
  const cast = /::([\w. ]+)$/.exec(expression);
  if (cast) return `a cast to \`${cast[1]}\``;
  return 'an expression';
}
