import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { propertyName, propertyValue } from '../../engine/ast/object-literal';
import { resolveName } from '../../engine/ast/scope';
import type { FixReport, SpanEdit } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { DbCall } from './db-call';
import { simpleForOf } from './fix-shared';
import type { LoopContext } from './loop-context';

/**
 * The last statement of a `for…of` body, `await repo.save(order)` (TypeORM `save` / `insert`
 * of the element itself) or `await prisma.tag.create({ data: { … } })` with scalar fields only,
 * becomes one bulk call after the loop: `save(orders)`, `createMany({ data: names.map(…) })`.
 * The rest of the body stays in the loop; the loop goes when nothing else is left in it.
 */
export function bulkWriteFix(db: DbCall, loop: LoopContext, file: ParsedFile): FixReport | undefined {
  const simple = simpleForOf(loop, file);
  const call = db.node;
  if (!simple || !ts.isCallExpression(call) || !call.parent || !ts.isAwaitExpression(call.parent)) return undefined;
  const statement = call.parent.parent;
  if (!statement || !ts.isExpressionStatement(statement)) return undefined;
  const body = simple.statement.statement;
  const statements = ts.isBlock(body) ? body.statements : undefined;
  if (statements ? statements[statements.length - 1] !== statement : body !== statement) return undefined;
  // Other awaits in the body would now run before every write instead of between them.
  if (statements && statements.slice(0, -1).some((other) => /\bawait\b/.test(other.getText(file.ast)))) return undefined;

  const handleText = db.handle.getText(file.ast);
  let bulk: string;
  if (db.orm === 'typeorm' && /^(save|insert)$/.test(db.method) && call.arguments.length === 1) {
    const argument = unwrapExpression(call.arguments[0]!);
    if (!ts.isIdentifier(argument) || argument.text !== simple.element) return undefined;
    bulk = `await ${handleText}.${db.method}(${arrayOf(loop.collection!, simple.collection)});`;
  } else if (db.orm === 'prisma' && db.method === 'create' && call.arguments.length === 1) {
    const data = scalarData(call.arguments[0]!, file);
    if (!data) return undefined;
    bulk = `await ${handleText}.${db.prismaModel}.createMany({ data: ${simple.collection}.map((${simple.element}) => (${data})) });`;
  } else if (db.orm === 'sequelize' && db.method === 'create' && call.arguments.length === 1 && ts.isIdentifier(unwrapExpression(db.handle))) {
    // `await Post.create({ title: draft.title })` → `await Post.bulkCreate(drafts.map((draft) => ({ … })))`
    const argument = unwrapExpression(call.arguments[0]!);
    if (ts.isIdentifier(argument) && argument.text === simple.element) bulk = `await ${handleText}.bulkCreate(${arrayOf(loop.collection!, simple.collection)});`;
    else {
      const data = scalarLiteral(argument, file);
      if (!data) return undefined;
      bulk = `await ${handleText}.bulkCreate(${simple.collection}.map((${simple.element}) => (${data})));`;
    }
  } else if (db.orm === 'drizzle' && db.method === 'insert') {
    // `await db.insert(posts).values(row)` → one `values([...])`; Drizzle refuses an empty list, hence the guard.
    const values = drizzleInsertValues(call, db);
    if (!values) return undefined;
    const collection = arrayOf(loop.collection!, simple.collection);
    if (collection !== simple.collection) return undefined;
    const argument = unwrapExpression(values.argument);
    let rows: string;
    if (ts.isIdentifier(argument) && argument.text === simple.element) rows = simple.collection;
    else {
      const data = scalarLiteral(argument, file);
      if (!data) return undefined;
      rows = `${simple.collection}.map((${simple.element}) => (${data}))`;
    }
    bulk = `if (${simple.collection}.length > 0) await ${values.insert.getText(file.ast)}.values(${rows});`;
  } else return undefined;

  const onlyStatement = !statements || statements.length === 1;
  const loopStart = simple.statement.getStart(file.ast);
  const edits: SpanEdit[] = onlyStatement
    ? [{ span: { start: loopStart, end: simple.statement.end }, newText: bulk }]
    : [
        { span: { start: statements[statements.length - 2]!.end, end: statement.end }, newText: '' },
        { span: { start: simple.statement.end, end: simple.statement.end }, newText: `\n${simple.indent}${bulk}` },
      ];
  const bulkName = db.orm === 'prisma' ? 'createMany' : db.orm === 'sequelize' ? 'bulkCreate' : db.orm === 'drizzle' ? 'insert' : db.method;
  return { title: `Write all of \`${simple.collection}\` in one ${bulkName} call`, isPreferred: true, edits };
}

/** The collection as an array: as written when declared as one, else spread into one. */
function arrayOf(collection: ts.Expression, text: string): string {
  const node = unwrapExpression(collection);
  if (ts.isIdentifier(node)) {
    const binding = resolveName(node.text, node);
    const type = binding && (binding.kind === 'parameter' || binding.kind === 'variable') ? binding.declaration.type : undefined;
    if (type && (ts.isArrayTypeNode(type) || (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && /^(Array|ReadonlyArray)$/.test(type.typeName.text)))) return text;
  }
  return `[...${text}]`;
}

/** `db.insert(posts).values(row)`, nothing before or after in the chain: the `insert(…)` call and the value. */
function drizzleInsertValues(call: ts.CallExpression, db: DbCall): { insert: ts.CallExpression; argument: ts.Expression } | undefined {
  const whole = db.whole;
  if (whole !== call || call.arguments.length !== 1 || !ts.isPropertyAccessExpression(call.expression) || call.expression.name.text !== 'values') return undefined;
  const insert = unwrapExpression(call.expression.expression);
  if (!ts.isCallExpression(insert) || !ts.isPropertyAccessExpression(insert.expression) || insert.expression.name.text !== 'insert' || insert.arguments.length !== 1) return undefined;
  return { insert, argument: call.arguments[0]! };
}

/** `{ data: { name, postId } }`: the data literal when every field is a plain value (no nested writes). */
function scalarData(argument: ts.Expression, file: ParsedFile): string | undefined {
  const options = unwrapExpression(argument);
  if (!ts.isObjectLiteralExpression(options) || options.properties.length !== 1) return undefined;
  const only = options.properties[0]!;
  const value = propertyValue(only);
  if (propertyName(only) !== 'data' || !value) return undefined;
  return scalarLiteral(value, file);
}

/** An object literal whose fields are all plain values (no nested writes, no spreads). */
function scalarLiteral(value: ts.Expression, file: ParsedFile): string | undefined {
  const data = unwrapExpression(value);
  if (!ts.isObjectLiteralExpression(data)) return undefined;
  for (const property of data.properties) {
    if (ts.isShorthandPropertyAssignment(property)) continue;
    if (!ts.isPropertyAssignment(property)) return undefined;
    const inner = unwrapExpression(property.initializer);
    if (ts.isObjectLiteralExpression(inner) || ts.isArrayLiteralExpression(inner)) return undefined;
  }
  return data.getText(file.ast);
}
