import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadSchemaCatalog } from '../schema/schema-catalog';
import { ProjectIndex } from '../workspace/project-index';
import { prismaQueries } from './prisma-queries';
import { resolveQuery } from './resolve-query';

/**
 * A Prisma client exported from a workspace package through a once-per-process helper whose
 * callback returns the primary client or the primary extended for read replicas, then exported
 * under another name (`export { withReplicas as store }`): the shape of a monorepo's db package.
 */
const folder = path.join(__dirname, 'fixtures', 'prisma-replicas');
const list = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(d, e.name)) : [path.join(d, e.name)]));

function projectOver(): ProjectIndex {
  const project = new ProjectIndex(folder);
  project.setFiles(list(folder));
  return project;
}

function queriesIn(project: ProjectIndex, relative: string) {
  const file = project.file(path.join(folder, relative));
  assert.ok(file, relative);
  return prismaQueries.extract(file, project);
}

describe('Prisma clients made by a singleton helper in a workspace package', () => {
  it('follows every return of the helper, a local const and a renamed export', async () => {
    const project = projectOver();
    const [query, ...rest] = queriesIn(project, 'apps/api/src/tickets.ts');
    assert.equal(rest.length, 0);
    assert.equal(query!.display, 'store.ticket.findMany');
    assert.deepEqual(query!.accesses[0]!.filters.map((filter) => `${filter.column} ${filter.op}`), ['queueId eq', 'state eq']);
    const resolved = resolveQuery(query!, await loadSchemaCatalog(project));
    assert.equal(resolved.accesses[0]?.table.name, 'Ticket');
  });

  it('does not take a helper whose returns disagree for a client', () => {
    assert.deepEqual(queriesIn(projectOver(), 'apps/api/src/mixed.ts'), []);
  });
});
