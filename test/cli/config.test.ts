import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCliCaptured } from '../support/run-cli-in-process';
import { sampleWorkspace } from './sample-workspace';

async function scanJson(files: Record<string, string>, args: string[] = []) {
  const ws = sampleWorkspace(files);
  try {
    const run = await runCliCaptured(['scan', '--format', 'json', '--fail-on', 'never', ...args], { cwd: ws.root });
    return { ...run, root: ws.root, report: run.code === 0 && run.stdout ? JSON.parse(run.stdout) : undefined };
  } finally {
    ws.dispose();
  }
}

function ruleIds(report: any): string[] {
  return report.files.flatMap((file: any) => file.findings.map((finding: any) => finding.ruleId)).sort();
}

describe('configuration', () => {
  it('reads .backend-advisor.json at the root: severities and options', async () => {
    const { report, stderr } = await scanJson({
      '.backend-advisor.json': '{\n  // comments are allowed\n  "rules": { "test-todo": "off", "test-console-log": { "severity": "error", "options": { "allowInfo": true } } },\n}\n',
    });
    assert.equal(stderr, '');
    assert.deepEqual(ruleIds(report), ['test-console-log', 'test-fetch-no-signal']);
    const consoleFinding = report.files[1].findings.find((f: any) => f.ruleId === 'test-console-log');
    assert.equal(consoleFinding.severity, 'error');
  });

  it('--rule flags win over the file', async () => {
    const { report } = await scanJson({ '.backend-advisor.json': '{ "rules": { "test-todo": "off", "test-console-log": "error" } }' }, ['--rule', 'test-todo=warning', '--rule', 'test-console-log=off']);
    assert.deepEqual(ruleIds(report), ['test-fetch-no-signal', 'test-todo']);
    assert.equal(report.files[1].findings.find((f: any) => f.ruleId === 'test-todo').severity, 'warning');
  });

  it('--config reads another file instead of the root one', async () => {
    const { report } = await scanJson({ '.backend-advisor.json': '{ "rules": { "test-todo": "off" } }', 'config/ci.json': '{ "rules": { "test-fetch-no-signal": "off" } }' }, ['--config', 'config/ci.json']);
    assert.deepEqual(ruleIds(report), ['test-console-log', 'test-todo']);
  });

  it('--config naming a missing file exits 2', async () => {
    const { code, stderr } = await scanJson({}, ['--config', 'nope.json']);
    assert.equal(code, 2);
    assert.match(stderr, /--config nope\.json: the file does not exist/);
  });

  it('unknown settings, rules and options are warnings naming the file and key; the scan still runs', async () => {
    const { code, report, stderr, root } = await scanJson({
      '.backend-advisor.json': '{ "rulez": {}, "rules": { "no-such-rule": "off", "test-console-log": { "options": { "colour": 1 } } } }',
    });
    assert.equal(code, 0);
    assert.equal(ruleIds(report).length, 3);
    assert.match(stderr, new RegExp(`warning: ${root}/\\.backend-advisor\\.json: unknown setting "rulez" is ignored`));
    assert.match(stderr, /unknown rule "no-such-rule", which is ignored/);
    assert.match(stderr, /rules\["test-console-log"\]\.options\.colour is not an option of this rule/);
  });

  it('broken JSON exits 2 naming the file and the line', async () => {
    const { code, stdout, stderr, root } = await scanJson({ '.backend-advisor.json': '{\n  "rules": {\n    "test-todo": "off"\n    "test-console-log": "off"\n  }\n}\n' });
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, new RegExp(`${root}/\\.backend-advisor\\.json is not valid JSON at line 4`));
  });

  it('a configuration that is not an object exits 2', async () => {
    const { code, stderr } = await scanJson({ '.backend-advisor.json': '["rules"]' });
    assert.equal(code, 2);
    assert.match(stderr, /must be a JSON object/);
  });

  it('an invalid value for a known key exits 2 naming the key', async () => {
    const { code, stderr } = await scanJson({ '.backend-advisor.json': '{ "rules": { "test-todo": "loud" }, "maxFileSize": -1 }' });
    assert.equal(code, 2);
    assert.match(stderr, /"rules"\["test-todo"\] must be one of error, warning, info, hint, off, not "loud"/);
    assert.match(stderr, /"maxFileSize" must be a positive number/);
  });

  it('include and exclude globs from the file limit what is scanned', async () => {
    const files = { 'lib/other.ts': 'export const f = () => fetch("https://b.test");\n', 'src/generated/api.ts': 'export const g = () => fetch("https://c.test");\n' };
    const included = await scanJson({ ...files, '.backend-advisor.json': '{ "include": ["src/**"], "exclude": ["src/generated/**"] }' });
    assert.deepEqual(included.report.files.map((f: any) => f.filePath), ['src/clean.ts', 'src/orders.service.ts']);
    const all = await scanJson(files);
    assert.deepEqual(all.report.files.map((f: any) => f.filePath), ['lib/other.ts', 'src/clean.ts', 'src/generated/api.ts', 'src/orders.service.ts']);
  });

  it('maxFileSize from the file skips larger files with a message naming the setting', async () => {
    const { report, stderr } = await scanJson({ '.backend-advisor.json': '{ "maxFileSize": 100 }' });
    assert.match(stderr, /skipped src\/orders\.service\.ts: it is 0 kB, over the 0 kB limit|skipped src\/orders\.service\.ts: .*setting maxFileSize/);
    assert.deepEqual(ruleIds(report), []);
  });
});
