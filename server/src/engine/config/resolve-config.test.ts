import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineRule } from '../model/rule';
import { parseConfigText } from './config-file';
import { resolveConfig } from './resolve-config';

const timeoutRule = defineRule<{ timeoutMs: number }>({
  meta: { id: 'sample-timeout', skill: 'microservices-architect', title: 'sample', defaultSeverity: 'warning', fixable: true, languages: ['typescript'] },
  options: { timeoutMs: { type: 'integer', default: 5000, minimum: 1, description: 'ms' } },
  check: () => undefined,
});
const infoRule = defineRule({
  meta: { id: 'sample-info', skill: 'api-designer', title: 'sample', defaultSeverity: 'info', fixable: false, languages: ['typescript'] },
  options: {},
  check: () => undefined,
});
const RULES = [timeoutRule, infoRule];

describe('resolveConfig', () => {
  it('uses the rules defaults when nothing is configured', () => {
    const resolved = resolveConfig([], RULES);
    assert.deepEqual(resolved.problems, []);
    assert.deepEqual(
      resolved.rules.map((r) => [r.rule.meta.id, r.severity, r.options]),
      [
        ['sample-timeout', 'warning', { timeoutMs: 5000 }],
        ['sample-info', 'info', {}],
      ],
    );
  });

  it('lets later layers win and turns rules off', () => {
    const resolved = resolveConfig(
      [
        { source: 'VS Code settings', values: { rules: { 'sample-timeout': 'error', 'sample-info': 'off' } } },
        { source: '.backend-advisor.json', values: { rules: { 'sample-timeout': { options: { timeoutMs: 3000 } } } } },
      ],
      RULES,
    );
    assert.deepEqual(resolved.problems, []);
    assert.equal(resolved.rules.length, 1);
    assert.equal(resolved.rules[0]!.severity, 'warning');
    assert.deepEqual(resolved.rules[0]!.options, { timeoutMs: 3000 });
  });

  it('names every bad key and value, and keeps the defaults for them', () => {
    const resolved = resolveConfig(
      [
        {
          source: 'cfg.json',
          values: {
            rulez: {},
            include: 'src/**',
            maxFileSize: -1,
            rules: { 'no-such-rule': 'error', 'sample-info': 'loud', 'sample-timeout': { severity: 'error', options: { timeoutMs: 0, retries: 2 } } },
          },
        },
      ],
      RULES,
    );
    const text = resolved.problems.join('\n');
    assert.match(text, /unknown setting "rulez"/);
    assert.match(text, /"include" must be an array of glob strings/);
    assert.match(text, /"maxFileSize" must be a positive number/);
    assert.match(text, /unknown rule "no-such-rule"/);
    assert.match(text, /\["sample-info"\] must be one of error, warning, info, hint, off, not "loud"/);
    assert.match(text, /timeoutMs must be at least 1, not 0; using the default 5000/);
    assert.match(text, /retries is not an option of this rule/);
    const timeout = resolved.rules.find((r) => r.rule.meta.id === 'sample-timeout')!;
    assert.equal(timeout.severity, 'error');
    assert.deepEqual(timeout.options, { timeoutMs: 5000 });
    assert.deepEqual(resolved.settings.include, []);
    assert.equal(resolved.settings.maxFileSize, 1_000_000);
  });

  it('reports a configuration that is not an object', () => {
    const resolved = resolveConfig([{ source: 'x.json', values: [1, 2] }], RULES);
    assert.match(resolved.problems[0]!, /x\.json: the configuration must be a JSON object/);
  });
});

describe('parseConfigText', () => {
  it('accepts comments and trailing commas', () => {
    const { layer, problem } = parseConfigText('/p/.backend-advisor.json', '{\n // team default\n "rules": { "a": "off", },\n}');
    assert.equal(problem, undefined);
    assert.deepEqual(layer?.values, { rules: { a: 'off' } });
  });

  it('names the file and the line of a syntax error', () => {
    const { layer, problem } = parseConfigText('/p/.backend-advisor.json', '{\n  "rules": {\n    "a": "off"\n  \n');
    assert.equal(layer, undefined);
    assert.match(problem!, /\/p\/\.backend-advisor\.json is not valid JSON at line \d+, column \d+/);
  });
});
