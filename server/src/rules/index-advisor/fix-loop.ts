import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisEngine } from '../../engine/analysis-engine';
import { applyFix } from '../../engine/fixes/apply-edits';
import type { Finding } from '../../engine/model/finding';
import type { AnyRule } from '../../engine/model/rule';

/**
 * Test support for the index rules' fixes: in one engine over a fixture workspace (texts changed
 * through overlays, the disk untouched), applies the first fix of one finding at a time and
 * re-runs the rule, asserting the finding is gone and no new one appeared, until only findings
 * without a fix are left (returned, for the caller to judge).
 * Returns every file the fixes wrote or changed, for one type-check of them all.
 */
export function applyFixesOneByOne(rule: AnyRule, folder: string, maxRounds = 60): { texts: Map<string, string>; applied: number; unfixable: Finding[] } {
  const engine = new AnalysisEngine(folder, [rule]);
  assert.deepEqual(engine.configure([]), []);
  const files = new Set(engine.discover());
  const texts = new Map<string, string>();
  let version = 1;
  const analyseAll = (): Finding[] => [...files].flatMap((file) => engine.analyze(file).findings.filter((finding) => finding.ruleId === rule.meta.id));
  const key = (finding: Finding): string => `${finding.filePath}:${finding.range.start.line}:${finding.range.start.character}`;
  let findings = analyseAll();
  let applied = 0;
  for (let round = 0; round < maxRounds; round++) {
    const target = findings.find((finding) => finding.fixes.length > 0);
    if (!target) break;
    const fix = target.fixes[0]!;
    const changed = applyFix(fix, (filePath) => texts.get(filePath) ?? (fs.existsSync(filePath) ? fs.readFileSync(filePath, 'utf8') : undefined));
    for (const [filePath, text] of changed) {
      texts.set(filePath, text);
      if (!files.has(filePath)) {
        files.add(filePath);
        engine.index.addFile(filePath);
      }
      engine.index.setOverlay(filePath, text, ++version);
    }
    applied++;
    const before = new Set(findings.map(key));
    const after = analyseAll();
    assert.ok(!after.some((finding) => key(finding) === key(target)), `still reported after "${fix.title}": ${target.message}\n${[...changed.keys()].map((f) => path.relative(folder, f)).join(', ')}`);
    const added = after.filter((finding) => !before.has(key(finding)));
    assert.deepEqual(added.map((finding) => finding.message), [], `"${fix.title}" added findings`);
    findings = after;
  }
  return { texts, applied, unfixable: findings };
}
