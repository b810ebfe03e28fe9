import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { propertyName, propertyValue } from '../../engine/ast/object-literal';
import type { FixReport, SpanEdit } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { DbCall } from './db-call';
import { freshName, importNameEdit, isElementPath, plural, simpleForOf } from './fix-shared';
import type { HandleResolver } from './handles';
import type { LoopContext } from './loop-context';

/**
 * `const customer = await repo.findOneBy({ id: order.customerId })` inside `for (const order of
 * orders)` becomes one `findBy({ id: In(orders.map((order) => order.customerId)) })` before the
 * loop, a Map by key, and `customerById.get(order.customerId) ?? null` inside it. Offered only
 * for a single-key lookup read from the loop element, so the rewrite is mechanical; the result
 * keeps the finder's `T | null` type.
 */
export function batchedFinderFix(db: DbCall, loop: LoopContext, file: ParsedFile, handles: HandleResolver): FixReport | undefined {
  if (db.orm === 'sequelize') return sequelizeFindByPkFix(db, loop, file, handles);
  if (db.orm === 'knex') return knexFirstFix(db, loop, file);
  const simple = simpleForOf(loop, file);
  const call = db.node;
  if (!simple || !ts.isCallExpression(call) || call.arguments.length !== 1) return undefined;
  const awaited = call.parent;
  if (!awaited || !ts.isAwaitExpression(awaited)) return undefined;
  const argument = unwrapExpression(call.arguments[0]!);
  if (!ts.isObjectLiteralExpression(argument)) return undefined;

  let where: ts.ObjectLiteralExpression | undefined;
  const kept: string[] = [];
  if (db.orm === 'typeorm' && db.method === 'findOneBy') {
    where = argument;
  } else if ((db.orm === 'typeorm' && db.method === 'findOne') || (db.orm === 'prisma' && /^(findUnique|findFirst)$/.test(db.method))) {
    for (const property of argument.properties) {
      const name = propertyName(property);
      const value = propertyValue(property);
      if (name === 'where' && value && ts.isObjectLiteralExpression(unwrapExpression(value))) where = unwrapExpression(value) as ts.ObjectLiteralExpression;
      else if (name && /^(relations|include)$/.test(name) && ts.isPropertyAssignment(property)) kept.push(property.getText(file.ast));
      else return undefined;
    }
  } else return undefined;
  if (!where || where.properties.length !== 1) return undefined;
  const only = where.properties[0]!;
  const key = propertyName(only);
  const value = propertyValue(only);
  if (!key || !value || !/^[A-Za-z_$][\w$]*$/.test(key) || !isElementPath(value, simple.element)) return undefined;
  if (db.orm === 'typeorm' && !ts.isCallExpression(call.expression) && !ts.isPropertyAccessExpression(call.expression)) return undefined;

  const handleText = db.handle.getText(file.ast);
  const valueText = value.getText(file.ast);
  const target = awaited.parent;
  const base = target && ts.isVariableDeclaration(target) && ts.isIdentifier(target.name) ? target.name.text : db.prismaModel ?? 'row';
  const rows = freshName(plural(base), simple.statement, file);
  const byKey = freshName(`${base}By${key[0]!.toUpperCase()}${key.slice(1)}`, simple.statement, file);
  const keys = `${simple.collection}.map((${simple.element}) => ${valueText})`;
  const extra = kept.length > 0 ? `, ${kept.join(', ')}` : '';
  const load =
    db.orm === 'typeorm'
      ? db.method === 'findOneBy'
        ? `${handleText}.findBy({ ${key}: In(${keys}) })`
        : `${handleText}.find({ where: { ${key}: In(${keys}) }${extra} })`
      : `${handleText}.${db.prismaModel}.findMany({ where: { ${key}: { in: ${keys} } }${extra} })`;
  const before = `const ${rows} = await ${load};\n${simple.indent}const ${byKey} = new Map(${rows}.map((row) => [row.${key}, row]));\n${simple.indent}`;
  const loopStart = simple.statement.getStart(file.ast);
  const lookup = `${byKey}.get(${valueText}) ?? null`;
  const needsParens = !(target && (ts.isVariableDeclaration(target) || ts.isReturnStatement(target) || ts.isExpressionStatement(target)));
  const edits: SpanEdit[] = [
    { span: { start: loopStart, end: loopStart }, newText: before },
    { span: { start: awaited.getStart(file.ast), end: awaited.end }, newText: needsParens ? `(${lookup})` : lookup },
  ];
  if (db.orm === 'typeorm') {
    const importEdit = importNameEdit(file, 'typeorm', 'In');
    if (importEdit) edits.push(importEdit);
  }
  return { title: `Load all ${rows} with one query before the loop and look them up in a Map`, isPreferred: false, edits };
}

