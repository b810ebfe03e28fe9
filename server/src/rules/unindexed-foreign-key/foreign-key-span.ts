import type { Span } from '../../engine/model/location';
import type { ForeignKey } from '../../engine/schema/catalog-model';
import type { ParsedFile } from '../../engine/source/parsed-file';

/**
 * Where a foreign key is written, narrowed from its declaring statement (a whole CREATE TABLE) to
 * the constraint: its name, its `FOREIGN KEY (…)` column list, or the column definition that says
 * `REFERENCES`. Entity decorators and schema.prisma fields are short already.
 */
export function foreignKeySpan(file: ParsedFile, fk: ForeignKey): Span {
  const { start, end } = fk.origin;
  if (fk.origin.kind === 'typeorm-entity' || fk.origin.kind === 'prisma-schema') return { start, end };
  const text = file.text.slice(start, end);
  const at = (offset: number, length: number): Span => ({ start: start + offset, end: start + offset + length });
  if (fk.name) {
    const named = new RegExp(`\\bconstraint\\s+("?)${escape(fk.name)}\\1`, 'i').exec(text);
    if (named) return at(named.index + named[0].length - fk.name.length - named[1]!.length * 2, fk.name.length + named[1]!.length * 2);
  }
  const wanted = fk.columns.join(',');
  for (const match of text.matchAll(/\bforeign\s+key\s*\(([^)]*)\)/gi)) {
    if (identifiers(match[1]!).join(',') === wanted) return at(match.index!, match[0].length);
  }
  if (fk.columns.length === 1) {
    const column = new RegExp(`(^|[\\s(,])("?)${escape(fk.columns[0]!)}\\2\\s[^,;]*?\\breferences\\b`, 'i').exec(text);
    if (column) return at(column.index + column[1]!.length, fk.columns[0]!.length + column[2]!.length * 2);
  }
  // Unknown shape: the statement's first line, rather than a many-line range.
  const newline = text.indexOf('\n');
  return { start, end: newline > 0 ? start + newline : end };
}

function identifiers(list: string): string[] {
  return list.split(',').map((part) => part.trim().replace(/^"|"$/g, ''));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
