import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { ConfigLayer } from '../../engine/config/resolve-config';
import { ensureSqlParser } from '../../engine/sql/sql-gate';
import { analyseFolder, findingOnLine, fixtureSuite } from '../../engine/testing/rule-harness';
import { applyFixesOneByOne, assertFixedFilesValid } from '../index-advisor/fix-loop';
import { functionOnIndexedColumn } from './rule';

const RULE = functionOnIndexedColumn.meta.id;
const FIXTURES = path.join(__dirname, 'fixtures');
const POSITIVE = path.join(FIXTURES, 'positive');

describe('function-on-indexed-column', () => {
  before(() => ensureSqlParser());

  fixtureSuite(functionOnIndexedColumn, FIXTURES, { folders: ['positive', 'negative'], minimumMarks: 7 });

  it('names the expression, the function, the column and the index, on the wrapped column', () => {
    const { findings } = analyseFolder(functionOnIndexedColumn, POSITIVE);
    const finding = findingOnLine(findings, path.join(POSITIVE, 'db', 'queries', 'users.sql'), 'WHERE lower(email) = lower($1)');
    assert.match(finding.message, /^`lower\(email\)` in `SELECT … FROM users` wraps `email` in `lower\(\)`, so `users_email_key` on `email` cannot serve it and Postgres scans `users`\. Add an expression index \(`CREATE INDEX ON users \(\(lower\(email\)\)\)`\)/);
    assert.equal(finding.range.end.character - finding.range.start.character, 'lower(email)'.length);
    assert.equal(finding.severity, 'warning');
  });

  it('advises a range, not an expression index, for a timestamptz truncated to a day', () => {
    const { findings } = analyseFolder(functionOnIndexedColumn, POSITIVE);
    const finding = findingOnLine(findings, path.join(POSITIVE, 'db', 'queries', 'users.sql'), 'date(placed_at) = $1');
    assert.match(finding.message, /wraps `placed_at` in `date\(\)`.*Instead, compare `placed_at` with a range/);
    assert.deepEqual(finding.fixes, []);
  });

  it('reports the query in a pg call, in the string', () => {
    const { findings } = analyseFolder(functionOnIndexedColumn, POSITIVE);
    const finding = findingOnLine(findings, path.join(POSITIVE, 'src', 'users.repository.ts'), 'LOWER(email) = $1');
    assert.match(finding.message, /in `this\.pool\.query`/);
  });

  it('skips tables declared small', () => {
    const layers: ConfigLayer[] = [{ source: 'test', values: { rules: { [RULE]: { options: { smallTables: ['orders'] } } } } }];
    const messages = analyseFolder(functionOnIndexedColumn, POSITIVE, layers).findings.map((finding) => finding.message);
    assert.ok(messages.length > 0 && messages.every((message) => !message.includes('scans `orders`')), messages.join('\n'));
  });
});

describe('function-on-indexed-column fixes', () => {
  before(() => ensureSqlParser());

  it('every expression-index fix in a SQL-migrations project writes a numbered migration that parses, and the finding goes', () => {
    const { texts, applied, unfixable } = applyFixesOneByOne(functionOnIndexedColumn, POSITIVE);
    assert.equal(applied, 2);
    const written = [...texts.keys()].map((file) => path.relative(POSITIVE, file).replace(/\\/g, '/')).sort();
    assert.deepEqual(written, ['db/migrations/002_add_users_lower_email_idx.sql', 'db/migrations/003_add_orders_upper_reference_idx.sql']);
    assert.match(texts.get(path.join(POSITIVE, written[0]!))!, /CREATE INDEX CONCURRENTLY IF NOT EXISTS users_lower_email_idx ON users \(\(lower\(email\)\)\);/);
    assert.equal(assertFixedFilesValid(texts, POSITIVE), 2);
    // What is left has no fix: a timestamptz truncated to a day, where a range is the advice.
    assert.ok(unfixable.length > 0 && unfixable.every((finding) => finding.fixes.length === 0 && /compare `\w+` with a range/.test(finding.message)), unfixable.map((f) => f.message).join('\n'));
  });
});
