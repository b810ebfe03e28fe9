import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { ConfigLayer } from '../../engine/config/resolve-config';
import { ensureSqlParser } from '../../engine/sql/sql-gate';
import { analyseFolder, assertSuppressionHonoured, findingOnLine, fixtureSuite } from '../../engine/testing/rule-harness';
import { applyFixesOneByOne, assertFixedFilesValid } from '../index-advisor/fix-loop';
import { unindexedForeignKey } from './rule';

const RULE = unindexedForeignKey.meta.id;
const FIXTURES = path.join(__dirname, 'fixtures');
const WORKSPACES = ['sql', 'prisma', 'prisma-migrations', 'typeorm'];

const analyse = (folder: string, layers: ConfigLayer[] = []) => analyseFolder(unindexedForeignKey, path.join(FIXTURES, folder), layers);

describe('unindexed-foreign-key fixtures', () => {
  before(() => ensureSqlParser());

  fixtureSuite(unindexedForeignKey, FIXTURES, { folders: WORKSPACES.flatMap((w) => [`positive/${w}`, `negative/${w}`]), minimumMarks: 15 });

  it('honours a suppression comment in SQL', () => {
    const folder = path.join(FIXTURES, 'positive', 'sql');
    assertSuppressionHonoured(unindexedForeignKey, folder, path.join(folder, 'db', 'migrations', '003_billing.sql'), 'country_id');
  });

  it('skips tables declared small', () => {
    const layers: ConfigLayer[] = [{ source: 'test', values: { rules: { [RULE]: { options: { smallTables: ['Users', 'billing.invoice_lines'] } } } } }];
    const files = analyse('positive/sql', layers).findings.map((f) => f.message);
    assert.ok(files.length > 0);
    assert.ok(files.every((message) => !message.includes('on `users`') && !message.includes('on `invoice_lines`')), files.join('\n'));
    assert.ok(files.some((message) => message.includes('on `tasks`')));
  });
});

describe('unindexed-foreign-key messages', () => {
  before(() => ensureSqlParser());

  it('names the constraint, table, columns and parent, on the constraint', () => {
    const root = path.join(FIXTURES, 'positive', 'sql');
    const file = path.join(root, 'db', 'migrations', '001_accounts.sql');
    const { findings } = analyseFolder(unindexedForeignKey, root);
    const named = findingOnLine(findings, file, 'projects_account_fk');
    assert.match(named.message, /^Foreign key `projects_account_fk` on `projects` \(`account_id`\) has no index that starts with this column: Postgres does not index the referencing side, so each delete or key change in `accounts`/);
    assert.match(named.message, /Add an index on `projects` \(account_id\)\.$/);
    assert.equal(named.range.end.character - named.range.start.character, 'projects_account_fk'.length);
    const inline = findingOnLine(findings, file, 'account_id bigint NOT NULL REFERENCES');
    assert.equal(inline.range.end.character - inline.range.start.character, 'account_id'.length);
    assert.equal(inline.severity, 'info');
    assert.ok(inline.explanation?.includes('referencing columns'));
  });

  it('reports a composite key with both columns', () => {
    const root = path.join(FIXTURES, 'positive', 'sql');
    const finding = findingOnLine(analyseFolder(unindexedForeignKey, root).findings, path.join(root, 'db', 'migrations', '003_billing.sql'), 'invoice_lines_invoice_fk');
    assert.match(finding.message, /\(`account_id`, `invoice_number`\) has no index that starts with these columns/);
  });
});

describe('unindexed-foreign-key fixes', () => {
  before(() => ensureSqlParser());

  /** What each project style's fix writes: a new SQL migration, `@@index` in schema.prisma, a migration class and/or `@Index`. */
  const WRITES: Record<string, RegExp> = {
    sql: /^db\/migrations\/\d+_[\w-]+\.sql$/,
    prisma: /^prisma\/schema\.prisma$/,
    'prisma-migrations': /^prisma\/(schema\.prisma|migrations\/\d+_[\w-]+\/migration\.sql)$/,
    typeorm: /^src\/(entities\/[\w.-]+\.entity\.ts|migrations\/\d+-\w+\.ts)$/,
  };

  for (const workspace of WORKSPACES) {
    it(`every finding in positive/${workspace} is fixed by its first fix; the fixed code type-checks and its SQL parses`, () => {
      const root = path.join(FIXTURES, 'positive', workspace);
      const { texts, applied, unfixable } = applyFixesOneByOne(unindexedForeignKey, root);
      assert.ok(applied > 0);
      assert.deepEqual(unfixable.map((finding) => finding.message), []);
      const written = [...texts.keys()].map((file) => path.relative(root, file).replace(/\\/g, '/'));
      assert.ok(written.length > 0 && written.every((file) => WRITES[workspace]!.test(file)), written.join('\n'));
      const sqlTexts = assertFixedFilesValid(texts, FIXTURES);
      if (workspace === 'sql' || workspace === 'typeorm') assert.ok(sqlTexts > 0, 'the fixes wrote SQL that was parsed');
      if (workspace.startsWith('prisma')) assert.match(texts.get(path.join(root, 'prisma', 'schema.prisma')) ?? [...texts.values()].join('\n'), /@@index\(\[\w+/);
    });
  }
});
