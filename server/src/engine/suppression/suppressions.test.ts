import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { disableFileComment, disableNextLineComment, isSuppressed, parseSuppressions } from './suppressions';

describe('suppression comments', () => {
  it('silences the listed rules on the next line only', () => {
    const text = [
      'const a = 1;',
      '// backend-advisor-disable-next-line remote-call-no-timeout, remote-call-no-breaker -- legacy client, tracked in OPS-12',
      'await fetch(url);',
      'await fetch(other);',
    ].join('\n');
    const suppressions = parseSuppressions(text);
    assert.equal(isSuppressed(suppressions, 'remote-call-no-timeout', 2), true);
    assert.equal(isSuppressed(suppressions, 'remote-call-no-breaker', 2), true);
    assert.equal(isSuppressed(suppressions, 'n-plus-one', 2), false);
    assert.equal(isSuppressed(suppressions, 'remote-call-no-timeout', 3), false);
  });

  it('treats a directive without rule ids as every rule', () => {
    const suppressions = parseSuppressions('// backend-advisor-disable-next-line\nfetch(u)');
    assert.equal(isSuppressed(suppressions, 'anything', 1), true);
  });

  it('reads file-level directives, block comments and SQL comments', () => {
    const ts = parseSuppressions('/* backend-advisor-disable remote-call-no-breaker */\nexport {}');
    assert.equal(isSuppressed(ts, 'remote-call-no-breaker', 40), true);
    assert.equal(isSuppressed(ts, 'remote-call-no-timeout', 40), false);
    const sql = parseSuppressions('-- backend-advisor-disable-next-line unindexed-filter\nSELECT * FROM orders WHERE status = $1;');
    assert.equal(isSuppressed(sql, 'unindexed-filter', 1), true);
  });

  it('does not take the reason after -- for rule ids', () => {
    const suppressions = parseSuppressions('// backend-advisor-disable-next-line remote-call-no-timeout -- n-plus-one is fine here\nx');
    assert.equal(isSuppressed(suppressions, 'n-plus-one', 1), false);
  });

  it('handles CRLF line endings', () => {
    const suppressions = parseSuppressions('a\r\n// backend-advisor-disable-next-line r\r\nfetch(u)\r\n');
    assert.equal(isSuppressed(suppressions, 'r', 2), true);
  });

  it('builds comments that it then recognises', () => {
    const line = '    await fetch(url);';
    const comment = disableNextLineComment('remote-call-no-timeout', line, 'code');
    assert.equal(comment, '    // backend-advisor-disable-next-line remote-call-no-timeout\n');
    assert.equal(isSuppressed(parseSuppressions(comment + line), 'remote-call-no-timeout', 1), true);
    assert.equal(disableFileComment('unindexed-filter', 'sql'), '-- backend-advisor-disable unindexed-filter\n');
  });
});
