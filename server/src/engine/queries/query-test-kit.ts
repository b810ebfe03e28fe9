import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProjectIndex } from '../workspace/project-index';
import type { ColumnFilter, ExtractedQuery, SortKey, TableAccess } from './query-model';
import { queriesOf, type QueryExtractor } from './query-sources';

/** Test support for the query extractors: a project over a fixture folder, its queries, and one line per query. */

export function projectOver(folder: string): ProjectIndex {
  const list = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(d, e.name)) : [path.join(d, e.name)]));
  const project = new ProjectIndex(folder);
  project.setFiles(list(folder));
  return project;
}

export function queriesIn(project: ProjectIndex, relative: string, extractor: QueryExtractor): ExtractedQuery[] {
  const file = project.file(path.join(project.root, relative));
  if (!file) throw new Error(`no fixture ${relative}`);
  return queriesOf(file, project, [extractor]);
}

const filterText = (filter: ColumnFilter): string =>
  `${filter.column} ${filter.op}${filter.prefixLike ? ' prefix' : ''}${filter.constants ? ` ${JSON.stringify(filter.constants)}` : ''}`;

const disjunctionText = (group: ColumnFilter[][]): string => group.map((alternative) => `(${alternative.map(filterText).join(', ')})`).join(' / ');

const sortText = (keys: readonly SortKey[]): string =>
  keys.map((key) => `${key.column}${key.descending ? ' desc' : ''}${key.nullsFirst === undefined ? '' : key.nullsFirst ? ' nulls first' : ' nulls last'}`).join(', ');

const tableText = (access: TableAccess): string =>
  access.table.kind === 'orm' ? `${access.table.orm}:${access.table.name}` : `${access.table.schema ? `${access.table.schema}.` : ''}${access.table.name}`;

function accessText(access: TableAccess): string {
  const parts = [`${tableText(access)}${access.alias ? ` as ${access.alias}` : ''}`];
  if (access.filters.length > 0) parts.push(`where ${access.filters.map(filterText).join(', ')}`);
  for (const group of access.disjunctions) parts.push(`or ${disjunctionText(group)}`);
  if (access.joinKeys.length > 0) parts.push(`join ${access.joinKeys.map((k) => k.column).join(', ')}`);
  if (access.orderBy.length > 0) parts.push(`order ${sortText(access.orderBy)}`);
  return parts.join(' ');
}

/** Every access of a query builder chain: `select orders as o where customer_id eq, status eq ["open"] order created_at desc; limit constant; offset variable`. */
export function summary(query: ExtractedQuery): string {
  const parts = [`${query.operation} ${query.accesses.map(accessText).join(' + ')}`];
  if (query.limit) parts.push(`limit ${query.limit}`);
  if (query.offset) parts.push(`offset ${query.offset}`);
  if (query.partial) parts.push('partial');
  return parts.join('; ');
}

/** One ORM call on its one table: `this.orders.find select typeorm:Order | where: status eq ["open"] | or: (a eq) / (b eq) | order: createdAt desc | limit constant | offset variable | partial`. */
export function callSummary(query: ExtractedQuery): string {
  const access = query.accesses[0]!;
  const parts = [`${query.display} ${query.operation} ${tableText(access)}`];
  if (access.filters.length > 0) parts.push(`where: ${access.filters.map(filterText).join(', ')}`);
  for (const group of access.disjunctions) parts.push(`or: ${disjunctionText(group)}`);
  if (access.orderBy.length > 0) parts.push(`order: ${sortText(access.orderBy)}`);
  if (query.limit) parts.push(`limit ${query.limit}`);
  if (query.offset) parts.push(`offset ${query.offset}`);
  if (query.partial) parts.push('partial');
  return parts.join(' | ');
}
