import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisEngine } from '../../engine/analysis-engine';
import { applyFix } from '../../engine/fixes/apply-edits';
import type { Finding } from '../../engine/model/finding';
import type { AnyRule } from '../../engine/model/rule';
import { parseSql } from '../../engine/sql/sql-gate';
import { formatDiagnostics, typeCheck } from '../../engine/testing/type-check';

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
  // A finding is known by its file and message, not its position: a fix that edits the file the
  // findings are in (`@@index` in schema.prisma, `@Index` on an entity) moves the ones below it.
  const key = (finding: Finding): string => `${finding.filePath}\n${finding.message}`;
  const counts = (list: readonly Finding[]): Map<string, number> => {
    const result = new Map<string, number>();
    for (const finding of list) result.set(key(finding), (result.get(key(finding)) ?? 0) + 1);
    return result;
  };
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
    const before = counts(findings);
    before.set(key(target), before.get(key(target))! - 1);
    const after = analyseAll();
    const afterCounts = counts(after);
    assert.ok((afterCounts.get(key(target)) ?? 0) <= before.get(key(target))!, `still reported after "${fix.title}": ${target.message}\n${[...changed.keys()].map((f) => path.relative(folder, f)).join(', ')}`);
    const added = [...afterCounts].filter(([k, n]) => n > (before.get(k) ?? 0)).map(([k]) => after.find((finding) => key(finding) === k)!);
    assert.deepEqual(added.map((finding) => finding.message), [], `"${fix.title}" added findings`);
    findings = after;
  }
  return { texts, applied, unfixable: findings };
}

/**
 * Asserts what the fixes wrote is valid: the TypeScript files (declaration files aside) type-check
 * in one program against the installed packages, every `.sql` file parses, and so does every
 * `queryRunner.query(`…`)` string of a TypeORM migration class. Returns how many SQL texts were parsed.
 */
export function assertFixedFilesValid(texts: ReadonlyMap<string, string>, root: string): number {
  const code = new Map([...texts].filter(([file]) => /\.ts$/.test(file) && !file.endsWith('.d.ts')));
  if (code.size > 0) {
    const diagnostics = typeCheck(code);
    assert.equal(diagnostics.length, 0, formatDiagnostics(diagnostics, root));
  }
  const sql: Array<[string, string]> = [];
  for (const [file, text] of texts) {
    if (file.endsWith('.sql')) sql.push([file, text]);
    else if (/\.ts$/.test(file)) for (const match of text.matchAll(/queryRunner\.query\(\s*`((?:[^`\\]|\\.)*)`/g)) sql.push([file, match[1]!.replace(/\\(.)/g, '$1')]);
  }
  for (const [file, text] of sql) {
    const result = parseSql(text);
    assert.equal(result.kind, 'parsed', `${path.relative(root, file)} holds SQL that does not parse:\n${text}`);
    assert.ok(result.kind === 'parsed' && result.statements.length > 0, `${path.relative(root, file)}: no statement in\n${text}`);
  }
  assertMigrationPrefixesUnique(texts, root);
  return sql.length;
}

/** Migrations the fixes created take a version no other migration in their folder has (`002_…`, `V3__…`, a timestamp). */
function assertMigrationPrefixesUnique(texts: ReadonlyMap<string, string>, root: string): void {
  const versionOf = (name: string): string | undefined => /^(V?\d+)[_-]/.exec(name)?.[1];
  for (const file of texts.keys()) {
    if (fs.existsSync(file)) continue;
    // Prisma's `<timestamp>_<name>/migration.sql` is versioned by its folder.
    const entry = path.basename(file) === 'migration.sql' ? path.dirname(file) : file;
    const version = versionOf(path.basename(entry));
    if (!version) continue;
    const dir = path.dirname(entry);
    const siblings = [...new Set([...(fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => path.join(dir, name)) : []), ...[...texts.keys()].map((other) => (path.basename(other) === 'migration.sql' ? path.dirname(other) : other))])];
    const same = siblings.filter((other) => other !== entry && path.dirname(other) === dir && versionOf(path.basename(other)) === version);
    assert.deepEqual(same.map((other) => path.relative(root, other)), [], `${path.relative(root, entry)} takes a version another migration has`);
  }
}
