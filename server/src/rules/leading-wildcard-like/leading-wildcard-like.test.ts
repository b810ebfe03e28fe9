import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { ConfigLayer } from '../../engine/config/resolve-config';
import { ensureSqlParser } from '../../engine/sql/sql-gate';
import { analyseFolder, findingOnLine, fixtureSuite } from '../../engine/testing/rule-harness';
import { leadingWildcardLike } from './rule';

const RULE = leadingWildcardLike.meta.id;
const FIXTURES = path.join(__dirname, 'fixtures');
const POSITIVE = path.join(FIXTURES, 'positive');

describe('leading-wildcard-like', () => {
  before(() => ensureSqlParser());

  fixtureSuite(leadingWildcardLike, FIXTURES, { folders: ['positive', 'negative'], minimumMarks: 7 });

  it('names the column, the query and the table, and points at trigram and full-text search', () => {
    const { findings } = analyseFolder(leadingWildcardLike, POSITIVE);
    const finding = findingOnLine(findings, path.join(POSITIVE, 'db', 'queries', 'search.sql'), "WHERE email LIKE '%@example.com'");
    assert.match(finding.message, /^The pattern matched against `email` in `SELECT … FROM users` starts with a wildcard, so no btree index can serve it and Postgres reads every row of `users`\. Add a pg_trgm GIN index on `users` \(email gin_trgm_ops\), or use full-text search\.$/);
    assert.equal(finding.range.end.character - finding.range.start.character, 'email'.length);
    assert.ok(finding.explanation?.includes('websearch_to_tsquery'));
  });

  it('follows a parameter to the pattern the code binds', () => {
    const { findings } = analyseFolder(leadingWildcardLike, POSITIVE);
    findingOnLine(findings, path.join(POSITIVE, 'src', 'users-search.service.ts'), "const { rows } = await this.pool.query('SELECT id FROM users WHERE phone LIKE $1'");
  });

  it('skips tables declared small', () => {
    const layers: ConfigLayer[] = [{ source: 'test', values: { rules: { [RULE]: { options: { smallTables: ['public.users'] } } } } }];
    const messages = analyseFolder(leadingWildcardLike, POSITIVE, layers).findings.map((finding) => finding.message);
    assert.ok(messages.length > 0 && messages.every((message) => !message.includes('row of `users`')), messages.join('\n'));
  });
});
