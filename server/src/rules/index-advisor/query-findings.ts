import { relative } from 'node:path';
import type { RelatedLocation } from '../../engine/model/finding';
import type { FixReport } from '../../engine/model/rule';
import type { ExtractedQuery } from '../../engine/queries/query-model';
import { queriesOf } from '../../engine/queries/query-sources';
import { resolveQuery, type ResolvedQuery } from '../../engine/queries/resolve-query';
import type { CatalogIndex, SchemaCatalog } from '../../engine/schema/catalog-model';
import { schemaCatalogOf } from '../../engine/schema/schema-catalog';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { isTestFile } from '../../engine/source/test-files';
import type { ProjectView } from '../../engine/workspace/project-view';
import { keyListSql, type IndexProposal } from './index-proposal';
import { indexFixes } from './migration-writer/index-fixes';
import { detectIndexNaming, proposedIndexName } from './migration-writer/index-naming';
import { createIndexSql } from './migration-writer/index-sql';

/**
 * What the query rules of the index advisor share: which files they read, the queries of a file
 * resolved against the catalog, and how a proposal becomes fixes, a related location and the SQL
 * shown on hover.
 */

/**
 * Migrations and one-off data scripts (their backfills run once: `migrations/`,
 * `migration-scripts/`, `manual-data-migrations/`), seeds and tests send queries nobody needs an
 * index for; the rules read the application's code and `.sql` files only.
 */
export function queryFileSkipped(file: ParsedFile, project: ProjectView): boolean {
  const path = relative(project.root, file.filePath).replace(/\\/g, '/');
  if (isTestFile(path)) return true;
  if (/(^|\/)[^/]*(migrations?|migrate|seeds?|seeders?|seeding)([-_.][^/]*)?\//i.test(path)) return true;
  if (/\.(seed|migration)\.[cm]?[jt]s$/i.test(path)) return true;
  // Named by date or timestamp to run in order (`20230313000000-backfill-settings.ts`): a migration or one-off script.
  if (/(^|\/)\d{8,}[-_][^/]*$/.test(path)) return true;
  return file.language !== 'sql' && /\bimplements\s+MigrationInterface\b/.test(file.text);
}

/** The queries of a file the index rules read: none from migrations, seeds and tests. */
export function applicationQueriesOf(file: ParsedFile, project: ProjectView): ExtractedQuery[] {
  return queryFileSkipped(file, project) ? [] : queriesOf(file, project);
}

export interface ResolvedQueries {
  catalog: SchemaCatalog;
  queries: ResolvedQuery[];
}

/**
 * The file's complete queries (not `partial`) that `keep` accepts, resolved against the catalog;
 * undefined when there are none (the catalog is then not asked for) or the catalog is not built yet
 * (the SQL parser is loading: nothing can be said). A `where` read only in part may hold a filter
 * an index serves, which would change every verdict, so partial queries are never judged.
 */
export function resolvedQueriesOf(file: ParsedFile, project: ProjectView, checkpoint: () => void, keep: (query: ExtractedQuery) => boolean = () => true): ResolvedQueries | undefined {
  const queries = applicationQueriesOf(file, project).filter((query) => !query.partial && keep(query));
  if (queries.length === 0) return undefined;
  const catalog = schemaCatalogOf(project);
  if (!catalog) return undefined;
  const resolved: ResolvedQuery[] = [];
  for (const query of queries) {
    checkpoint();
    const result = resolveQuery(query, catalog);
    if (result.accesses.length > 0) resolved.push(result);
  }
  return { catalog, queries: resolved };
}

/** The proposal's fixes, written by the migration writer in the project's style. */
export function proposalFixes(proposal: IndexProposal, context: { project: ProjectView; catalog: SchemaCatalog; file: ParsedFile }): FixReport[] {
  return indexFixes(proposal, context).map((fix) => ({ title: fix.title, isPreferred: fix.isPreferred, edits: [], otherChanges: fix.changes }));
}

/** The nearest index's declaration, as a related location. */
export function indexRelated(index: CatalogIndex, reason: string, project: ProjectView): RelatedLocation[] {
  const declared = project.file(index.origin.filePath);
  if (!declared) return [];
  return [{ filePath: index.origin.filePath, range: declared.lineMap.rangeOf({ start: index.origin.start, end: index.origin.end }), message: reason }];
}

/**
 * The proposal as one SQL statement for the hover, named as the fix and the planner check name it
 * (the fix writes it in the project's style; this is what it amounts to).
 */
export function proposalSql(proposal: IndexProposal, catalog: SchemaCatalog): string {
  const name = proposedIndexName(proposal, catalog, detectIndexNaming(catalog, proposal.table.name, 'idx-prefix'));
  return `${createIndexSql(proposal, name, { concurrently: true })};`;
}

/** `(customer_id, created_at DESC) WHERE status = 'open'` for messages. */
export function proposalText(proposal: IndexProposal): string {
  return `${keyListSql(proposal.keys)}${proposal.where ? ` WHERE ${proposal.where}` : ''}`;
}

/** `` `a` `` , `` `a` and `b` ``, `` `a`, `b` and `c` ``. */
export function columnList(names: readonly string[]): string {
  const quoted = names.map((name) => `\`${name}\``);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
