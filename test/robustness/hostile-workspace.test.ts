import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findRule } from '../../server/src/rules/registry';
import { runCliCaptured } from '../support/run-cli-in-process';
import { spawnCli } from '../support/spawn-cli';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace';
import { hostileFiles } from './hostile-inputs';

const TIME_LIMIT_MS = 30_000;

describe('a workspace full of hostile files', () => {
  let ws: TempWorkspace;
  before(() => (ws = tempWorkspace(hostileFiles())));
  after(() => ws.dispose());

  it('is scanned in-process without a crash; each bad file is named with its reason and good files still get findings', async () => {
    const started = Date.now();
    const run = await runCliCaptured(['scan', '--format', 'json'], { cwd: ws.root });
    assert.ok(Date.now() - started < TIME_LIMIT_MS);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout);
    const byPath = new Map(report.files.map((file: any) => [file.filePath, file]));
    const findings = (p: string) => (byPath.get(p) as any).findings.map((f: any) => `${f.line}:${f.ruleId}`);

    assert.deepEqual(findings('src/good.service.ts'), ['2:test-fetch-no-signal']);
    assert.deepEqual(findings('src/x.ts/inside.ts'), ['1:test-fetch-no-signal']);
    assert.deepEqual(findings('src/empty.ts'), []);
    assert.deepEqual(findings('src/bom-only.ts'), []);

    assert.match(run.stderr, /^skipped src\/vendor\/bundle\.min\.js: it is 2\.0 MB, over the 1\.0 MB limit for analysed files \(setting maxFileSize\)$/m);
    assert.match(run.stderr, /^skipped src\/vendor\/small\.min\.js: it looks minified or generated \(a line of 200000 characters\)/m);
    assert.match(run.stderr, /^skipped src\/binary\.ts: it looks like a binary file \(it contains NUL bytes\)$/m);
    assert.match(run.stderr, /^skipped src\/deep\/parens\.ts: it could not be parsed \(Maximum call stack size exceeded\); its code is nested too deeply for the parser$/m);
    assert.match(run.stderr, /^note: src\/broken\.ts has \d+ syntax errors?; it was analysed as far as it parses/m);
    // The 50,000-term chain parses; a rule that recurses per node overflows, and only that rule's result is dropped.
    assert.match(run.stderr, /^src\/deep\/chain\.ts: rule test-fetch-no-signal failed: RangeError: Maximum call stack size exceeded; its findings for this file are missing\.$/m);
    assert.equal(report.summary.skipped, 4);
  });

  it('the bundled CLI finishes within the time limit, exits normally and names every bad file', () => {
    const run = spawnCli(['scan', '--format', 'sarif', '--fail-on', 'never'], { cwd: ws.root, timeoutMs: TIME_LIMIT_MS });
    assert.equal(run.timedOut, false, `took over ${TIME_LIMIT_MS} ms`);
    assert.equal(run.signal, null);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(JSON.parse(run.stdout).runs[0].invocations[0].toolExecutionNotifications.length >= 4);
    for (const file of ['src/vendor/bundle.min.js', 'src/vendor/small.min.js', 'src/binary.ts', 'src/deep/parens.ts']) {
      assert.ok(run.stderr.includes(`skipped ${file}: `), `stderr names ${file}:\n${run.stderr}`);
    }
    assert.ok(!/internal error|Error: |at Object\./.test(run.stderr.replace(/RangeError: Maximum call stack size exceeded/g, '')), run.stderr);
  });

  it('the bundled CLI with the registered rules still reports the good files', { skip: findRule('remote-call-no-timeout') ? false : 'remote-call-no-timeout is not registered yet' }, () => {
    const run = spawnCli(['scan', '--format', 'json', '--fail-on', 'never'], { cwd: ws.root, timeoutMs: TIME_LIMIT_MS });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    const found = report.files.flatMap((file: any) => file.findings.map((finding: any) => `${file.filePath}:${finding.line}:${finding.ruleId}`));
    assert.ok(found.includes('src/good.service.ts:2:remote-call-no-timeout'), found.join('\n'));
    assert.ok(found.includes('src/x.ts/inside.ts:1:remote-call-no-timeout'), found.join('\n'));
  });
});

describe('a broken configuration next to hostile files', () => {
  it('stops with exit 2 naming the file and line, in-process and bundled', async () => {
    const ws = tempWorkspace({ ...hostileFiles(), '.backend-advisor.json': '{\n  "rules": {\n    "remote-call-no-timeout": "warning",,\n  }\n}\n' });
    try {
      const inProcess = await runCliCaptured(['scan'], { cwd: ws.root });
      assert.equal(inProcess.code, 2);
      assert.match(inProcess.stderr, /\.backend-advisor\.json is not valid JSON at line 3/);
      const bundled = spawnCli(['scan'], { cwd: ws.root, timeoutMs: TIME_LIMIT_MS });
      assert.equal(bundled.code, 2);
      assert.match(bundled.stderr, /\.backend-advisor\.json is not valid JSON at line 3/);
      assert.equal(bundled.stdout, '');
    } finally {
      ws.dispose();
    }
  });

  it('a folder named .backend-advisor.json is a configuration error, not a crash', async () => {
    const ws = tempWorkspace({ 'src/a.ts': 'export const a = 1;\n', '.backend-advisor.json/readme.txt': 'not a file' });
    try {
      const run = await runCliCaptured(['scan'], { cwd: ws.root });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /\.backend-advisor\.json is not a file/);
    } finally {
      ws.dispose();
    }
  });
});

describe('odd paths passed to scan', () => {
  it('a folder named x.ts given as the path is walked like any folder', async () => {
    const ws = tempWorkspace(hostileFiles());
    try {
      const run = await runCliCaptured(['scan', 'src/x.ts', '--format', 'json'], { cwd: ws.root });
      assert.equal(run.code, 1);
      assert.deepEqual(JSON.parse(run.stdout).files.map((f: any) => f.filePath), ['src/x.ts/inside.ts']);
    } finally {
      ws.dispose();
    }
  });

  it('a file the engine does not read (README.md) scans nothing and exits 0', async () => {
    const ws = tempWorkspace({ 'README.md': '# hi\nfetch("x")\n' });
    try {
      const run = await runCliCaptured(['scan', 'README.md'], { cwd: ws.root });
      assert.equal(run.code, 0);
      assert.equal(run.stdout, '✔ no problems in 0 files\n');
    } finally {
      ws.dispose();
    }
  });
});
