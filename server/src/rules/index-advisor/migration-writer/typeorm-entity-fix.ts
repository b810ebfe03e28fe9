import { ts } from 'ts-morph';
import type { FileChange, TextEdit } from '../../../engine/model/finding';
import type { OrmMapping } from '../../../engine/schema/catalog-model';
import type { ProjectView } from '../../../engine/workspace/project-view';
import type { IndexProposal } from '../index-proposal';
import { keyProperties } from './orm-properties';
import { quoteOf, tsString } from './ts-string';

/**
 * Whether `@Index` can declare the proposal: plain columns that map to properties, and a key order
 * TypeORM can write. `@Index` has no per-key direction, so every key is ascending; a backward scan
 * of that index serves the sort only when all the keys after the equality columns share one
 * direction. Keys without a role are taken as sort keys (the strict reading).
 */
export function entityCanDeclare(proposal: IndexProposal, mapping: OrmMapping): boolean {
  if (!keyProperties(proposal, mapping)) return false;
  const ordered = proposal.keys.filter((key) => key.role !== 'equality');
  return ordered.every((key) => key.descending === ordered[0]!.descending);
}

/** `@Index('name', ['customerId', 'createdAt'], { where: … })` above the entity class, `Index` imported from typeorm. */
export function typeormEntityChange(proposal: IndexProposal, indexName: string, mapping: OrmMapping, project: ProjectView): FileChange | undefined {
  const properties = keyProperties(proposal, mapping);
  const file = project.file(mapping.origin.filePath);
  if (!properties || !file?.ast) return undefined;
  const ast = file.ast;
  const binding = file.imports.get('Index');
  if (binding && binding.module !== 'typeorm') return undefined;
  let target: ts.ClassDeclaration | undefined;
  const visit = (node: ts.Node): void => {
    if (target) return;
    if (ts.isClassDeclaration(node) && node.name?.text === mapping.name) target = node;
    else ts.forEachChild(node, visit);
  };
  visit(ast);
  if (!target) return undefined;
  const quote = quoteOf(file.text);
  const start = target.getStart(ast);
  const lineStart = file.text.lastIndexOf('\n', start - 1) + 1;
  const indent = /^[ \t]*/.exec(file.text.slice(lineStart))![0];
  const options = proposal.where ? `, { where: ${tsString(proposal.where, quote)} }` : '';
  const decorator = `@Index(${tsString(indexName, quote)}, [${properties.map((p) => tsString(p, quote)).join(', ')}]${options})\n${indent}`;
  const edits: TextEdit[] = [{ range: file.lineMap.rangeOf({ start, end: start }), newText: decorator }];
  if (!binding) {
    const importEdit = typeormImportEdit(ast);
    if (!importEdit) return undefined;
    edits.push({ range: file.lineMap.rangeOf(importEdit.span), newText: importEdit.newText });
  }
  return { kind: 'edit', filePath: file.filePath, edits };
}

/** `Index` added to the file's named `typeorm` import. An entity always imports `Entity` from there. */
function typeormImportEdit(ast: ts.SourceFile): { span: { start: number; end: number }; newText: string } | undefined {
  for (const statement of ast.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== 'typeorm') continue;
    const named = statement.importClause?.namedBindings;
    if (statement.importClause?.isTypeOnly || !named || !ts.isNamedImports(named) || named.elements.length === 0) continue;
    const last = named.elements[named.elements.length - 1]!;
    return { span: { start: last.end, end: last.end }, newText: ', Index' };
  }
  return undefined;
}
