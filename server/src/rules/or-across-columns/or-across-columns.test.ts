import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import type { ConfigLayer } from '../../engine/config/resolve-config';
import { ensureSqlParser } from '../../engine/sql/sql-gate';
import { analyseFolder, findingOnLine, fixtureSuite } from '../../engine/testing/rule-harness';
import { orAcrossColumns } from './rule';

const RULE = orAcrossColumns.meta.id;
const FIXTURES = path.join(__dirname, 'fixtures');
const POSITIVE = path.join(FIXTURES, 'positive');

describe('or-across-columns', () => {
  before(() => ensureSqlParser());

  fixtureSuite(orAcrossColumns, FIXTURES, { folders: ['positive', 'negative'], minimumMarks: 4 });

  it('names the branches, the unserved column and both ways out', () => {
    const { findings } = analyseFolder(orAcrossColumns, POSITIVE);
    const finding = findingOnLine(findings, path.join(POSITIVE, 'db', 'queries', 'lookup.sql'), 'WHERE email = $1 OR phone = $1');
    assert.match(finding.message, /^The OR in `SELECT … FROM users` constrains `email` or `phone`, and no index of `users` starts with `phone`: .*Add an index on `users` \(phone\), or split the query into a UNION ALL/);
    assert.equal(finding.severity, 'info');
    assert.ok(finding.explanation?.includes('BitmapOr'));
  });

  it('skips tables declared small', () => {
    const layers: ConfigLayer[] = [{ source: 'test', values: { rules: { [RULE]: { options: { smallTables: ['users'] } } } } }];
    const messages = analyseFolder(orAcrossColumns, POSITIVE, layers).findings.map((finding) => finding.message);
    assert.ok(messages.length > 0 && messages.every((message) => !message.includes('of `users`')), messages.join('\n'));
  });
});
