import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { ConfigLayer } from '../../engine/config/resolve-config';
import { ensureSqlParser } from '../../engine/sql/sql-gate';
import { analyseFolder, assertSuppressionHonoured, findingOnLine, fixtureSuite } from '../../engine/testing/rule-harness';
import { applyFixesOneByOne, assertFixedFilesValid } from '../index-advisor/fix-loop';
import { unindexedSortLimit } from './rule';

const RULE = unindexedSortLimit.meta.id;
const FIXTURES = path.join(__dirname, 'fixtures');
const WORKSPACES = ['sql-files', 'prisma'];

describe('unindexed-sort-limit fixtures', () => {
  before(() => ensureSqlParser());

  fixtureSuite(unindexedSortLimit, FIXTURES, { folders: WORKSPACES.flatMap((w) => [`positive/${w}`, `negative/${w}`]), minimumMarks: 10 });

  it('honours a suppression comment in SQL', () => {
    const folder = path.join(FIXTURES, 'positive', 'sql-files');
    assertSuppressionHonoured(unindexedSortLimit, folder, path.join(folder, 'queries', 'suppressed.sql'), 'ORDER BY quantity');
  });

  it('skips tables declared small', () => {
    const folder = path.join(FIXTURES, 'positive', 'sql-files');
    const layers: ConfigLayer[] = [{ source: 'test', values: { rules: { [RULE]: { options: { smallTables: ['countries'] } } } } }];
    const messages = analyseFolder(unindexedSortLimit, folder, layers).findings.map((finding) => finding.message);
    assert.ok(messages.some((message) => message.startsWith('`products`')));
    assert.ok(!messages.some((message) => message.startsWith('`countries`')), messages.join('\n'));
  });
});

describe('unindexed-sort-limit messages', () => {
  before(() => ensureSqlParser());

  it('names the sort, the equality filters, the nearest index and the index to add', () => {
    const root = path.join(FIXTURES, 'positive', 'sql-files');
    const { findings } = analyseFolder(unindexedSortLimit, root);
    const file = path.join(root, 'queries', 'feeds.sql');
    const mixed = findingOnLine(findings, file, 'created_at ASC, id DESC');
    assert.equal(
      mixed.message,
      '`orders` is sorted by `created_at, id DESC` with a LIMIT, but no index returns rows in that order: Postgres reads and sorts every matching row for each page. `idx_orders_created` orders `created_at DESC, id DESC`; this query sorts `created_at ASC, id DESC`, which neither a forward nor a backward scan of it returns. Add an index on (created_at, id DESC).',
    );
    assert.match(mixed.related[0]!.filePath, /V1__init\.sql$/);
    const jobs = findingOnLine(findings, file, 'ORDER BY priority DESC');
    assert.match(jobs.message, /after its equality filters on `queue` and `state`.*Add an index on \(queue, priority DESC\) WHERE state = 'ready'\.$/);
    assert.match(jobs.explanation!, /CREATE INDEX CONCURRENTLY IF NOT EXISTS \w+ ON jobs \(queue, priority DESC\) WHERE state = 'ready';/);
    const soft = findingOnLine(findings, file, 'ORDER BY created_at DESC LIMIT $2');
    assert.match(soft.message, /equality filters on `tenant_id`:.*\(tenant_id, created_at DESC\) WHERE deleted_at IS NULL\.$/);
  });
});

describe('unindexed-sort-limit fixes', () => {
  before(() => ensureSqlParser());

  for (const workspace of WORKSPACES) {
    it(`every finding in positive/${workspace} is fixed by its first fix, and the fixed code type-checks and its SQL parses`, () => {
      const { texts, applied, unfixable } = applyFixesOneByOne(unindexedSortLimit, path.join(FIXTURES, 'positive', workspace));
      assert.ok(applied > 0);
      // schema.prisma's @@index cannot say WHERE: a partial index proposed for a Prisma project has no fix.
      assert.ok(unfixable.every((finding) => workspace === 'prisma' && / WHERE /.test(finding.message)), unfixable.map((finding) => finding.message).join('\n'));
      assertFixedFilesValid(texts, FIXTURES);
    });
  }
});
