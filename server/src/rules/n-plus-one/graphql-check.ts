import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import type { RuleContext } from '../../engine/model/rule';
import { dataLoaderFix } from './fix-dataloader';
import { calleeText } from './function-summaries';
import { fieldResolvers, mentionsAny, parentNames } from './graphql-resolvers';
import type { HandleResolver } from './handles';
import { perElementContext } from './loop-context';
import { resolverExplanation, resolverMessage } from './messages';
import { locateQuery, queryBehindCall } from './query-behind-call';
import { isRun, recogniseDbCall } from './recognise-calls';
import { awaitsBefore } from './awaits-before';

/** `loader.load(id)`, `this.usersLoader.load(id)`, `ctx.loaders.user.loadMany(ids)`: already batched per request. */
const LOADER_METHOD = /^(load|loadMany|prime|clear|clearAll)$/;

/**
 * Field resolvers that query with their parent's key: GraphQL calls them once per parent object
 * in a list, so a list of N parents costs N queries. Reported once per resolver, at its first such
 * query. Calls inside a loop of the resolver are the loop check's business and are skipped here.
 */
export function checkGraphqlResolvers<O>(context: RuleContext<O>, handles: HandleResolver): void {
  const file = context.file;
  const ast = file.ast;
  if (!ast) return;
  const resolvers = fieldResolvers(file);
  if (resolvers.length === 0) return;
  const hasDataLoader = context.project.dependenciesOf(file.filePath).has('dataloader');
  const explanation = resolverExplanation(hasDataLoader);
  for (const resolver of resolvers) {
    context.checkpoint();
    const names = parentNames(resolver);
    if (names.size === 0 || !resolver.fn.body) continue;
    const related = [{ span: resolver.header, message: `the field resolver of \`${resolver.typeName}.${resolver.fieldName}\`, run once per \`${resolver.typeName}\`` }];
    for (const node of callsIn(resolver.fn.body)) {
      if (perElementContext(node, file)) continue;
      if (ts.isCallExpression(node) && isLoaderCall(node, handles)) continue;
      const db = recogniseDbCall(node, handles);
      if (db) {
        if (!keyedOnParent(db.whole ?? db.node, db.node, names)) continue;
        // Prisma merges `findUnique` calls made in one tick into one query: sibling resolvers are called in one tick.
        if (db.orm === 'prisma' && /^findUnique(OrThrow)?$/.test(db.method) && !awaitsBefore(resolver.fn, db.node.getStart(ast))) continue;
        // With `dataloader` installed, a NestJS field resolver's own finder by a parent key becomes a request-scoped loader.
        const fix = hasDataLoader ? dataLoaderFix(resolver, db, file) : undefined;
        context.report({
          span: { start: db.reportFrom.getStart(ast), end: db.callee.end },
          message: resolverMessage(resolver, db.display, undefined, hasDataLoader, db.access === 'write'),
          related,
          fixes: fix ? [fix] : [],
          explanation,
        });
        // One finding per resolver: a loader for its first query fixes the resolver, later queries hang off its result.
        break;
      }
      if (!ts.isCallExpression(node) || !keyedOnParent(node, node, names)) continue;
      const behind = queryBehindCall(node, file, context.project);
      if (!behind) continue;
      if (behind.site.returnsBuilder && !isRun(node)) continue;
      if (/\.findUnique(OrThrow)?$/.test(behind.site.callee) && !awaitsBefore(resolver.fn, node.getStart(ast))) continue;
      const located = locateQuery(behind, file, context.project);
      if (!located) continue;
      const { where } = located;
      const callee = unwrapExpression(node.expression);
      context.report({
        span: { start: callee.getStart(ast), end: callee.end },
        message: resolverMessage(resolver, calleeText(callee), { query: behind.site.callee, where }, hasDataLoader, behind.site.access === 'write'),
        related: [
          ...related,
          located.related,
        ],
        explanation,
      });
      break;
    }
  }
}

/** Calls and tagged templates in the resolver body, outermost first; nested classes are skipped. */
function callsIn(body: ts.Node): Array<ts.CallExpression | ts.TaggedTemplateExpression> {
  const calls: Array<ts.CallExpression | ts.TaggedTemplateExpression> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) return;
    if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(body);
  return calls;
}

/** The query's arguments (or any link of its builder chain) read the parent or a value computed from it. */
function keyedOnParent(whole: ts.Node, call: ts.CallExpression | ts.TaggedTemplateExpression, names: ReadonlySet<string>): boolean {
  if (ts.isTaggedTemplateExpression(call)) return mentionsAny(call.template, names) || (whole !== call && mentionsAny(whole, names));
  if (call.arguments.some((argument) => mentionsAny(argument, names))) return true;
  // `post.getAuthor()` (Sequelize), `book.author.load()` (MikroORM): the parent's own relation.
  if (mentionsAny(call.expression, names)) return true;
  if (whole === call) return false;
  // A builder chain: `db.select().from(users).where(eq(users.id, post.authorId))`; `post.author.load()` reads the parent itself.
  return mentionsAny(whole, names);
}

function isLoaderCall(call: ts.CallExpression, handles: HandleResolver): boolean {
  const callee = unwrapExpression(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !LOADER_METHOD.test(callee.name.text)) return false;
  const receiver = unwrapExpression(callee.expression);
  if (/loader/i.test(receiver.getText())) return true;
  // A value typed `DataLoader<…>` or made by `new DataLoader(…)`, whatever its name.
  if (ts.isIdentifier(receiver) || (ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword)) {
    const name = ts.isIdentifier(receiver) ? receiver.text : receiver.name.text;
    const local = handles.file.imports.localNamesFor(['dataloader']);
    if (local.length === 0) return false;
    const pattern = new RegExp(`\\b${name}\\b[^;=]*?(:\\s*(${local.join('|')})\\s*<|=\\s*new\\s+(${local.join('|')})\\b)`);
    return pattern.test(handles.file.text);
  }
  return false;
}
