import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { runCliCaptured } from '../support/run-cli-in-process';
import { sarifProblems } from '../support/sarif-shape';
import type { TempWorkspace } from '../support/temp-workspace';
import { sampleWorkspace } from './sample-workspace';

describe('stylish format', () => {
  let ws: TempWorkspace;
  before(() => (ws = sampleWorkspace()));
  after(() => ws.dispose());

  it('groups findings under the relative path with line:col, severity, message and rule id, then a summary', async () => {
    const run = await runCliCaptured(['scan', '--fail-on', 'never'], { cwd: ws.root });
    assert.equal(run.code, 0);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], 'src/orders.service.ts');
    assert.match(lines[1]!, /^ {2}3:8 {3}info {5}A TODO is left in the code\. {2}test-todo$/);
    assert.match(lines[2]!, /^ {2}4:5 {3}warning {2}console\.log writes unstructured output: use the Logger\. {2}test-console-log$/);
    assert.match(lines[3]!, /^ {2}5:12 {2}error {4}fetch\(`https:\/\/orders\.internal\/\$\{id\}`\) has no timeout.* {2}test-fetch-no-signal$/);
    assert.ok(!run.stdout.includes('src/clean.ts'), 'files without findings are not listed');
    assert.ok(run.stdout.trimEnd().endsWith('✖ 3 problems (1 error, 1 warning, 1 info)'), run.stdout);
  });

  it('uses no colour when stdout is not a terminal, colour on a terminal, and none when NO_COLOR is set', async () => {
    const plain = await runCliCaptured(['scan'], { cwd: ws.root });
    assert.ok(!plain.stdout.includes('\x1b['), 'no ANSI codes in a pipe');
    const tty = await runCliCaptured(['scan'], { cwd: ws.root, tty: true });
    assert.ok(tty.stdout.includes('\x1b[31m'), 'errors in red on a terminal');
    const noColour = await runCliCaptured(['scan'], { cwd: ws.root, tty: true, env: { NO_COLOR: '1' } });
    assert.ok(!noColour.stdout.includes('\x1b['), 'NO_COLOR wins over a terminal');
  });

  it('says so when there is nothing to report', async () => {
    const run = await runCliCaptured(['scan', 'src/clean.ts'], { cwd: ws.root });
    assert.equal(run.code, 0);
    assert.equal(run.stdout, '✔ no problems in 1 file\n');
  });
});

describe('json format', () => {
  let ws: TempWorkspace;
  before(() => (ws = sampleWorkspace()));
  after(() => ws.dispose());

  it('is one parsable document with every file, 1-based positions, related locations and fixes', async () => {
    const run = await runCliCaptured(['scan', '--format', 'json'], { cwd: ws.root });
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout);
    assert.equal(report.reportVersion, 1);
    assert.equal(report.tool.name, 'backend-advisor');
    assert.match(report.tool.version, /^\d+\.\d+\.\d+/);
    assert.equal(report.root, ws.root);
    assert.deepEqual(report.summary, { files: 2, problems: 3, errors: 1, warnings: 1, infos: 1, hints: 0, skipped: 0 });
    assert.deepEqual(report.files.map((file: { filePath: string }) => file.filePath), ['src/clean.ts', 'src/orders.service.ts']);
    assert.deepEqual(report.files[0].findings, []);
    const fetchFinding = report.files[1].findings.find((finding: { ruleId: string }) => finding.ruleId === 'test-fetch-no-signal');
    assert.equal(fetchFinding.severity, 'error');
    assert.deepEqual([fetchFinding.line, fetchFinding.column, fetchFinding.endLine, fetchFinding.endColumn], [5, 12, 5, 50]);
    assert.match(fetchFinding.docsUrl, /test-fetch-no-signal\.md$/);
    assert.deepEqual(fetchFinding.related, [{ filePath: 'src/orders.service.ts', line: 5, column: 18, endLine: 5, endColumn: 49, message: 'the URL called' }]);
    assert.equal(fetchFinding.fixes.length, 2);
    assert.deepEqual(fetchFinding.fixes[0], {
      title: 'Add a 5 s timeout',
      isPreferred: true,
      changes: [{ kind: 'edit', filePath: 'src/orders.service.ts', edits: [{ line: 5, column: 49, endLine: 5, endColumn: 49, newText: ', { signal: AbortSignal.timeout(5000) }' }] }],
    });
    assert.deepEqual(fetchFinding.fixes[1].changes, [{ kind: 'create', filePath: 'src/timeouts.ts', content: 'export const TIMEOUT_MS = 5000;\n' }]);
  });

  it('lists skipped files with the reason and rule failures per file', async () => {
    ws.write('src/bundle.min.js', `var a=1;${'x'.repeat(6000)}\n`);
    ws.write('src/crash.ts', 'export const CRASH_ME = 1;\n');
    try {
      const run = await runCliCaptured(['scan', '--format', 'json', '--fail-on', 'never'], { cwd: ws.root });
      const report = JSON.parse(run.stdout);
      const bundle = report.files.find((file: { filePath: string }) => file.filePath === 'src/bundle.min.js');
      assert.match(bundle.skipped, /minified/);
      assert.equal(report.summary.skipped, 1);
      const crash = report.files.find((file: { filePath: string }) => file.filePath === 'src/crash.ts');
      assert.equal(crash.ruleFailures[0].ruleId, 'test-throws');
      assert.match(crash.ruleFailures[0].reason, /boom in test-throws/);
    } finally {
      fs.rmSync(ws.path('src/bundle.min.js'));
      fs.rmSync(ws.path('src/crash.ts'));
    }
  });
});

