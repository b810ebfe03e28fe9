import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { AnalysisEngine } from '../analysis-engine';
import { defineRule } from '../model/rule';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-run-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const servicePath = path.join(root, 'src/orders.service.ts');
fs.mkdirSync(path.dirname(servicePath), { recursive: true });
fs.writeFileSync(
  servicePath,
  [
    'export async function loadOrders(url: string) {',
    '  const first = await fetch(url);',
    '  // backend-advisor-disable-next-line test-calls -- health probe, bounded by the orchestrator',
    '  const second = await fetch(url + "/health");',
    '  return [first, second];',
    '}',
  ].join('\n'),
);

/** Reports every call expression; enough to observe the runner's behaviour. */
const callsRule = defineRule({
  meta: { id: 'test-calls', skill: 'microservices-architect', title: 'calls', defaultSeverity: 'warning', fixable: true, languages: ['typescript'] },
  options: {},
  check(ctx) {
    const visit = (node: ts.Node): void => {
      ctx.checkpoint();
      if (ts.isCallExpression(node)) {
        ctx.report({
          span: { start: node.expression.getStart(), end: node.expression.end },
          message: `call to ${node.expression.getText()}`,
          fixes: [{ title: 'rename', isPreferred: true, edits: [{ span: { start: node.expression.getStart(), end: node.expression.end }, newText: 'fetchWithTimeout' }] }],
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(ctx.file.ast!);
  },
});
const throwingRule = defineRule({
  meta: { id: 'test-throws', skill: 'api-designer', title: 'throws', defaultSeverity: 'error', fixable: false, languages: ['typescript'] },
  options: {},
  check() {
    throw new Error('boom');
  },
});
const slowRule = defineRule({
  meta: { id: 'test-slow', skill: 'api-designer', title: 'slow', defaultSeverity: 'error', fixable: false, languages: ['typescript'] },
  options: {},
  check(ctx) {
    for (;;) ctx.checkpoint();
  },
});
const sqlOnlyRule = defineRule({
  meta: { id: 'test-sql', skill: 'database-optimizer', title: 'sql', defaultSeverity: 'error', fixable: false, languages: ['sql'] },
  options: {},
  check(ctx) {
    ctx.report({ span: { start: 0, end: 1 }, message: 'sql' });
  },
});

describe('analyzeFile', () => {
  it('reports findings with ranges, honours suppressions, and isolates failing and slow rules', () => {
    const engine = new AnalysisEngine(root, [callsRule, throwingRule, slowRule, sqlOnlyRule]);
    engine.configure([{ source: 'test', values: { ruleTimeout: 50 } }]);
    engine.discover();
    const result = engine.analyze(servicePath);
    assert.deepEqual(
      result.findings.map((f) => [f.ruleId, f.range.start.line, f.range.start.character, f.message]),
      [['test-calls', 1, 22, 'call to fetch']],
    );
    assert.equal(result.findings[0]!.fixes[0]!.changes[0]!.kind, 'edit');
    assert.deepEqual(
      result.ruleFailures.map((f) => f.ruleId),
      ['test-throws', 'test-slow'],
    );
    assert.match(result.ruleFailures[0]!.reason, /boom/);
    assert.match(result.ruleFailures[1]!.reason, /stopped after 50 ms \(setting ruleTimeout\)/);
  });

  it('stops when cancelled, and skips files the input guard rejects', () => {
    const engine = new AnalysisEngine(root, [callsRule]);
    engine.discover();
    assert.equal(engine.analyze(servicePath, { isCancellationRequested: true }).cancelled, true);
    engine.index.setOverlay(servicePath, 'x'.repeat(10_000), 2);
    const skipped = engine.analyze(servicePath);
    assert.match(skipped.skipped!, /minified/);
    assert.deepEqual(skipped.findings, []);
  });

  it('uses the configured severity and drops rules set to off', () => {
    const engine = new AnalysisEngine(root, [callsRule]);
    engine.configure([{ source: 'test', values: { rules: { 'test-calls': 'error' } } }]);
    engine.discover();
    engine.index.removeOverlay(servicePath);
    assert.equal(engine.analyze(servicePath).findings[0]!.severity, 'error');
    engine.configure([{ source: 'test', values: { rules: { 'test-calls': 'off' } } }]);
    assert.deepEqual(engine.analyze(servicePath).findings, []);
  });
});
