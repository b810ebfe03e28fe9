import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { projectOver, queriesIn, summary } from './query-test-kit';
import { kyselyQueries } from './kysely-queries';

describe('kysely queries', () => {
  it('reads where / orderBy / joins / limit and the expression-builder OR', () => {
    const project = projectOver(path.join(__dirname, 'fixtures', 'kysely'));
    assert.deepEqual(queriesIn(project, 'src/orders.repo.ts', kyselyQueries).map(summary), [
      'select orders as o where status eq ["open"], created_at range, customer_id eq order created_at desc; limit constant; offset variable',
      'select orders or (status eq ["open"]) / (status eq ["paid"])',
      'select customers or (email like-contains) / (name range prefix)',
      'select orders where id eq + order_items as i join order_id',
      'select orders order created_at desc, id',
      'update orders where created_at range',
      'delete sessions where expires_at range, user_id eq [null]',
      'select orders where status eq ["open"] + payments; partial',
      'select orders where status eq ["open"]; partial',
    ]);
  });

  it('snake_cases identifiers when CamelCasePlugin is configured with its defaults', () => {
    const project = projectOver(path.join(__dirname, 'fixtures', 'kysely-camel'));
    assert.deepEqual(queriesIn(project, 'src/orders.repo.ts', kyselyQueries).map(summary), ['select order_items where customer_id eq order created_at desc']);
  });
});
