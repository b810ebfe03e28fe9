import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { AnalysisEngine } from '../analysis-engine';
import type { ConfigLayer } from '../config/resolve-config';
import type { Finding } from '../model/finding';
import type { AnyRule } from '../model/rule';
import { filesUnder, markKey, marksInDirectory } from './fixture-markers';
import { formatDiagnostics, typeCheck } from './type-check';

/**
 * The tests every rule shares, so a new rule's test file holds only what is particular to it:
 * fixture folders reported exactly as marked, enough marked cases, realistic positive fixtures
 * that type-check, and suppression comments honoured.
 */

/** Runs one rule over a fixture folder through the real engine (configuration, discovery, runner). */
export function analyseFolder(rule: AnyRule, folder: string, layers: ConfigLayer[] = []): { engine: AnalysisEngine; findings: Finding[] } {
  const engine = new AnalysisEngine(folder, [rule]);
  assert.deepEqual(engine.configure(layers), []);
  const findings: Finding[] = [];
  for (const file of engine.discover()) {
    const result = engine.analyze(file);
    assert.deepEqual(result.ruleFailures, [], `rule failed on ${file}`);
    findings.push(...result.findings.filter((finding) => finding.ruleId === rule.meta.id));
  }
  return { engine, findings };
}

/** The findings land exactly on the `@expect` lines, and never on an `@ok` line. */
export function assertMatchesMarks(ruleId: string, folder: string, findings: readonly Finding[]): void {
  const marks = marksInDirectory(folder, ruleId);
  const expected = marks.filter((mark) => mark.kind === 'expect').map((mark) => markKey(mark.filePath, mark.line, folder)).sort();
  const actual = findings.map((finding) => markKey(finding.filePath, finding.range.start.line, folder)).sort();
  assert.deepEqual(actual, expected);
  const okLines = new Set(marks.filter((mark) => mark.kind === 'ok').map((mark) => markKey(mark.filePath, mark.line, folder)));
  for (const key of actual) assert.ok(!okLines.has(key), `finding on an @ok line: ${key}`);
}

export interface FixtureSuiteOptions {
  /** Sub-folders of `fixtures`, each analysed as its own workspace. */
  folders: readonly string[];
  /** Minimum number of `@expect` and of `@ok` marks across all fixtures. */
  minimumMarks?: number;
}

/** Registers the shared fixture tests inside the caller's `describe`. */
export function fixtureSuite(rule: AnyRule, fixtures: string, options: FixtureSuiteOptions): void {
  const ruleId = rule.meta.id;
  for (const folder of options.folders) {
    it(`reports exactly the @expect marks in ${folder}/`, () => {
      const root = path.join(fixtures, folder);
      assertMatchesMarks(ruleId, root, analyseFolder(rule, root).findings);
    });
  }

  const minimum = options.minimumMarks ?? 20;
  it(`has at least ${minimum} distinct @expect and ${minimum} @ok marks`, () => {
    const marks = marksInDirectory(fixtures, ruleId);
    assert.ok(marks.filter((mark) => mark.kind === 'expect').length >= minimum);
    assert.ok(marks.filter((mark) => mark.kind === 'ok').length >= minimum);
  });

  it('positive fixtures type-check against the installed packages', () => {
    const files = new Map(filesUnder(path.join(fixtures, 'positive')).map((file) => [file, fs.readFileSync(file, 'utf8')]));
    const diagnostics = typeCheck(files);
    assert.equal(diagnostics.length, 0, formatDiagnostics(diagnostics, fixtures));
  });
}

/**
 * The finding on the line containing `needle` is silenced by the suppression comment above it,
 * and comes back once the comment is turned into a plain one.
 */
export function assertSuppressionHonoured(rule: AnyRule, folder: string, file: string, needle: string): void {
  const { findings } = analyseFolder(rule, folder);
  const text = fs.readFileSync(file, 'utf8');
  const line = text.split('\n').findIndex((candidate) => candidate.includes(needle));
  assert.ok(line > 0, `no line contains ${needle}`);
  assert.ok(text.split('\n')[line - 1]!.includes('backend-advisor-disable-next-line'), 'the line above holds the suppression');
  assert.ok(!findings.some((finding) => finding.filePath === file && finding.range.start.line === line), 'suppressed');
  const unsuppressed = new AnalysisEngine(folder, [rule]);
  unsuppressed.discover();
  unsuppressed.index.setOverlay(file, text.replace('backend-advisor-disable-next-line', 'a plain comment:'), 1);
  assert.ok(unsuppressed.analyze(file).findings.some((finding) => finding.range.start.line === line), 'reported once the comment is gone');
}

/** The finding that starts on the first line of `filePath` containing `needle`; fails the test when there is none. */
export function findingOnLine(findings: readonly Finding[], filePath: string, needle: string): Finding {
  const line = fs.readFileSync(filePath, 'utf8').split('\n').findIndex((text) => text.includes(needle));
  const finding = findings.find((candidate) => candidate.filePath === filePath && candidate.range.start.line === line);
  assert.ok(finding, `no finding at ${path.basename(filePath)}: ${needle}`);
  return finding;
}
