import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { propertyName, propertyValue } from '../../engine/ast/object-literal';
import { enclosingFunctionOrFile, resolveName } from '../../engine/ast/scope';
import type { FixReport, SpanEdit } from '../../engine/model/rule';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { ProjectView } from '../../engine/workspace/project-view';
import type { DbCall } from './db-call';
import type { HandleResolver } from './handles';
import type { LoopContext } from './loop-context';
import { prismaRelationOver } from './prisma-relations';

/**
 * `const posts = await prisma.post.findMany(…)` then, per post, `await prisma.user.findUnique({
 * where: { id: post.authorId } })`, where schema.prisma says `Post.author` is the relation over
 * `authorId`: the load gains `include: { author: true }` and the per-element query becomes
 * `post.author`. Offered only when every piece is certain: the collection is a `const` without a
 * declared type (so the included relation reaches the element's type), the load has no `select`
 * (Prisma refuses `select` with `include`), the per-element query asks for nothing but that key.
 */
export function prismaIncludeFix(db: DbCall, loop: LoopContext, file: ParsedFile, handles: HandleResolver, project: ProjectView): FixReport | undefined {
  const call = db.node;
  if (db.orm !== 'prisma' || !/^(findUnique|findFirst)$/.test(db.method) || !db.prismaModel || !ts.isCallExpression(call) || call.arguments.length !== 1) return undefined;
  let awaited: ts.Node = call;
  while (awaited.parent && ts.isParenthesizedExpression(awaited.parent)) awaited = awaited.parent;
  if (!awaited.parent || !ts.isAwaitExpression(awaited.parent)) return undefined;
  awaited = awaited.parent;
  const element = loop.element;
  if (!element || !ts.isIdentifier(element) || !loop.collection) return undefined;
  // `(post: Post) => …` would keep the element typed without the relation.
  if (loop.callback && loop.callback.parameters.some((parameter) => parameter.name === element && parameter.type)) return undefined;
  if (ts.isForOfStatement(loop.node) && !(ts.isVariableDeclarationList(loop.node.initializer) && loop.node.initializer.flags & ts.NodeFlags.Const)) return undefined;

  // `{ where: { id: post.authorId } }` and nothing else.
  const argument = unwrapExpression(call.arguments[0]!);
  if (!ts.isObjectLiteralExpression(argument) || argument.properties.length !== 1 || propertyName(argument.properties[0]!) !== 'where') return undefined;
  const where = propertyValue(argument.properties[0]!);
  const whereObject = where && unwrapExpression(where);
  if (!whereObject || !ts.isObjectLiteralExpression(whereObject) || whereObject.properties.length !== 1 || !ts.isPropertyAssignment(whereObject.properties[0]!)) return undefined;
  const reference = propertyName(whereObject.properties[0]!);
  const keyValue = unwrapExpression(whereObject.properties[0]!.initializer);
  if (!reference || !ts.isPropertyAccessExpression(keyValue) || keyValue.questionDotToken || !ts.isIdentifier(keyValue.expression) || keyValue.expression.text !== element.text) return undefined;
  const foreignKey = keyValue.name.text;

  // The load: `const posts = await <client>.<model>.findMany(…)` in the same function as the loop.
  const collection = unwrapExpression(loop.collection);
  if (!ts.isIdentifier(collection)) return undefined;
  const binding = resolveName(collection.text, collection);
  if (!binding || binding.kind !== 'variable') return undefined;
  const declaration = binding.declaration;
  if (!ts.isVariableDeclaration(declaration) || declaration.type || !ts.isIdentifier(declaration.name) || !declaration.initializer) return undefined;
  const list = declaration.parent;
  if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
  if (enclosingFunctionOrFile(declaration) !== enclosingFunctionOrFile(loop.node)) return undefined;
  let init = unwrapExpression(declaration.initializer);
  if (!ts.isAwaitExpression(init)) return undefined;
  init = unwrapExpression(init.expression);
  if (!ts.isCallExpression(init) || init.arguments.length > 1) return undefined;
  const loadCallee = unwrapExpression(init.expression);
  if (!ts.isPropertyAccessExpression(loadCallee) || loadCallee.name.text !== 'findMany') return undefined;
  const delegate = unwrapExpression(loadCallee.expression);
  if (!ts.isPropertyAccessExpression(delegate) || delegate.name.text.startsWith('$') || handles.kindOf(unwrapExpression(delegate.expression)) !== 'prisma') return undefined;

  const relation = prismaRelationOver(project, file.filePath, delegate.name.text, db.prismaModel, foreignKey, reference);
  if (!relation) return undefined;
  const loadEdit = includeEdit(init, relation, file);
  if (!loadEdit) return undefined;
  const edits: SpanEdit[] = [loadEdit, { span: { start: awaited.getStart(file.ast), end: awaited.end }, newText: `${element.text}.${relation}` }];
  return { title: `Load \`${relation}\` with the findMany that loaded \`${collection.text}\` (include: { ${relation}: true }) and read \`${element.text}.${relation}\``, isPreferred: false, edits };
}

/** `findMany()` → `findMany({ include: { author: true } })`; an existing object or `include` object gains the relation. */
function includeEdit(load: ts.CallExpression, relation: string, file: ParsedFile): SpanEdit | undefined {
  const first = load.arguments[0];
  if (!first) return { span: { start: load.arguments.pos, end: load.arguments.pos }, newText: `{ include: { ${relation}: true } }` };
  const options = unwrapExpression(first);
  if (!ts.isObjectLiteralExpression(options)) return undefined;
  if (options.properties.some((property) => !ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property))) return undefined;
  const names = options.properties.map((property) => propertyName(property));
  if (names.includes('select') || names.some((name) => name === undefined)) return undefined;
  const include = options.properties.find((property) => propertyName(property) === 'include');
  if (include) {
    const value = ts.isPropertyAssignment(include) ? unwrapExpression(include.initializer) : undefined;
    if (!value || !ts.isObjectLiteralExpression(value)) return undefined;
    if (value.properties.some((property) => propertyName(property) === relation || !ts.isPropertyAssignment(property))) return undefined;
    const last = value.properties[value.properties.length - 1];
    return last ? { span: { start: last.end, end: last.end }, newText: `, ${relation}: true` } : { span: { start: value.getStart(file.ast), end: value.end }, newText: `{ ${relation}: true }` };
  }
  const last = options.properties[options.properties.length - 1];
  if (!last) return { span: { start: options.getStart(file.ast), end: options.end }, newText: `{ include: { ${relation}: true } }` };
  return { span: { start: last.end, end: last.end }, newText: `, include: { ${relation}: true }` };
}
