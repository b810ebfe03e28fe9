import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { enclosingFunctionOrFile } from '../../engine/ast/scope';
import type { SpanEdit } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { LoopContext } from './loop-context';

/** A `for (const x of items)` loop the fixes can rewrite: a plain element name, a side-effect-free collection. */
export interface SimpleLoop {
  statement: ts.ForOfStatement;
  element: string;
  collection: string;
  indent: string;
}

export function simpleForOf(loop: LoopContext, file: ParsedFile): SimpleLoop | undefined {
  const statement = loop.node;
  if (!ts.isForOfStatement(statement) || statement.awaitModifier || !loop.element || !ts.isIdentifier(loop.element) || !loop.collection) return undefined;
  if (!isPlainReference(loop.collection)) return undefined;
  return { statement, element: loop.element.text, collection: loop.collection.getText(file.ast), indent: indentOf(statement, file) };
}

/** `orders`, `this.orders`, `batch.items`: reading it twice is the same as reading it once. */
export function isPlainReference(expression: ts.Expression): boolean {
  const node = unwrapExpression(expression);
  if (ts.isIdentifier(node) || node.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(node) && isPlainReference(node.expression);
}

/** `order`, `order.customerId`, `order.customer.id`: a value read from the element alone. */
export function isElementPath(expression: ts.Expression, element: string): boolean {
  const node = unwrapExpression(expression);
  if (ts.isIdentifier(node)) return node.text === element;
  return ts.isPropertyAccessExpression(node) && !node.questionDotToken && isElementPath(node.expression, element);
}

export function indentOf(node: ts.Node, file: ParsedFile): string {
  const start = node.getStart(file.ast);
  const lineStart = file.text.lastIndexOf('\n', start - 1) + 1;
  return /^[ \t]*/.exec(file.text.slice(lineStart, start))![0];
}

/** A name not yet used in the function around `node` (or the file's imports): `customers`, else `customers2`. */
export function freshName(base: string, node: ts.Node, file: ParsedFile): string {
  const scope = enclosingFunctionOrFile(node);
  const text = scope.getText(file.ast);
  for (let suffix = 0; ; suffix++) {
    const name = suffix === 0 ? base : `${base}${suffix + 1}`;
    if (!new RegExp(`\\b${name}\\b`).test(text) && !file.imports.get(name)) return name;
  }
}

export function plural(name: string): string {
  if (/(s|x|ch|sh)$/.test(name)) return `${name}es`;
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}

/** An edit importing `name` from `module`, merged into an existing named import when there is one. */
export function importNameEdit(file: ParsedFile, module: string, name: string): SpanEdit | undefined {
  const ast = file.ast!;
  if (file.imports.get(name)?.module === module) return undefined;
  for (const statement of ast.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== module) continue;
    const named = statement.importClause?.namedBindings;
    if (statement.importClause?.isTypeOnly || !named || !ts.isNamedImports(named)) continue;
    const last = named.elements[named.elements.length - 1];
    if (!last) continue;
    return { span: { start: last.end, end: last.end }, newText: `, ${name}` };
  }
  const first = ast.statements[0];
  const position = first ? first.getStart(ast) : 0;
  return { span: { start: position, end: position }, newText: `import { ${name} } from '${module}';\n` };
}
