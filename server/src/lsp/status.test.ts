import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatusParams } from './protocol';
import { StatusTracker } from './status';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('StatusTracker', () => {
  it('counts findings across files and coalesces updates into one per turn', async () => {
    const sent: StatusParams[] = [];
    const status = new StatusTracker((params) => sent.push(params));
    status.published('file:///a.ts', 2, undefined);
    status.published('file:///b.ts', 1, undefined);
    status.published('file:///c.ts', 0, undefined);
    await tick();
    assert.deepEqual(sent, [{ state: 'ok', message: '3 findings in 2 files', filesAnalysed: 3, findings: 3 }]);
    status.cleared('file:///a.ts');
    await tick();
    assert.equal(sent.at(-1)!.findings, 1);
  });

  it('reports rule failures and configuration problems as warnings, internal errors as errors', async () => {
    const sent: StatusParams[] = [];
    const status = new StatusTracker((params) => sent.push(params));
    status.published('file:///a.ts', 0, 'Rule x failed on /a.ts');
    await tick();
    assert.equal(sent.at(-1)!.state, 'warning');
    assert.match(sent.at(-1)!.message, /Rule x failed on \/a\.ts/);
    status.published('file:///a.ts', 0, undefined);
    await tick();
    assert.equal(sent.at(-1)!.state, 'ok');
    status.setConfigProblems(1);
    await tick();
    assert.equal(sent.at(-1)!.state, 'warning');
    status.error('An internal error occurred');
    await tick();
    assert.equal(sent.at(-1)!.state, 'error');
  });
});
