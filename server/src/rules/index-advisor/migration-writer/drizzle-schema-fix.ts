import { ts } from 'ts-morph';
import { unwrapExpression } from '../../../engine/ast/call-shape';
import type { FileChange, TextEdit } from '../../../engine/model/finding';
import type { OrmMapping } from '../../../engine/schema/catalog-model';
import type { ParsedFile } from '../../../engine/source/parsed-file';
import type { ProjectView } from '../../../engine/workspace/project-view';
import type { IndexProposal } from '../index-proposal';
import { quoteOf, tsString } from './ts-string';

const PG_CORE = 'drizzle-orm/pg-core';
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Inside a template literal: backslashes, backticks and `${` are escaped. */
function templateText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

/** `customerIdCreatedAtIdx` for an object-form extra config. */
function configKey(indexName: string): string {
  const words = indexName.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const key = words.map((w, n) => (n === 0 ? w[0]!.toLowerCase() + w.slice(1) : w[0]!.toUpperCase() + w.slice(1))).join('');
  return /^[0-9]/.test(key) ? `i${key}` : key || 'index';
}

/**
 * `index('idx_orders_customer_id_created_at').on(t.customerId, t.createdAt.desc())` added to the
 * Drizzle table's extra-config callback: appended to its array (`(t) => [ … ]`) or object
 * (`(t) => ({ … })`), or a new `(t) => [ … ]` callback when the table has none. A partial index
 * gets `.where(sql\`…\`)`, an expression key `sql\`lower(email)\``; `index` and `sql` are imported
 * when missing. drizzle-kit then generates the migration (or `push` creates the index).
 * Undefined when the declaration is not one this can edit safely.
 */
export function drizzleSchemaChange(proposal: IndexProposal, indexName: string, mapping: OrmMapping, project: ProjectView): FileChange | undefined {
  const file = project.file(mapping.origin.filePath);
  if (!file?.ast) return undefined;
  const call = tableCall(file, mapping);
  if (!call || call.arguments.length < 2) return undefined;
  const quote = quoteOf(file.text);
  const indexLocal = localOf(file, PG_CORE, 'index');
  const sqlLocal = localOf(file, 'drizzle-orm', 'sql') ?? localOf(file, PG_CORE, 'sql');
  const needsSql = proposal.where !== undefined || proposal.keys.some((key) => key.column === undefined);
  // A local of that name bound to something else: the edit would not mean what it says.
  if ((!indexLocal && file.imports.get('index')) || (needsSql && !sqlLocal && file.imports.get('sql'))) return undefined;
  const extra = call.arguments[2] && unwrapExpression(call.arguments[2]);
  let param = 't';
  let container: ts.ArrayLiteralExpression | ts.ObjectLiteralExpression | undefined;
  if (extra) {
    if (!ts.isArrowFunction(extra) && !ts.isFunctionExpression(extra)) return undefined;
    const first = extra.parameters[0];
    if (!first || !ts.isIdentifier(first.name)) return undefined;
    param = first.name.text;
    const body = returned(extra);
    if (!body || !(ts.isArrayLiteralExpression(body) || ts.isObjectLiteralExpression(body))) return undefined;
    container = body;
  }
  const keys: string[] = [];
  for (const key of proposal.keys) {
    let text: string;
    if (key.column === undefined) text = `${sqlLocal ?? 'sql'}\`${templateText(key.expression ?? '')}\``;
    else {
      // Two properties on one column (a relation and its id): either names it.
      const property = Object.entries(mapping.columns).find(([, column]) => column === key.column)?.[0];
      if (!property || !IDENTIFIER.test(property)) return undefined;
      text = `${param}.${property}`;
    }
    keys.push(key.descending ? `${text}.desc()` : text);
  }
  let declaration = `${indexLocal ?? 'index'}(${tsString(indexName, quote)}).on(${keys.join(', ')})`;
  if (proposal.where) declaration += `.where(${sqlLocal ?? 'sql'}\`${templateText(proposal.where)}\`)`;

  const edits: TextEdit[] = [];
  const insert = (at: number, newText: string): void => {
    edits.push({ range: file.lineMap.rangeOf({ start: at, end: at }), newText });
  };
  if (!container) insert(call.arguments[1]!.end, `, (${param}) => [${declaration}]`);
  else {
    const item = ts.isObjectLiteralExpression(container) ? `${configKey(indexName)}: ${declaration}` : declaration;
    const elements: ts.NodeArray<ts.Node> = ts.isArrayLiteralExpression(container) ? container.elements : container.properties;
    const last = elements[elements.length - 1];
    if (!last) insert(container.getStart(file.ast) + 1, item);
    else {
      const lastStart = last.getStart(file.ast);
      const lineStart = file.text.lastIndexOf('\n', lastStart - 1) + 1;
      const multiline = file.text.slice(container.getStart(file.ast), lastStart).includes('\n');
      const indent = /^[ \t]*/.exec(file.text.slice(lineStart))![0];
      const separator = multiline ? `\n${indent}` : ' ';
      if (elements.hasTrailingComma) {
        const comma = file.text.indexOf(',', last.end);
        insert(comma + 1, `${separator}${item},`);
      } else insert(last.end, `,${separator}${item}`);
    }
  }
  if (!indexLocal) {
    const edit = namedImportEdit(file, PG_CORE, 'index');
    if (!edit) return undefined;
    edits.push(edit);
  }
  if (needsSql && !sqlLocal) {
    const edit = namedImportEdit(file, 'drizzle-orm', 'sql') ?? newImportEdit(file, `import { sql } from ${quote}drizzle-orm${quote};\n`);
    if (!edit) return undefined;
    edits.push(edit);
  }
  return { kind: 'edit', filePath: file.filePath, edits };
}

