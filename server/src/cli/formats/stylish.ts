import type { Severity } from '../../engine/model/severity';
import { verdictSentence } from '../../engine/planner/verdict-text';
import { countFindings, type ScanReport, type SeverityCounts } from '../scan-report';

const ANSI = { reset: '\x1b[0m', bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m', green: '\x1b[32m', underline: '\x1b[4m' };
type Paint = (style: keyof typeof ANSI, text: string) => string;

const SEVERITY_STYLE: Record<Severity, keyof typeof ANSI> = { error: 'red', warning: 'yellow', info: 'blue', hint: 'dim' };

/**
 * eslint's "stylish" layout: findings grouped under each file's relative path, one line each
 * (`line:col  severity  message  rule-id`, columns aligned), then a summary line.
 */
export function formatStylish(report: ScanReport, { colour }: { colour: boolean }): string {
  const paint: Paint = colour ? (style, text) => `${ANSI[style]}${text}${ANSI.reset}` : (_style, text) => text;
  const out: string[] = [];
  for (const file of report.files) {
    if (file.findings.length === 0) continue;
    const rows = file.findings.map((finding) => ({
      where: `${finding.range.start.line + 1}:${finding.range.start.character + 1}`,
      severity: finding.severity,
      message: finding.message.replace(/\s*\r?\n\s*/g, ' '),
      ruleId: finding.ruleId,
      verification: report.verifications?.get(finding),
    }));
    const whereWidth = Math.max(...rows.map((row) => row.where.length));
    const severityWidth = Math.max(...rows.map((row) => row.severity.length));
    out.push(paint('underline', file.relativePath));
    for (const row of rows) {
      out.push(
        `  ${paint('dim', row.where.padEnd(whereWidth))}  ${paint(SEVERITY_STYLE[row.severity], row.severity.padEnd(severityWidth))}  ${row.message}  ${paint('dim', row.ruleId)}`,
      );
      if (row.verification) out.push(`  ${' '.repeat(whereWidth + severityWidth + 4)}${paint('dim', 'planner:')} ${verdictSentence(row.verification.verdict, row.verification.data)}`);
    }
    out.push('');
  }
  out.push(summaryLine(countFindings(report.files), report.files.length, colour));
  return `${out.join('\n')}\n`;
}

/** `✖ 12 problems (3 errors, 9 warnings, 0 infos)`, or a tick when there is nothing. */
export function summaryLine(counts: SeverityCounts, fileCount: number, colour: boolean): string {
  if (counts.total === 0) {
    const text = `✔ no problems in ${plural(fileCount, 'file')}`;
    return colour ? `${ANSI.green}${ANSI.bold}${text}${ANSI.reset}` : text;
  }
  const hints = counts.hint > 0 ? `, ${plural(counts.hint, 'hint')}` : '';
  const text = `✖ ${plural(counts.total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.info, 'info')}${hints})`;
  const style = counts.error > 0 ? ANSI.red : ANSI.yellow;
  return colour ? `${style}${ANSI.bold}${text}${ANSI.reset}` : text;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
