import * as path from 'node:path';
import { ts } from 'ts-morph';
import { unwrapExpression } from '../../engine/ast/call-shape';
import { enclosingFunctionOrFile } from '../../engine/ast/scope';
import { walkTree } from '../../engine/ast/walk';
import { defineRule, type FixReport } from '../../engine/model/rule';
import { isTestFile } from '../../engine/source/test-files';
import { RULE_ID, type DbCall } from './db-call';
import { batchedFinderFix } from './fix-batched-finder';
import { bulkWriteFix } from './fix-bulk-write';
import { prismaIncludeFix } from './fix-prisma-include';
import { calleeText } from './function-summaries';
import { checkGraphqlResolvers } from './graphql-check';
import { GRAPHQL_HINT } from './graphql-resolvers';
import { HandleResolver } from './handles';
import { perElementContext, type LoopContext } from './loop-context';
import { addRelationFix, recogniseLazyRelation } from './lazy-relation';
import { EXPLANATION, HELPER_EXPLANATION, helperMessage, lazyRelationMessage, readMessage, writeMessage } from './messages';
import { locateQuery, queryBehindCall } from './query-behind-call';
import { isRun, recogniseDbCall } from './recognise-calls';
import { awaitsBefore } from './awaits-before';

export interface NPlusOneOptions {
  includeTestFiles: boolean;
  includeOneOffScripts: boolean;
}

/**
 * One-off code: migrations, seeders and maintenance scripts run once, by hand or at deploy, on
 * data whose size is known. Matched on the path relative to the workspace root.
 */
const ONE_OFF_FOLDER = /(^|\/)(migrations?|migration-scripts|seeds?|seeders?|seeding|scripts)\//i;
const ONE_OFF_FILE = /(^|[/._-])(seed|seeder|seeds|migration)\.[cm]?[jt]sx?$|(^|\/)\d{8,}[-_][\w-]+\.[cm]?[jt]s$/i;

export function isOneOffScript(filePath: string, root: string): boolean {
  const relative = path.relative(root, filePath).replace(/\\/g, '/');
  const normalized = relative.startsWith('..') ? filePath.replace(/\\/g, '/') : relative;
  return ONE_OFF_FOLDER.test(normalized) || ONE_OFF_FILE.test(normalized);
}