/** The `pgTable(…)` / `schema.table(…)` call the mapping was read from. */
function tableCall(file: ParsedFile, mapping: OrmMapping): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found || node.end < mapping.origin.start || node.getStart(file.ast) > mapping.origin.end) return;
    if (ts.isCallExpression(node) && node.getStart(file.ast) === mapping.origin.start && node.end === mapping.origin.end) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(file.ast!);
  return found;
}

function returned(fn: ts.ArrowFunction | ts.FunctionExpression): ts.Expression | undefined {
  if (!ts.isBlock(fn.body)) return unwrapExpression(fn.body);
  const statements = fn.body.statements;
  const last = statements[statements.length - 1];
  return statements.length === 1 && last && ts.isReturnStatement(last) && last.expression ? unwrapExpression(last.expression) : undefined;
}

/** The local name `imported` from `module` is bound to in the file, if it is imported. */
function localOf(file: ParsedFile, module: string, imported: string): string | undefined {
  for (const [local, binding] of file.imports.entries()) if (binding.module === module && binding.imported === imported) return local;
  return undefined;
}

/** `name` added to the file's named value import from `module`. */
function namedImportEdit(file: ParsedFile, module: string, name: string): TextEdit | undefined {
  for (const statement of file.ast!.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== module) continue;
    const named = statement.importClause?.namedBindings;
    if (statement.importClause?.isTypeOnly || !named || !ts.isNamedImports(named) || named.elements.length === 0) continue;
    const last = named.elements[named.elements.length - 1]!;
    return { range: file.lineMap.rangeOf({ start: last.end, end: last.end }), newText: `, ${name}` };
  }
  return undefined;
}

/** A new import line after the file's last import. */
function newImportEdit(file: ParsedFile, line: string): TextEdit | undefined {
  const imports = file.ast!.statements.filter(ts.isImportDeclaration);
  const last = imports[imports.length - 1];
  if (!last) return undefined;
  const at = file.text.indexOf('\n', last.end);
  const offset = at < 0 ? file.text.length : at + 1;
  return { range: file.lineMap.rangeOf({ start: offset, end: offset }), newText: at < 0 ? `\n${line}` : line };
}
