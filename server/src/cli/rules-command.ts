import type { AnyRule } from '../engine/model/rule';
import type { CliIo } from './cli-io';

/** `backend-advisor rules`: one row per rule, aligned, for people choosing `--rule` flags. */
export function listRules(rules: readonly AnyRule[], io: CliIo): void {
  if (rules.length === 0) {
    io.stdout.write('No rules are registered.\n');
    return;
  }
  const header = ['id', 'skill', 'default', 'fixable', 'title'];
  const rows = rules.map((rule) => [rule.meta.id, rule.meta.skill, rule.meta.defaultSeverity, rule.meta.fixable ? 'yes' : 'no', rule.meta.title]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  io.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
}
