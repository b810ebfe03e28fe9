import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { applyFix } from '../../../engine/fixes/apply-edits';
import type { Finding } from '../../../engine/model/finding';
import type { AnyRule } from '../../../engine/model/rule';
import { analyseFolder } from '../../../engine/testing/rule-harness';
import { formatDiagnostics, typeCheck } from '../../../engine/testing/type-check';

/**
 * Applies every fix of the rule's findings in `root` one at a time: the finding goes, no other
 * finding appears in that file, and all fixed files type-check together in one program against
 * the installed packages. Returns the fixed texts of the analysed files for content assertions.
 */
export function assertEveryFixWorks(rule: AnyRule, root: string, minimumFixes: number, unfixable: (finding: Finding) => boolean = () => false): string[] {
  const { engine, findings } = analyseFolder(rule, root);
  const virtual = new Map<string, string>();
  const texts: string[] = [];
  let fixed = 0;
  for (const [index, finding] of findings.entries()) {
    const fix = finding.fixes[0];
    if (unfixable(finding)) {
      assert.equal(fix, undefined, `expected no fix for: ${finding.message}`);
      continue;
    }
    assert.ok(fix, `no fix for ${finding.message}`);
    const output = applyFix(fix, (file) => fs.readFileSync(file, 'utf8'));
    const before = findings.filter((other) => other.filePath === finding.filePath).length;
    for (const [file, text] of output) engine.index.setOverlay(file, text, 1000 + index);
    const after = engine.analyze(finding.filePath).findings.filter((other) => other.ruleId === rule.meta.id);
    assert.equal(after.length, before - 1, `fix "${fix.title}" left ${after.length} of ${before} findings in ${finding.filePath}`);
    for (const file of output.keys()) engine.index.removeOverlay(file);
    for (const [file, text] of output) virtual.set(file.replace(/\.ts$/, `.fix${index}.ts`), text);
    texts.push(output.get(finding.filePath) ?? '');
    fixed++;
  }
  assert.ok(fixed >= minimumFixes, `${fixed} fixes, expected at least ${minimumFixes}`);
  const diagnostics = typeCheck(virtual);
  assert.equal(diagnostics.length, 0, formatDiagnostics(diagnostics, root));
  return texts;
}
