import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SchemaCatalog } from '../../../engine/schema/catalog-model';
import { loadSchemaCatalog } from '../../../engine/schema/schema-catalog';
import { ProjectIndex } from '../../../engine/workspace/project-index';
import type { IndexProposal, ProposedKey } from '../index-proposal';

/** Test support for the migration writers: a fixture copied into a temp folder, its catalog, a proposal on it. */

export const WRITER_FIXTURES = path.join(__dirname, 'fixtures');
/** A fixed clock, so file names and timestamps in the tests never move. */
export const NOW = new Date(Date.UTC(2026, 10, 24, 9, 30, 0, 123));
export const now = (): Date => NOW;

export interface Workspace {
  fixture: string;
  root: string;
  project: ProjectIndex;
  catalog: SchemaCatalog;
}

export function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

let copies = 0;

/** A fresh copy of `fixture` under `temp`, indexed, with its catalog built. */
export async function workspace(temp: string, fixture: string): Promise<Workspace> {
  const root = path.join(temp, `${fixture}-${++copies}`);
  fs.cpSync(path.join(WRITER_FIXTURES, fixture), root, { recursive: true });
  const project = new ProjectIndex(root);
  project.setFiles(listFiles(root));
  return { fixture, root, project, catalog: await loadSchemaCatalog(project) };
}

export type KeySpec = [column: string, options?: { desc?: boolean; role?: ProposedKey['role']; expression?: string }];

/** An index proposal on a table of the workspace's catalog, with the table's ORM mapping. */
export function proposal(ws: Workspace, table: string, keys: KeySpec[], where?: string): IndexProposal {
  const found = ws.catalog.table(table);
  assert.ok(found, `table ${table} in the ${ws.fixture} catalog`);
  const built: IndexProposal = {
    table: found,
    keys: keys.map(([column, options = {}]) => {
      const key: ProposedKey = options.expression ? { expression: options.expression, descending: !!options.desc } : { column, descending: !!options.desc };
      if (options.role) key.role = options.role;
      return key;
    }),
    purpose: `${table} by ${keys.map(([column]) => column).join(', ')}`,
  };
  if (where) built.where = where;
  if (found.mapping) built.mapping = found.mapping;
  return built;
}
