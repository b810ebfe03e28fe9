import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { ConfigLayer } from '../../engine/config/resolve-config';
import { ensureSqlParser } from '../../engine/sql/sql-gate';
import { analyseFolder, assertSuppressionHonoured, findingOnLine, fixtureSuite } from '../../engine/testing/rule-harness';
import { applyFixesOneByOne, assertFixedFilesValid } from '../index-advisor/fix-loop';
import { unindexedFilter } from './rule';

const RULE = unindexedFilter.meta.id;
const FIXTURES = path.join(__dirname, 'fixtures');
const WORKSPACES = ['sql-files', 'typeorm', 'prisma', 'builders', 'drizzle', 'kysely', 'sequelize', 'typeorm-query-builder', 'knex-migrations', 'sequelize-migrations'];
/** Projects whose index declarations the migration writer can add to (Sequelize models without migrations it cannot). */
const FIXABLE = ['sql-files', 'typeorm', 'prisma', 'builders', 'kysely', 'typeorm-query-builder', 'drizzle', 'knex-migrations', 'sequelize-migrations'];

describe('unindexed-filter fixtures', () => {
  before(() => ensureSqlParser());

  fixtureSuite(unindexedFilter, FIXTURES, { folders: WORKSPACES.flatMap((w) => [`positive/${w}`, `negative/${w}`]), minimumMarks: 50 });

  it('honours a suppression comment in SQL', () => {
    const folder = path.join(FIXTURES, 'positive', 'sql-files');
    assertSuppressionHonoured(unindexedFilter, folder, path.join(folder, 'queries', 'suppressed.sql'), 'WHERE quantity');
  });

  it('skips tables declared small', () => {
    const folder = path.join(FIXTURES, 'positive', 'sql-files');
    const layers: ConfigLayer[] = [{ source: 'test', values: { rules: { [RULE]: { options: { smallTables: ['Products', 'public.jobs'] } } } } }];
    const messages = analyseFolder(unindexedFilter, folder, layers).findings.map((finding) => finding.message);
    assert.ok(messages.some((message) => message.startsWith('`orders`')));
    assert.ok(!messages.some((message) => message.startsWith('`products`') || message.startsWith('`jobs`')), messages.join('\n'));
  });
});

describe('unindexed-filter messages', () => {
  before(() => ensureSqlParser());

  it('names the table, the columns, the nearest index and why it does not serve, with the index to add', () => {
    const root = path.join(FIXTURES, 'positive', 'sql-files');
    const { findings } = analyseFolder(unindexedFilter, root);
    const file = path.join(root, 'queries', 'catalog.sql');
    const jobs = findingOnLine(findings, file, "state = 'failed'");
    assert.equal(
      jobs.message,
      "`jobs` is filtered on `queue` and `state` but no index serves it, so Postgres scans the table: `jobs_ready_idx` is a partial index (`WHERE state = 'ready'`) and this query does not imply its condition. Add an index on (queue) WHERE state = 'failed'.",
    );
    assert.equal(jobs.related.length, 1);
    assert.match(jobs.related[0]!.filePath, /V2__events_and_jobs\.sql$/);
    assert.match(jobs.explanation!, /CREATE INDEX CONCURRENTLY IF NOT EXISTS \w+ ON jobs \(queue\) WHERE state = 'failed';/);
    const email = findingOnLine(findings, file, 'WHERE email = $1');
    assert.match(email.message, /`customers_email_lower_idx` indexes `lower\(email\)`; this query compares `email` itself/);
    const hash = findingOnLine(findings, file, 'account_id > $1');
    assert.match(hash.message, /hash index, which serves only equality/);
    const join = findingOnLine(findings, path.join(root, 'queries', 'orders.sql'), 'JOIN orders o ON');
    assert.match(join.message, /^`orders` is joined on `customer_id`/);
    const plain = findingOnLine(findings, path.join(root, 'queries', 'orders.sql'), 'shipped_at >=');
    assert.match(plain.message, /no index of `orders` starts with this column\. Add an index on \(shipped_at\)\.$/);
  });
});

describe('unindexed-filter fixes', () => {
  before(() => ensureSqlParser());

  for (const workspace of WORKSPACES.filter((w) => !FIXABLE.includes(w))) {
    it(`positive/${workspace}: findings without a fix, as there is no migration folder or entity the writer knows`, () => {
      const { findings } = analyseFolder(unindexedFilter, path.join(FIXTURES, 'positive', workspace));
      assert.ok(findings.length >= 5 && findings.every((finding) => finding.fixes.length === 0));
    });
  }

  for (const workspace of FIXABLE) {
    it(`every finding in positive/${workspace} is fixed by its first fix, and the fixed code type-checks and its SQL parses`, () => {
      const { texts, applied, unfixable } = applyFixesOneByOne(unindexedFilter, path.join(FIXTURES, 'positive', workspace));
      assert.ok(applied > 0);
      assert.deepEqual(unfixable.map((finding) => finding.message), []);
      assertFixedFilesValid(texts, FIXTURES);
    });
  }
});