describe('sarif format', () => {
  let ws: TempWorkspace;
  before(() => (ws = sampleWorkspace()));
  after(() => ws.dispose());

  async function sarif(args: string[] = []) {
    const run = await runCliCaptured(['scan', '--format', 'sarif', ...args], { cwd: ws.root });
    return { run, log: JSON.parse(run.stdout) };
  }

  it('passes the structural SARIF 2.1.0 check', async () => {
    const { run, log } = await sarif();
    assert.equal(run.code, 1);
    assert.deepEqual(sarifProblems(log), []);
  });

  it('the structural check does reject what the schema forbids', () => {
    const broken = { version: '2.1.0', runs: [{ tool: { driver: {} }, results: [{ ruleId: 'x', level: 'info', locations: [{ physicalLocation: { region: { startLine: 0 } } }], fixes: [{ artifactChanges: [] }], extra: 1 }] }] };
    const problems = sarifProblems(broken);
    for (const expected of ['driver.name is required', 'results[0].message is required', 'results[0].level must be one of', 'needs artifactLocation or address', 'startLine must be an integer >= 1', 'artifactChanges must have at least 1', 'results[0].extra is not a property']) {
      assert.ok(problems.some((problem) => problem.includes(expected)), `expected a problem "${expected}" in ${problems.join('; ')}`);
    }
  });

  it('describes the tool and every rule', async () => {
    const { log } = await sarif();
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'Backend Advisor');
    assert.match(driver.version, /^\d+\.\d+\.\d+/);
    assert.match(driver.informationUri, /^https:\/\//);
    assert.deepEqual(driver.rules.map((rule: { id: string }) => rule.id), ['test-fetch-no-signal', 'test-console-log', 'test-todo', 'test-throws']);
    const fetchRule = driver.rules[0];
    assert.equal(fetchRule.shortDescription.text, 'fetch without an abort signal');
    assert.match(fetchRule.helpUri, /test-fetch-no-signal\.md$/);
    assert.equal(fetchRule.defaultConfiguration.level, 'error');
    assert.ok(fetchRule.properties.tags.includes('microservices-architect'));
    assert.equal(driver.rules[2].defaultConfiguration.level, 'note', 'info maps to note');
  });

  it('gives each result its rule, level, message and one location relative to %SRCROOT%', async () => {
    const { log } = await sarif();
    const run = log.runs[0];
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `file://${ws.root}/`);
    assert.equal(run.results.length, 3);
    const byRule = new Map(run.results.map((result: { ruleId: string }) => [result.ruleId, result]));
    const fetchResult = byRule.get('test-fetch-no-signal') as Record<string, any>;
    assert.equal(fetchResult.ruleIndex, 0);
    assert.equal(fetchResult.level, 'error');
    assert.match(fetchResult.message.text, /has no timeout/);
    assert.equal(fetchResult.locations.length, 1);
    assert.deepEqual(fetchResult.locations[0].physicalLocation, {
      artifactLocation: { uri: 'src/orders.service.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 5, startColumn: 12, endLine: 5, endColumn: 50 },
    });
    assert.equal(fetchResult.relatedLocations[0].message.text, 'the URL called');
    assert.equal((byRule.get('test-todo') as Record<string, any>).level, 'note');
    assert.equal((byRule.get('test-console-log') as Record<string, any>).level, 'warning');
  });

  it('carries fixes as replacements, a new file as an insertion at 1:1', async () => {
    const { log } = await sarif();
    const fetchResult = log.runs[0].results.find((result: { ruleId: string }) => result.ruleId === 'test-fetch-no-signal');
    assert.equal(fetchResult.fixes.length, 2);
    assert.deepEqual(fetchResult.fixes[0], {
      description: { text: 'Add a 5 s timeout' },
      artifactChanges: [
        {
          artifactLocation: { uri: 'src/orders.service.ts', uriBaseId: '%SRCROOT%' },
          replacements: [{ deletedRegion: { startLine: 5, startColumn: 49, endLine: 5, endColumn: 49 }, insertedContent: { text: ', { signal: AbortSignal.timeout(5000) }' } }],
        },
      ],
    });
    assert.deepEqual(fetchResult.fixes[1].artifactChanges[0], {
      artifactLocation: { uri: 'src/timeouts.ts', uriBaseId: '%SRCROOT%' },
      replacements: [{ deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, insertedContent: { text: 'export const TIMEOUT_MS = 5000;\n' } }],
    });
  });

  it('fingerprints stay the same when lines are inserted above and differ between findings', async () => {
    const first = (await sarif()).log.runs[0].results.map((result: any) => result.partialFingerprints['backendAdvisor/v1']);
    assert.equal(new Set(first).size, first.length);
    const original = fs.readFileSync(ws.path('src/orders.service.ts'), 'utf8');
    fs.writeFileSync(ws.path('src/orders.service.ts'), `import { x } from './x';\n\n${original}`);
    try {
      const { log } = await sarif();
      const second = log.runs[0].results.map((result: any) => result.partialFingerprints['backendAdvisor/v1']);
      assert.equal(log.runs[0].results[0].locations[0].physicalLocation.region.startLine, 5, 'the finding moved down two lines');
      assert.deepEqual(second, first);
    } finally {
      fs.writeFileSync(ws.path('src/orders.service.ts'), original);
    }
  });

  it('uses relative, encoded URIs for nested paths with spaces', async () => {
    ws.write('src/deep/my service.ts', 'export const load = () => fetch("https://a.test");\n');
    try {
      const { log } = await sarif(['src/deep']);
      const uri = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
      assert.equal(uri, 'src/deep/my%20service.ts');
      assert.deepEqual(sarifProblems(log), []);
    } finally {
      fs.rmSync(ws.path('src/deep'), { recursive: true });
    }
  });
});
