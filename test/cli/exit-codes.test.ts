import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCliCaptured } from '../support/run-cli-in-process';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace';
import { sampleWorkspace } from './sample-workspace';

describe('exit codes and --fail-on', () => {
  let ws: TempWorkspace;
  before(() => (ws = sampleWorkspace()));
  after(() => ws.dispose());

  // The sample has one error, one warning and one info.
  const cases: Array<[string[], number]> = [
    [[], 1],
    [['--fail-on', 'error'], 1],
    [['--fail-on', 'warning'], 1],
    [['--fail-on', 'info'], 1],
    [['--fail-on', 'never'], 0],
    // Without the error, only thresholds at or below warning fail.
    [['--rule', 'test-fetch-no-signal=off'], 0],
    [['--rule', 'test-fetch-no-signal=off', '--fail-on', 'warning'], 1],
    // Only the info is left: fails on info, not on warning.
    [['--rule', 'test-fetch-no-signal=off', '--rule', 'test-console-log=off', '--fail-on', 'warning'], 0],
    [['--rule', 'test-fetch-no-signal=off', '--rule', 'test-console-log=off', '--fail-on', 'info'], 1],
    // A hint never fails, even at --fail-on info.
    [['--rule', 'test-fetch-no-signal=hint', '--rule', 'test-console-log=off', '--rule', 'test-todo=off', '--fail-on', 'info'], 0],
  ];
  for (const [args, expected] of cases) {
    it(`scan ${args.join(' ') || '(defaults)'} exits ${expected}`, async () => {
      const run = await runCliCaptured(['scan', ...args], { cwd: ws.root });
      assert.equal(run.code, expected, run.stderr);
    });
  }

  it('exits 0 on a clean tree at every threshold', async () => {
    const clean = tempWorkspace({ 'src/a.ts': 'export const a = 1;\n' });
    try {
      for (const failOn of ['error', 'warning', 'info', 'never']) assert.equal((await runCliCaptured(['scan', '--fail-on', failOn], { cwd: clean.root })).code, 0);
    } finally {
      clean.dispose();
    }
  });

  it('--fail-on never still exits 2 on a usage error', async () => {
    const run = await runCliCaptured(['scan', 'missing-folder', '--fail-on', 'never'], { cwd: ws.root });
    assert.equal(run.code, 2);
  });
});

describe('usage errors exit 2 with a message naming the value', () => {
  let ws: TempWorkspace;
  before(() => (ws = sampleWorkspace()));
  after(() => ws.dispose());

  const cases: Array<[string, string[], RegExp]> = [
    ['a path that does not exist', ['scan', 'src', 'no/such/dir'], /no\/such\/dir: no such file or folder/],
    ['an unknown format', ['scan', '--format', 'xml'], /--format "xml" is not a report format; use one of stylish, json, sarif/],
    ['an unknown --fail-on', ['scan', '--fail-on', 'critical'], /--fail-on "critical" is not a threshold; use one of error, warning, info, never/],
    ['a --rule without =', ['scan', '--rule', 'test-todo'], /--rule "test-todo" must look like RULE-ID=SEVERITY/],
    ['a --rule for an unknown rule', ['scan', '--rule', 'no-such-rule=off'], /unknown rule "no-such-rule"; known rules: test-fetch-no-signal/],
    ['a --rule with a bad severity', ['scan', '--rule', 'test-todo=loud'], /"loud" is not a severity; use one of error, warning, info, hint, off/],
    ['an unknown option', ['scan', '--frmat', 'json'], /unknown option '--frmat'/],
    ['an unknown command', ['lint'], /unknown command 'lint'/],
    ['a missing --root', ['scan', '--root', 'nowhere'], /--root nowhere: no such folder/],
  ];
  for (const [title, args, message] of cases) {
    it(title, async () => {
      const run = await runCliCaptured(args, { cwd: ws.root });
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '', 'no report is written on a usage error');
    });
  }
});

describe('help, version and rules', () => {
  it('--version prints the package version and exits 0', async () => {
    const run = await runCliCaptured(['--version'], { cwd: process.cwd() });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('scan --help documents the formats, exit codes and root', async () => {
    const run = await runCliCaptured(['scan', '--help'], { cwd: process.cwd() });
    assert.equal(run.code, 0);
    for (const text of ['--format <format>', '--fail-on <severity>', '--rule <id=severity>', '--output <file>', '--config <file>', 'Exit codes:', '%SRCROOT%', 'Scan root:']) {
      assert.ok(run.stdout.includes(text), `help mentions ${text}`);
    }
  });

  it('rules lists id, skill, default severity, fixable and title', async () => {
    const run = await runCliCaptured(['rules'], { cwd: process.cwd() });
    assert.equal(run.code, 0);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^id\s+skill\s+default\s+fixable\s+title$/);
    assert.match(lines[1]!, /^test-fetch-no-signal\s+microservices-architect\s+error\s+yes\s+fetch without an abort signal$/);
    assert.equal(lines.length, 5);
  });
});
