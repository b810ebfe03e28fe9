import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { matchFilters } from '../../rules/index-advisor/index-match';
import { loadSchemaCatalog } from '../schema/schema-catalog';
import { ensureSqlParser } from '../sql/sql-gate';
import type { ExtractedQuery } from './query-model';
import { callSummary, projectOver, queriesIn } from './query-test-kit';
import { resolveQuery } from './resolve-query';
import { typeormQueryBuilderQueries } from './typeorm-query-builder';

describe('TypeORM QueryBuilder soft delete', () => {
  const project = projectOver(path.join(__dirname, 'fixtures', 'typeorm-builder-soft-delete'));
  let queries: ExtractedQuery[];
  before(async () => {
    await ensureSqlParser();
    queries = queriesIn(project, 'src/notes.service.ts', typeormQueryBuilderQueries);
  });

  it('adds `<@DeleteDateColumn> IS NULL` to SELECT and count builders, not with withDeleted(), not to updates or other entities', () => {
    assert.deepEqual(queries.map(callSummary), [
      'this.notes.createQueryBuilder(…).getMany select typeorm:Note | where: ownerId eq, trashedAt eq [null]',
      'this.notes.createQueryBuilder(…).getCount count typeorm:Note | where: ownerId eq, trashedAt eq [null]',
      'this.notes.createQueryBuilder(…).getMany select typeorm:Note | where: ownerId eq',
      'this.notes.createQueryBuilder(…).execute update typeorm:Note | where: ownerId eq',
      'this.labels.createQueryBuilder(…).getMany select typeorm:Label | where: ownerId eq',
    ]);
  });

  it('so the partial index `WHERE "trashed_at" IS NULL` serves the live query and not the one withDeleted', async () => {
    const catalog = await loadSchemaCatalog(project);
    const live = resolveQuery(queries[0]!, catalog).accesses[0]!;
    assert.deepEqual(live.filters.map((filter) => filter.column), ['owner_id', 'trashed_at']);
    assert.equal(matchFilters(live).kind, 'served');
    assert.equal(matchFilters(resolveQuery(queries[2]!, catalog).accesses[0]!).kind, 'unserved');
  });
});
