import { isMigrationPath } from '../schema/migration-sources';
import type { ParsedFile } from '../source/parsed-file';
import { parseSql, sqlParserReady } from '../sql/sql-gate';
import type { ExtractedQuery } from './query-model';
import type { QueryExtractor } from './query-sources';
import { analyseSqlStatement } from './sql-query-analysis';

/**
 * Queries kept in `.sql` files (query folders, sqlc / PgTyped sources, reports). A migration's
 * statements run once (a backfill UPDATE is not a workload), so migration files give no queries.
 * Statements before a syntax error are still read, as the gate returns them.
 */
export const sqlFileQueries: QueryExtractor = {
  id: 'sql-file',
  textHint: /\b(?:select|update|delete)\b/i,
  extract(file: ParsedFile): ExtractedQuery[] {
    if (file.language !== 'sql' || isMigrationPath(file.filePath)) return [];
    if (!sqlParserReady()) throw new Error('the SQL parser is not loaded yet');
    const result = parseSql(file.text);
    if (result.kind !== 'parsed' && result.kind !== 'syntax-error') return [];
    const queries: ExtractedQuery[] = [];
    for (const statement of result.statements) {
      const query = analyseSqlStatement(statement, { source: 'sql-file', toFileOffset: (offset) => offset });
      if (query) queries.push(query);
    }
    return queries;
  },
};
