import type { ParsedFile } from '../source/parsed-file';
import type { ProjectView } from '../workspace/project-view';
import type { ExtractedQuery } from './query-model';

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
export const QUERY_EXTRACTORS: QueryExtractor[] = [];

const extracted = new WeakMap<ParsedFile, ExtractedQuery[]>();

/**
 * The queries a file sends, from every source, extracted once per file version: the index rules
 * all ask for them, and a ParsedFile is replaced (not mutated) when the text changes. An extractor
 * that throws loses only its own queries for this file.
 */
export function queriesOf(file: ParsedFile, project: ProjectView, extractors: readonly QueryExtractor[] = QUERY_EXTRACTORS): ExtractedQuery[] {
  const cached = extractors === QUERY_EXTRACTORS ? extracted.get(file) : undefined;
  if (cached) return cached;
  const queries: ExtractedQuery[] = [];
  const failures: string[] = [];
  for (const extractor of extractors) {
    if (!extractor.textHint.test(file.text)) continue;
    try {
      queries.push(...extractor.extract(file, project));
    } catch (error) {
      failures.push(`${extractor.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // A failing extractor must not make the rules report the file's other queries as complete or
  // hide the error: it is rethrown after the others ran, so the rule runner names it in its log.
  if (failures.length > 0 && queries.length === 0) throw new Error(`query extraction failed in ${file.filePath}: ${failures.join('; ')}`);
  queries.sort((a, b) => a.span.start - b.span.start);
  if (extractors === QUERY_EXTRACTORS) extracted.set(file, queries);
  return queries;
}
