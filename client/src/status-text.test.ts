import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanSummary, statusText } from './status-text';

describe('status text', () => {
  it('shows the state icon and the findings count', () => {
    assert.deepEqual(statusText({ state: 'ok', message: '3 findings in 2 files', filesAnalysed: 4, findings: 3 }), { text: '$(check) Backend Advisor: 3 findings', detail: '3 findings in 2 files' });
    assert.equal(statusText({ state: 'warning', message: 'x', filesAnalysed: 1, findings: 1 }).text, '$(warning) Backend Advisor: 1 finding');
    assert.equal(statusText({ state: 'error', message: 'x', filesAnalysed: 0, findings: 0 }).text, '$(error) Backend Advisor: no findings');
  });

  it('summarises a scan', () => {
    assert.equal(scanSummary({ filesAnalysed: 12, filesWithFindings: 2, findings: 5, skipped: 0, cancelled: false }), 'Backend Advisor: scanned 12 files, 5 findings in 2 files (see the Problems panel).');
    assert.equal(scanSummary({ filesAnalysed: 1, filesWithFindings: 0, findings: 0, skipped: 1, cancelled: false }), 'Backend Advisor: scanned 1 file, no findings; 1 skipped (see the Backend Advisor output for why).');
    assert.match(scanSummary({ filesAnalysed: 3, filesWithFindings: 1, findings: 1, skipped: 0, cancelled: true }), /scan cancelled after 3 files/);
  });
});
