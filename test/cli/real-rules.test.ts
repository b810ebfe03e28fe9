import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { findRule, RULES } from '../../server/src/rules/registry';
import { runCliCaptured } from '../support/run-cli-in-process';
import { sarifProblems } from '../support/sarif-shape';
import { spawnCli } from '../support/spawn-cli';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace';

const RULE_ID = 'remote-call-no-timeout';
// Until the rule is registered these are reported as skipped, never as passed.
const missing = findRule(RULE_ID) ? false : `${RULE_ID} is not registered in server/src/rules/registry.ts yet`;

const CLIENT = [
  'export async function loadOrder(id: string) {',
  '  const response = await fetch(`https://orders.internal/orders/${id}`);',
  '  return response.json();',
  '}',
  '',
  'export async function loadOrderSafely(id: string) {',
  '  const response = await fetch(`https://orders.internal/orders/${id}`, { signal: AbortSignal.timeout(3000) });',
  '  return response.json();',
  '}',
  '',
].join('\n');

describe('the registered rules through the CLI', { skip: missing }, () => {
  let ws: TempWorkspace;
  before(() => (ws = tempWorkspace({ 'package.json': '{ "name": "orders", "dependencies": {} }', 'src/clients/orders.client.ts': CLIENT })));
  after(() => ws.dispose());

  it('stylish reports the fetch without a signal, and only that one', async () => {
    const run = await runCliCaptured(['scan', '--fail-on', 'never'], { cwd: ws.root, rules: RULES });
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n').filter((line) => line.endsWith(RULE_ID));
    assert.equal(lines.length, 1, run.stdout);
    assert.match(lines[0]!, /^ {2}2:\d+ +\w+ +.*fetch.*remote-call-no-timeout$/);
  });

  it('json has the finding on line 2 with a docs link', async () => {
    const run = await runCliCaptured(['scan', '--format', 'json', '--fail-on', 'never'], { cwd: ws.root, rules: RULES });
    const findings = JSON.parse(run.stdout).files.flatMap((file: any) => file.findings.filter((f: any) => f.ruleId === RULE_ID));
    assert.equal(findings.length, 1);
    assert.equal(findings[0].line, 2);
    assert.match(findings[0].docsUrl, /remote-call-no-timeout\.md$/);
  });

  it('the bundled CLI writes valid SARIF with the result and its fix', () => {
    const run = spawnCli(['scan', '--format', 'sarif', '--output', 'report.sarif', '--fail-on', 'never'], { cwd: ws.root });
    assert.equal(run.code, 0, run.stderr);
    const log = JSON.parse(fs.readFileSync(ws.path('report.sarif'), 'utf8'));
    assert.deepEqual(sarifProblems(log), []);
    const driverRule = log.runs[0].tool.driver.rules.find((rule: any) => rule.id === RULE_ID);
    assert.ok(driverRule.properties.tags.includes('microservices-architect'));
    const results = log.runs[0].results.filter((result: any) => result.ruleId === RULE_ID);
    assert.equal(results.length, 1);
    assert.equal(results[0].locations[0].physicalLocation.artifactLocation.uri, 'src/clients/orders.client.ts');
    assert.equal(results[0].locations[0].physicalLocation.region.startLine, 2);
    assert.ok(results[0].fixes?.length > 0, 'the finding carries a fix');
    const replacement = results[0].fixes[0].artifactChanges[0].replacements[0];
    assert.match(replacement.insertedContent.text, /signal|timeout/i);
  });

  it('--rule remote-call-no-timeout=off silences it and =error fails the run', async () => {
    const off = await runCliCaptured(['scan', '--format', 'json', '--rule', `${RULE_ID}=off`, '--fail-on', 'info'], { cwd: ws.root, rules: RULES });
    const remaining = JSON.parse(off.stdout).files.flatMap((file: any) => file.findings).filter((finding: any) => finding.ruleId === RULE_ID);
    assert.deepEqual(remaining, []);
    const error = await runCliCaptured(['scan', '--rule', `${RULE_ID}=error`], { cwd: ws.root, rules: RULES });
    assert.equal(error.code, 1);
  });
});