/** The pieces every batched-finder rewrite shares: a load before the loop, a Map, a lookup in place of the await. */
function batchedEdits(
  file: ParsedFile,
  simple: NonNullable<ReturnType<typeof simpleForOf>>,
  awaited: ts.AwaitExpression,
  key: string,
  valueText: string,
  load: (keys: string) => string,
  missing: string,
): { edits: SpanEdit[]; rows: string } {
  const target = awaited.parent;
  const base = target && ts.isVariableDeclaration(target) && ts.isIdentifier(target.name) ? target.name.text : 'row';
  const rows = freshName(plural(base), simple.statement, file);
  const byKey = freshName(`${base}By${key[0]!.toUpperCase()}${key.slice(1)}`, simple.statement, file);
  const keys = `${simple.collection}.map((${simple.element}) => ${valueText})`;
  const before = `const ${rows} = await ${load(keys)};\n${simple.indent}const ${byKey} = new Map(${rows}.map((row) => [row.${key}, row]));\n${simple.indent}`;
  const loopStart = simple.statement.getStart(file.ast);
  const lookup = `${byKey}.get(${valueText})${missing}`;
  const needsParens = missing !== '' && !(target && (ts.isVariableDeclaration(target) || ts.isReturnStatement(target) || ts.isExpressionStatement(target)));
  return {
    rows,
    edits: [
      { span: { start: loopStart, end: loopStart }, newText: before },
      { span: { start: awaited.getStart(file.ast), end: awaited.end }, newText: needsParens ? `(${lookup})` : lookup },
    ],
  };
}

/**
 * Sequelize `await User.findByPk(post.authorId)` in a `for…of` → one
 * `User.findAll({ where: { id: keys } })` (an array value is `IN`) and a Map, when the model's
 * primary key is known from its declaration; `?? null` keeps `findByPk`'s result type.
 */
function sequelizeFindByPkFix(db: DbCall, loop: LoopContext, file: ParsedFile, handles: HandleResolver): FixReport | undefined {
  const simple = simpleForOf(loop, file);
  const call = db.node;
  if (!simple || db.method !== 'findByPk' || !ts.isCallExpression(call) || call.arguments.length !== 1 || !call.parent || !ts.isAwaitExpression(call.parent)) return undefined;
  const model = unwrapExpression(db.handle);
  if (!ts.isIdentifier(model)) return undefined;
  const key = handles.sequelizePrimaryKey(model.text);
  const value = call.arguments[0]!;
  if (!key || !/^[A-Za-z_$][\w$]*$/.test(key) || !isElementPath(value, simple.element)) return undefined;
  const valueText = value.getText(file.ast);
  const { edits, rows } = batchedEdits(file, simple, call.parent, key, valueText, (keys) => `${model.text}.findAll({ where: { ${key}: ${keys} } })`, ' ?? null');
  return { title: `Load all ${rows} with one findAll before the loop and look them up in a Map`, isPreferred: false, edits };
}

/**
 * Knex `await db('users').where('id', x.userId).first()` (or `.where({ id: x.userId })`) in a
 * `for…of` → one `whereIn('id', keys)` query before the loop and a Map; a missing key still
 * reads as `undefined`, like `first()`.
 */
function knexFirstFix(db: DbCall, loop: LoopContext, file: ParsedFile): FixReport | undefined {
  const simple = simpleForOf(loop, file);
  const first = db.whole;
  if (!simple || !first || !ts.isCallExpression(first) || first.arguments.length > 0 || !first.parent || !ts.isAwaitExpression(first.parent)) return undefined;
  const firstCallee = unwrapExpression(first.expression);
  if (!ts.isPropertyAccessExpression(firstCallee) || firstCallee.name.text !== 'first') return undefined;
  const where = unwrapExpression(firstCallee.expression);
  if (!ts.isCallExpression(where) || !ts.isPropertyAccessExpression(where.expression) || where.expression.name.text !== 'where') return undefined;
  const table = unwrapExpression(where.expression.expression);
  // `db('users')` / `this.knex('users')` with one string table name, nothing else in the chain.
  if (!ts.isCallExpression(table) || table.arguments.length !== 1 || !ts.isStringLiteralLike(table.arguments[0]!) || unwrapExpression(table.expression) !== unwrapExpression(db.handle)) return undefined;
  let key: string | undefined;
  let value: ts.Expression | undefined;
  if (where.arguments.length === 2 && ts.isStringLiteralLike(where.arguments[0]!)) {
    key = where.arguments[0].text;
    value = where.arguments[1];
  } else if (where.arguments.length === 1 && ts.isObjectLiteralExpression(unwrapExpression(where.arguments[0]!))) {
    const object = unwrapExpression(where.arguments[0]!) as ts.ObjectLiteralExpression;
    if (object.properties.length !== 1) return undefined;
    key = propertyName(object.properties[0]!);
    value = propertyValue(object.properties[0]!);
  }
  if (!key || !value || !/^[A-Za-z_$][\w$]*$/.test(key) || !isElementPath(value, simple.element)) return undefined;
  const valueText = value.getText(file.ast);
  const tableText = table.getText(file.ast);
  const { edits, rows } = batchedEdits(file, simple, first.parent, key, valueText, (keys) => `${tableText}.whereIn('${key}', ${keys})`, '');
  return { title: `Load all ${rows} with one whereIn query before the loop and look them up in a Map`, isPreferred: false, edits };
}
