import type { ParsedFile } from '../source/parsed-file';
import { sqlParserReady } from '../sql/sql-gate';
import type { ProjectView } from '../workspace/project-view';
import { drizzleQueries } from './drizzle-queries';
import { knexQueries } from './knex-queries';
import { kyselyQueries } from './kysely-queries';
import { prismaQueries } from './prisma-queries';
import type { ExtractedQuery } from './query-model';
import { sequelizeQueries } from './sequelize-queries';
import { sqlFileQueries } from './sql-file-queries';
import { sqlStringQueries } from './sql-string-queries';
import { typeormQueryBuilderQueries } from './typeorm-query-builder';
import { typeormFindQueries } from './typeorm-find-queries';

/**
 * One source of queries: `.sql` files, SQL strings in code, or one ORM's calls. Each is a module
 * of its own under `engine/queries/`; adding a source is one line in `QUERY_EXTRACTORS`.
 */
export interface QueryExtractor {
  id: string;
  /** Files whose text does not match are skipped without walking their AST. */
  textHint: RegExp;
  extract(file: ParsedFile, project: ProjectView): ExtractedQuery[];
}

/** The one place query sources are registered. */
export const QUERY_EXTRACTORS: QueryExtractor[] = [sqlFileQueries, sqlStringQueries, typeormQueryBuilderQueries, knexQueries, drizzleQueries, kyselyQueries, typeormFindQueries, prismaQueries, sequelizeQueries];

const extracted = new WeakMap<ParsedFile, ExtractedQuery[]>();

/** Whether some query source's text hint matches the file: only then can it send a query. */
export function mayHoldQueries(file: ParsedFile): boolean {
  return QUERY_EXTRACTORS.some((extractor) => extractor.textHint.test(file.text));
}

/**
 * The queries a file sends, from every source, extracted once per file version: the index rules
 * all ask for them, and a ParsedFile is replaced (not mutated) when the text changes. Until the
 * SQL parser has loaded the answer is "none yet" (uncached): the language server analyses again
 * when it arrives, so a file never keeps a result that lacks its SQL. An extractor that throws
 * loses only its own queries; the failure is rethrown when nothing else was found, so the rule
 * runner names it in its log instead of the file looking clean for good.
 */
export function queriesOf(file: ParsedFile, project: ProjectView, extractors: readonly QueryExtractor[] = QUERY_EXTRACTORS): ExtractedQuery[] {
  const cached = extractors === QUERY_EXTRACTORS ? extracted.get(file) : undefined;
  if (cached) return cached;
  const hinted = extractors.filter((extractor) => extractor.textHint.test(file.text));
  // A file no source's hint matches sends no query: answered without loading the SQL parser.
  if (hinted.length === 0) {
    if (extractors === QUERY_EXTRACTORS) extracted.set(file, []);
    return [];
  }
  if (extractors === QUERY_EXTRACTORS && !sqlParserReady()) return [];
  const queries: ExtractedQuery[] = [];
  const failures: string[] = [];
  for (const extractor of hinted) {
    try {
      queries.push(...extractor.extract(file, project));
    } catch (error) {
      failures.push(`${extractor.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length > 0 && queries.length === 0) throw new Error(`query extraction failed in ${file.filePath}: ${failures.join('; ')}`);
  queries.sort((a, b) => a.span.start - b.span.start);
  if (extractors === QUERY_EXTRACTORS && failures.length === 0) extracted.set(file, queries);
  return queries;
}
