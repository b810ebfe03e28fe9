import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectIndex } from '../workspace/project-index';
import type { ColumnFilter, ExtractedQuery } from './query-model';
import type { QueryExtractor } from './query-sources';
import { queriesOf } from './query-sources';

/** Test support for the ORM query extractors: a project over a fixture folder, and queries summarised as one line each. */

export function fixtureProject(folder: string): ProjectIndex {
  const list = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(d, e.name)) : [path.join(d, e.name)]));
  const project = new ProjectIndex(folder);
  project.setFiles(list(folder));
  return project;
}

export function extractFrom(project: ProjectIndex, relative: string, extractor: QueryExtractor): ExtractedQuery[] {
  const file = project.file(path.join(project.root, relative));
  if (!file) throw new Error(`no fixture ${relative}`);
  return queriesOf(file, project, [extractor]);
}

const filterText = (filter: ColumnFilter): string =>
  `${filter.column} ${filter.op}${filter.prefixLike ? ' prefix' : ''}${filter.constants ? ` ${JSON.stringify(filter.constants)}` : ''}`;

/** `this.orders.find select | where: status eq ["open"], reference eq | or: (a eq) / (b eq) | order: createdAt desc | limit constant | offset variable | partial`. */
export function summarise(query: ExtractedQuery): string {
  const access = query.accesses[0]!;
  const table = access.table.kind === 'orm' ? `${access.table.orm}:${access.table.name}` : access.table.name;
  const parts = [`${query.display} ${query.operation} ${table}`];
  if (access.filters.length > 0) parts.push(`where: ${access.filters.map(filterText).join(', ')}`);
  for (const group of access.disjunctions) parts.push(`or: ${group.map((alternative) => `(${alternative.map(filterText).join(', ')})`).join(' / ')}`);
  if (access.orderBy.length > 0) parts.push(`order: ${access.orderBy.map((key) => `${key.column}${key.descending ? ' desc' : ''}${key.nullsFirst === undefined ? '' : key.nullsFirst ? ' nulls first' : ' nulls last'}`).join(', ')}`);
  if (query.limit) parts.push(`limit ${query.limit}`);
  if (query.offset) parts.push(`offset ${query.offset}`);
  if (query.partial) parts.push('partial');
  return parts.join(' | ');
}
