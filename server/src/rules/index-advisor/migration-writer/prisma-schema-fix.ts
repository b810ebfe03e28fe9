import type { FileChange } from '../../../engine/model/finding';
import type { OrmMapping } from '../../../engine/schema/catalog-model';
import type { ProjectView } from '../../../engine/workspace/project-view';
import type { IndexProposal } from '../index-proposal';
import { keyProperties } from './orm-properties';

/** schema.prisma's stable `@@index` has no `where` and no expression keys. */
export function prismaCanDeclare(proposal: IndexProposal, mapping: OrmMapping): boolean {
  return proposal.where === undefined && keyProperties(proposal, mapping) !== undefined;
}

/** `@@index([customerId, createdAt(sort: Desc)], map: "name")` as the model's last line. */
export function prismaSchemaChange(proposal: IndexProposal, indexName: string, mapping: OrmMapping, project: ProjectView): FileChange | undefined {
  const fields = keyProperties(proposal, mapping);
  const file = project.file(mapping.origin.filePath);
  if (!fields || !file || proposal.where !== undefined) return undefined;
  const model = file.text.slice(mapping.origin.start, mapping.origin.end);
  if (!model.startsWith('model') || !model.endsWith('}')) return undefined;
  const close = mapping.origin.end - 1;
  const indent = /\{[^\n]*\n(?:[ \t]*\n)*([ \t]+)\S/.exec(model)?.[1] ?? '  ';
  const keys = fields.map((field, i) => (proposal.keys[i]!.descending ? `${field}(sort: Desc)` : field)).join(', ');
  // Prisma names an unnamed index `<table>_<columns>_idx`; `map` is written only when the name differs.
  const prismaDefault = `${proposal.table.name}_${proposal.keys.map((key) => key.column).join('_')}_idx`;
  const map = indexName === prismaDefault ? '' : `, map: "${indexName}"`;
  const line = `${indent}@@index([${keys}]${map})\n`;
  return { kind: 'edit', filePath: file.filePath, edits: [{ range: file.lineMap.rangeOf({ start: close, end: close }), newText: line }] };
}
