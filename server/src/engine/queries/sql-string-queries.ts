import { ts } from 'ts-morph';
import { HandleResolver } from '../../rules/n-plus-one/handles';
import { recogniseDbCall } from '../../rules/n-plus-one/recognise-calls';
import { unwrapExpression } from '../ast/call-shape';
import { resolveName } from '../ast/scope';
import { isMigrationPath } from '../schema/migration-sources';
import type { ParsedFile } from '../source/parsed-file';
import { parseSql, sqlParserReady } from '../sql/sql-gate';
import type { ProjectView } from '../workspace/project-view';
import type { ExtractedQuery } from './query-model';
import type { QueryExtractor } from './query-sources';
import { analyseSqlStatement } from './sql-query-analysis';
import { sqlInCode, type PlaceholderStyle } from './sql-text-in-code';

/**
 * SQL strings handed to a database in code: `pool.query('…', [id])` / `client.query({ text })`
 * (pg), pg-promise's `db.any('…')`, postgres.js `sql\`…\``, Prisma `$queryRaw\`…\`` and
 * `$queryRawUnsafe('…')`, TypeORM `.query('…')` on a repository, manager, data source or query
 * runner (not in migrations: those run once), `knex.raw('…')`, Drizzle `db.execute(sql\`…\`)`,
 * Sequelize `sequelize.query('…')`. The receiver is recognised by the HandleResolver (imports and
 * declared types), never by the method name alone.
 */
export const sqlStringQueries: QueryExtractor = {
  id: 'sql-string',
  textHint: /\b(?:select|update|delete)\b[\s\S]*\b(?:from|set|where)\b/i,
  extract(file: ParsedFile, project: ProjectView): ExtractedQuery[] {
    const ast = file.ast;
    if (!ast) return [];
    if (!sqlParserReady()) throw new Error('the SQL parser is not loaded yet');
    const handles = new HandleResolver(file, project);
    const migration = isMigrationPath(file.filePath);
    const queries: ExtractedQuery[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
        const found = sqlArgumentOf(node, handles, migration);
        if (found) queries.push(...queriesFrom(found, ast));
      }
      ts.forEachChild(node, visit);
    };
    visit(ast);
    return queries;
  },
};

interface SqlArgument {
  sql: ts.Expression;
  style: PlaceholderStyle;
  /** Where findings about the whole query go, and how messages name it. */
  at: ts.Node;
}

function sqlArgumentOf(node: ts.CallExpression | ts.TaggedTemplateExpression, handles: HandleResolver, migration: boolean): SqlArgument | undefined {
  if (ts.isCallExpression(node)) {
    const runner = queryRunnerCall(node, handles, migration);
    if (runner) return runner;
  }
  const call = recogniseDbCall(node, handles);
  if (!call) return undefined;
  if (ts.isTaggedTemplateExpression(node)) {
    // postgres.js sql`…`, prisma.$queryRaw`…`
    if ((call.orm === 'pg' && call.method === 'sql') || (call.orm === 'prisma' && /^\$(query|execute)Raw$/.test(call.method))) return { sql: node, style: 'dollar', at: call.callee };
    return undefined;
  }
  const first = node.arguments[0];
  switch (call.orm) {
    case 'pg': {
      if (!first || call.node !== node) return undefined;
      const text = pgQueryText(first);
      if (!text) return undefined;
      const style: PlaceholderStyle = handles.kindOf(call.handle) === 'pg-promise' ? 'pg-promise' : 'dollar';
      return { sql: text, style, at: call.callee };
    }
    case 'prisma':
      // `$queryRawUnsafe('…', a)`, `$queryRaw(Prisma.sql\`…\`)`
      if (!first || !/^\$(query|execute)Raw(Unsafe)?$/.test(call.method)) return undefined;
      return { sql: first, style: 'dollar', at: call.callee };
    case 'typeorm':
      if (call.method !== 'query' || !first || migration || call.node !== node) return undefined;
      return { sql: first, style: 'dollar', at: call.callee };
    case 'sequelize': {
      if (call.method !== 'query' || !first) return undefined;
      const options = node.arguments[1] && unwrapExpression(node.arguments[1]);
      const replacements = options && ts.isObjectLiteralExpression(options) && options.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'replacements');
      return { sql: first, style: replacements ? 'question-or-named' : 'dollar', at: call.callee };
    }
    case 'knex': {
      if (call.method !== 'raw') return undefined;
      const raw = rootCall(node);
      const argument = raw?.arguments[0];
      return raw && argument ? { sql: argument, style: 'question', at: raw.expression } : undefined;
    }
    case 'drizzle': {
      if (call.method !== 'execute') return undefined;
      const execute = rootCall(node);
      const argument = execute?.arguments[0] && unwrapExpression(execute.arguments[0]);
      if (!execute || !argument || !ts.isTaggedTemplateExpression(argument) || !isDrizzleSqlTag(argument.tag, handles.file)) return undefined;
      return { sql: argument, style: 'dollar', at: execute.expression };
    }
    default:
      return undefined;
  }
}

