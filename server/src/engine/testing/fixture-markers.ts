import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Marks in fixture files that say what a rule must find: `// @expect <rule-id>` on the line where
 * a finding starts, `// @ok <rule-id>` on a look-alike that must stay quiet. Lines are 0-based
 * like the engine's ranges.
 */
export interface FixtureMark {
  filePath: string;
  line: number;
  kind: 'expect' | 'ok';
  ruleId: string;
}

// `--` marks SQL fixtures (migrations, query files); `//` marks code and schema.prisma.
const MARK = /(?:\/\/|--)\s*@(expect|ok)\s+([a-z][a-z0-9-]*)/g;

export function marksInText(filePath: string, text: string): FixtureMark[] {
  const marks: FixtureMark[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((lineText, line) => {
    MARK.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = MARK.exec(lineText))) marks.push({ filePath, line, kind: match[1] as 'expect' | 'ok', ruleId: match[2]! });
  });
  return marks;
}

/** Every mark for `ruleId` in the code, SQL and schema.prisma files under `directory`. */
export function marksInDirectory(directory: string, ruleId: string): FixtureMark[] {
  const marks: FixtureMark[] = [];
  for (const filePath of filesUnder(directory, /\.(?:[cm]?[jt]sx?|sql|prisma)$/)) {
    marks.push(...marksInText(filePath, fs.readFileSync(filePath, 'utf8')).filter((mark) => mark.ruleId === ruleId));
  }
  return marks;
}

/** Files under `directory` whose names match `pattern` (code files by default). */
export function filesUnder(directory: string, pattern: RegExp = /\.[cm]?[jt]sx?$/): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(full, pattern));
    else if (pattern.test(entry.name)) found.push(full);
  }
  return found.sort();
}

/** `file:line` (1-based line, as editors show it) for readable assertion diffs. */
export function markKey(filePath: string, line: number, root: string): string {
  return `${path.relative(root, filePath)}:${line + 1}`;
}
