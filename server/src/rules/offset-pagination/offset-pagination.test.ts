import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureSqlParser } from '../../engine/sql/sql-gate';
import { analyseFolder, findingOnLine, fixtureSuite } from '../../engine/testing/rule-harness';
import { offsetPagination } from './rule';

const FIXTURES = path.join(__dirname, 'fixtures');
const POSITIVE = path.join(FIXTURES, 'positive');

describe('offset-pagination', () => {
  before(() => ensureSqlParser());

  fixtureSuite(offsetPagination, FIXTURES, { folders: ['positive', 'negative'], minimumMarks: 4 });

  it('names the call and the sort key, on the offset', () => {
    const { findings } = analyseFolder(offsetPagination, POSITIVE);
    const finding = findingOnLine(findings, path.join(POSITIVE, 'src', 'users-page.service.ts'), 'skip: (query.page - 1) * query.size');
    assert.match(finding.message, /^`this\.users\.find` pages with a computed offset: .*cursor \(keyset\) pagination on the sort key \(id\)/);
    assert.equal(finding.severity, 'info');
    const sql = findingOnLine(findings, path.join(POSITIVE, 'db', 'queries', 'pages.sql'), 'OFFSET $1');
    assert.match(sql.message, /on the sort key \(created_at, plus a unique column such as the primary key as a tie-breaker\)/);
  });

  it('needs no schema: a workspace without migrations is reported too', () => {
    const findings = analyseFolder(offsetPagination, path.join(POSITIVE, 'src')).findings;
    assert.equal(findings.length, 2);
  });
});