/** pg: `query('…')`, `query({ text: '…', values })`. */
function pgQueryText(argument: ts.Expression): ts.Expression | undefined {
  const node = unwrapExpression(argument);
  if (!ts.isObjectLiteralExpression(node)) return node;
  for (const property of node.properties) {
    if (property.name && ts.isIdentifier(property.name) && property.name.text === 'text' && ts.isPropertyAssignment(property)) return property.initializer;
  }
  return undefined;
}

/**
 * TypeORM's QueryRunner, which the HandleResolver does not track: a parameter or variable typed
 * `QueryRunner` from typeorm, or made by `dataSource.createQueryRunner()`.
 */
function queryRunnerCall(node: ts.CallExpression, handles: HandleResolver, migration: boolean): SqlArgument | undefined {
  const callee = unwrapExpression(node.expression);
  if (migration || !ts.isPropertyAccessExpression(callee) || callee.name.text !== 'query' || !node.arguments[0]) return undefined;
  let receiver = unwrapExpression(callee.expression);
  if (ts.isPropertyAccessExpression(receiver) && receiver.name.text === 'queryRunner') receiver = unwrapExpression(receiver.expression);
  const isRunner = (expression: ts.Expression): boolean => {
    const inner = unwrapExpression(expression);
    if (ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) && inner.expression.name.text === 'createQueryRunner') {
      const owner = handles.kindOf(inner.expression.expression);
      return owner === 'typeorm-manager';
    }
    if (!ts.isIdentifier(inner)) return false;
    const binding = resolveName(inner.text, inner);
    if (!binding || (binding.kind !== 'parameter' && binding.kind !== 'variable')) return false;
    const type = binding.declaration.type;
    if (type && ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
      const imported = handles.file.imports.get(type.typeName.text);
      return imported?.module === 'typeorm' && imported.imported === 'QueryRunner';
    }
    return ts.isVariableDeclaration(binding.declaration) && !!binding.declaration.initializer && isRunner(binding.declaration.initializer);
  };
  return isRunner(receiver) ? { sql: node.arguments[0], style: 'dollar', at: callee } : undefined;
}

/** `sql` imported from drizzle-orm (or a sub-path). */
function isDrizzleSqlTag(tag: ts.Expression, file: ParsedFile): boolean {
  const node = unwrapExpression(tag);
  if (!ts.isIdentifier(node)) return false;
  const binding = file.imports.get(node.text);
  return !!binding && /^drizzle-orm(\/|$)/.test(binding.module) && binding.imported === 'sql';
}

/** The innermost call of a chain: `knex.raw(…)` in `knex.raw(…).then(…)`. */
function rootCall(node: ts.CallExpression): ts.CallExpression | undefined {
  let current: ts.CallExpression = node;
  for (let steps = 0; steps < 40; steps++) {
    const callee = unwrapExpression(current.expression);
    if (!ts.isPropertyAccessExpression(callee)) return current;
    const inner = unwrapExpression(callee.expression);
    if (!ts.isCallExpression(inner)) return current;
    current = inner;
  }
  return undefined;
}

function queriesFrom(found: SqlArgument, ast: ts.SourceFile): ExtractedQuery[] {
  const sql = sqlInCode(found.sql, ast, found.style);
  if (!sql) return [];
  const result = parseSql(sql.text);
  if (result.kind !== 'parsed') return [];
  const at = found.at;
  const span = { start: at.getStart(ast), end: at.getEnd() };
  const display = at.getText(ast).replace(/\s+/g, '');
  const queries: ExtractedQuery[] = [];
  for (const statement of result.statements) {
    const query = analyseSqlStatement(statement, { source: 'sql-string', toFileOffset: sql.toFileOffset, toFileEnd: sql.toFileEnd, span, display, sql: statement.text });
    if (query) queries.push(query);
  }
  return queries;
}
