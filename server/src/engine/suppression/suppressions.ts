/**
 * Suppression comments:
 *   // backend-advisor-disable-next-line rule-a, rule-b -- reason
 *   // backend-advisor-disable rule-a            (whole file)
 *   -- backend-advisor-disable-next-line rule-a  (SQL)
 * With no rule id, every rule is suppressed. Block comments work too.
 */
const DIRECTIVE = /(?:\/\/|\/\*|--)\s*backend-advisor-(disable-next-line|disable)\b([^\n]*)/g;

export const ALL_RULES = '*';

export interface Suppressions {
  /** Rule ids (or ALL_RULES) disabled for the whole file. */
  file: Set<string>;
  /** Zero-based line of the suppressed code → rule ids (or ALL_RULES). */
  lines: Map<number, Set<string>>;
}

export function parseSuppressions(text: string): Suppressions {
  const result: Suppressions = { file: new Set(), lines: new Map() };
  if (!text.includes('backend-advisor-disable')) return result;
  DIRECTIVE.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = DIRECTIVE.exec(text))) {
    const ids = parseRuleIds(match[2] ?? '');
    if (match[1] === 'disable') {
      for (const id of ids) result.file.add(id);
    } else {
      const line = lineOf(text, match.index) + 1;
      const set = result.lines.get(line) ?? new Set<string>();
      for (const id of ids) set.add(id);
      result.lines.set(line, set);
    }
  }
  return result;
}

export function isSuppressed(suppressions: Suppressions, ruleId: string, line: number): boolean {
  if (suppressions.file.has(ALL_RULES) || suppressions.file.has(ruleId)) return true;
  const ids = suppressions.lines.get(line);
  return ids !== undefined && (ids.has(ALL_RULES) || ids.has(ruleId));
}

function parseRuleIds(rest: string): string[] {
  const withoutReason = rest.split(/\s--\s|\s--$|\*\//)[0] ?? '';
  const ids = withoutReason
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter((id) => /^[a-z][a-z0-9-]*$/.test(id));
  return ids.length > 0 ? ids : [ALL_RULES];
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) line++;
    else if (ch === 13 && text.charCodeAt(i + 1) !== 10) line++;
  }
  return line;
}

/** The comment a "disable for this line" fix inserts above `lineText`, indented like it. */
export function disableNextLineComment(ruleId: string, lineText: string, language: 'sql' | 'code'): string {
  const indent = /^\s*/.exec(lineText)?.[0] ?? '';
  const marker = language === 'sql' ? '--' : '//';
  return `${indent}${marker} backend-advisor-disable-next-line ${ruleId}\n`;
}

/** The comment a "disable for this file" fix inserts at the top of the file. */
export function disableFileComment(ruleId: string, language: 'sql' | 'code'): string {
  return `${language === 'sql' ? '--' : '//'} backend-advisor-disable ${ruleId}\n`;
}