/** A file with no loop and no iteration callback cannot hold an N+1. */
const LOOP_HINT = /\b(for|while)\s*\(|\bdo\s*\{|\.(forEach|map|flatMap|filter|reduce|reduceRight|some|every|find|findIndex|findLast)\s*\(|\b(mergeMap|concatMap|exhaustMap)\b/;
/** Arguments that already fetch many rows in one query. */
const BATCHED_ARGUMENT = /\bIn\s*\(|\bin\s*:|\[\s*Op\.in\s*\]|\$in\b|\binArray\s*\(|\bwhereIn\s*\(|=\s*(ANY|any)\s*\(|,\s*['"]in['"]\s*,|\b(in|IN)\s*\$\{\s*\w+\s*\(|\bwhereInIds\s*\(|\bunnest\s*\(/;

/** Queries and writes issued once per element of a collection. */
export const nPlusOne = defineRule<NPlusOneOptions>({
  meta: {
    id: RULE_ID,
    skill: 'database-optimizer',
    title: 'Database query or write once per element of a collection (N+1)',
    defaultSeverity: 'warning',
    fixable: true,
    languages: ['typescript', 'javascript'],
  },
  options: {
    includeTestFiles: { type: 'boolean', default: false, description: 'Also report loops in test files (specs, e2e suites, seeders under test folders).' },
    includeOneOffScripts: {
      type: 'boolean',
      default: false,
      description: 'Also report loops in one-off code: `migrations/`, `migration-scripts/`, `seeds/`, `seeders/`, `scripts/` folders and `seed.ts` / `*.seed.ts` / `*.migration.ts` files.',
    },
  },
  check(context) {
    const file = context.file;
    const ast = file.ast;
    if (!ast) return;
    const loops = LOOP_HINT.test(file.text);
    const graphql = GRAPHQL_HINT.test(file.text);
    if (!loops && !graphql) return;
    if (!context.options.includeTestFiles && isTestFile(file.filePath)) return;
    if (!context.options.includeOneOffScripts && isOneOffScript(file.filePath, context.project.root)) return;
    const handles = new HandleResolver(file, context.project);
    if (graphql) checkGraphqlResolvers(context, handles);
    if (!loops) return;
    const candidates: Array<ts.CallExpression | ts.TaggedTemplateExpression | ts.AwaitExpression> = [];
    walkTree(
      ast,
      (node) => {
        if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) candidates.push(node);
        // `await order.customer`: a TypeORM lazy relation, checked below.
        else if (ts.isAwaitExpression(node) && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression)) candidates.push(node);
      },
      () => context.checkpoint(),
    );
    for (const node of candidates) {
      context.checkpoint();
      const loop = perElementContext(node, file);
      if (!loop) continue;
      const loopLine = file.lineMap.positionAt(loop.node.getStart(ast)).line;
      const related = [{ span: loop.header, message: `the loop over ${loop.collection ? loop.collection.getText(ast).replace(/\s+/g, ' ').slice(0, 60) : 'the collection'}` }];
      if (ts.isAwaitExpression(node)) {
        const lazy = recogniseLazyRelation(node, loop, handles);
        if (!lazy) continue;
        const fix = addRelationFix(lazy, file);
        context.report({
          span: { start: lazy.access.getStart(ast), end: lazy.access.end },
          message: lazyRelationMessage(lazy, loop, loopLine),
          related,
          fixes: fix ? [fix] : [],
          explanation: EXPLANATION.typeorm,
        });
        continue;
      }
      const db = recogniseDbCall(node, handles);
      if (db) {
        if (isAlreadyBatched(db, loop)) continue;
        const text = db.display;
        const fixes: FixReport[] = [];
        const fix = db.access === 'read' ? batchedFinderFix(db, loop, file, handles) : bulkWriteFix(db, loop, file);
        if (fix) fixes.push(fix);
        const include = db.access === 'read' ? prismaIncludeFix(db, loop, file, handles, context.project) : undefined;
        if (include) fixes.push(include);
        context.report({
          span: { start: db.reportFrom.getStart(ast), end: db.callee.end },
          message: db.access === 'read' ? readMessage(db, text, loop, loopLine) : writeMessage(db, text, loop, loopLine),
          related,
          fixes,
          explanation: EXPLANATION[db.orm],
        });
        continue;
      }
      if (!ts.isCallExpression(node)) continue;
      const behind = queryBehindCall(node, file, context.project);
      if (!behind) continue;
      // `query = this.where(query, params)`: a helper that adds to a builder sends nothing unless the result is awaited.
      if (behind.site.returnsBuilder && !isRun(node)) continue;
      // A helper that starts with a Prisma `findUnique`, called for every element in one tick, is batched by Prisma too.
      if (/\.findUnique(OrThrow)?$/.test(behind.site.callee) && loop.inPromiseAll && loop.callback && !awaitsBefore(loop.callback, node.getStart())) continue;
      const located = locateQuery(behind, file, context.project);
      if (!located) continue;
      const { where } = located;
      const callee = unwrapExpression(node.expression);
      context.report({
        span: { start: callee.getStart(ast), end: callee.end },
        message: helperMessage(calleeText(callee), behind.site.callee, where, loop, loopLine, behind.site.access === 'write'),
        related: [
          ...related,
          located.related,
        ],
        explanation: HELPER_EXPLANATION,
      });
    }
  },
});

/**
 * Already one query for many keys (`In(ids)`, `{ in: ids }`), or Prisma `findUnique` calls
 * issued in the same tick, which Prisma's own dataloader merges into one `IN` query.
 */
function isAlreadyBatched(db: DbCall, loop: LoopContext): boolean {
  if (ts.isCallExpression(db.node) && db.node.arguments.some((argument) => BATCHED_ARGUMENT.test(argument.getText()))) return true;
  if (db.whole && BATCHED_ARGUMENT.test(db.whole.getText())) return true;
  // `for (const sql of statements) await prisma.$executeRawUnsafe(sql)`: distinct statements, not one query per row.
  if (ts.isCallExpression(db.node) && /Raw|^query$/.test(db.method) && db.node.arguments[0] && loop.element && ts.isIdentifier(loop.element)) {
    const first = unwrapExpression(db.node.arguments[0]);
    if (ts.isIdentifier(first) && first.text === loop.element.text) return true;
  }
  if (db.orm === 'prisma' && collectedForArrayTransaction(db.node, loop)) return true;
  if (db.orm === 'prisma' && /^findUnique(OrThrow)?$/.test(db.method) && loop.inPromiseAll && loop.callback) {
    return !awaitsBefore(loop.callback, db.node.getStart());
  }
  return false;
}

/**
 * `prisma.$transaction(items.map((item) => prisma.x.update(…)))`, or the un-awaited promises
 * collected in the loop and handed to an array `$transaction([...])` in the same function: the
 * batched form the docs recommend for rows that each get different values.
 */
function collectedForArrayTransaction(node: ts.Node, loop: LoopContext): boolean {
  let value: ts.Node = node;
  while (value.parent && (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent))) value = value.parent;
  if (value.parent && ts.isAwaitExpression(value.parent)) return false;
  const fn = enclosingFunctionOrFile(loop.node);
  let found = false;
  const visit = (current: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && current.expression.name.text === '$transaction') {
      const first = current.arguments[0] && unwrapExpression(current.arguments[0]);
      if (first && !ts.isArrowFunction(first) && !ts.isFunctionExpression(first)) found = true;
    }
    ts.forEachChild(current, visit);
  };
  visit(fn);
  return found;
}
