import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { ParsedFile } from '../source/parsed-file';
import { parseSql, sqlParserReady } from '../sql/sql-gate';
import type { FactExtractor } from '../workspace/project-view';
import type { CatalogIndex } from './catalog-model';
import { readDbMigrateUp } from './db-migrate-api';
import { upFunctions } from './js-migration-helpers';
import { looksLikeQueryInterface } from './sequelize-migration-source';
import { ddlOpsOf, type DdlOp } from './sql-ddl';

/** What one migration file (SQL, or a TypeORM migration class) does to the schema. */
export interface MigrationFacts {
  ops: DdlOp[];
  /** Orders migrations: a version or timestamp when the file carries one, else its path. */
  orderKey: string;
  /** Why (part of) the file was not read: another dialect, a syntax error. */
  skipped?: string;
}

/** Counts extractions, so tests can prove an unrelated edit re-extracts nothing. */
export const schemaExtractionStats = { sql: 0, typeormMigration: 0, typeormEntity: 0, prisma: 0 };

const DDL_HINT = /\b(?:create|alter|drop)\s+(?:unique\s+)?(?:table|index)\b/i;

function assertParserReady(): void {
  // The catalog asks for these facts only once the parser is loaded (see schema-catalog.ts): a fact
  // computed without it would be cached as "no schema" for this file version.
  if (!sqlParserReady()) throw new Error('the SQL parser is not loaded yet');
}

/** The order key of a migration path: Flyway `V1_2__x.sql` → `1.2`, a 13/14-digit timestamp, else the path. */
export function migrationOrderKey(filePath: string, className?: string): string {
  const timestamp = /(\d{13,14})/.exec(className ?? '') ?? /(?:^|[\\/_-])(\d{12,14})(?=[_\-.\\/]|$)/.exec(filePath);
  if (timestamp) return `t${timestamp[1]!.padEnd(17, '0')}`;
  const flyway = /[\\/]V(\d+(?:[._]\d+)*)__[^\\/]*\.sql$/i.exec(filePath);
  if (flyway) return `v${flyway[1]!.split(/[._]/).map((part) => part.padStart(8, '0')).join('.')}`;
  return `p${filePath}`;
}

export const sqlMigrationFacts: FactExtractor<MigrationFacts> = {
  id: 'schema/sql-migration',
  textHint: DDL_HINT,
  extract(file: ParsedFile): MigrationFacts {
    if (file.language !== 'sql') return { ops: [], orderKey: '' };
    // The down half of an up/down pair (golang-migrate, knex-style SQL pairs) undoes its up: not replayed.
    if (/\.down\.sql$/i.test(file.filePath)) return { ops: [], orderKey: migrationOrderKey(file.filePath) };
    assertParserReady();
    schemaExtractionStats.sql++;
    const result = parseSql(upSection(file.text));
    const orderKey = migrationOrderKey(file.filePath);
    if (result.kind === 'parsed' || result.kind === 'syntax-error') {
      const source = { kind: 'sql-migration' as const, filePath: file.filePath, toFileOffset: (offset: number) => offset };
      const ops = result.statements.flatMap((statement) => ddlOpsOf(statement, source));
      const skipped = result.kind === 'syntax-error' ? `a syntax error at line ${file.lineMap.positionAt(result.offset).line + 1}: ${result.message}; statements after it are not read` : undefined;
      return skipped ? { ops, orderKey, skipped } : { ops, orderKey };
    }
    return { ops: [], orderKey, skipped: result.reason };
  },
};

/**
 * A migration file that holds both directions (dbmate's `-- migrate:down`, goose's `-- +goose Down`)
 * is read up to its down section: replaying the down would drop what the up created.
 */
export function upSection(text: string): string {
  const down = /^--\s*(?:migrate:down|\+goose\s+down)\b/im.exec(text);
  return down ? text.slice(0, down.index) : text;
}

const TYPEORM_MIGRATION_HINT = /MigrationInterface|queryRunner\.(?:query|createIndex)/;

/**
 * A TypeORM migration class: the SQL strings `up()` passes to `queryRunner.query(…)` and its
 * `queryRunner.createIndex(table, new TableIndex({…}))` calls, ordered by the class's timestamp.
 */
export const typeormMigrationFacts: FactExtractor<MigrationFacts> = {
  id: 'schema/typeorm-migration',
  textHint: TYPEORM_MIGRATION_HINT,
  extract(file: ParsedFile): MigrationFacts {
    const ast = file.ast;
    if (!ast) return { ops: [], orderKey: '' };
    assertParserReady();
    schemaExtractionStats.typeormMigration++;
    const ops: DdlOp[] = [];
    let className: string | undefined;
    const problems: string[] = [];
    const visitClass = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) {
        const up = node.members.find((m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText(ast) === 'up');
        if (up?.body) {
          className ??= node.name?.text;
          collectUp(up.body, file, ops, problems);
        }
        return;
      }
      ts.forEachChild(node, visitClass);
    };
    visitClass(ast);
    const facts: MigrationFacts = { ops, orderKey: migrationOrderKey(file.filePath, className) };
    if (problems.length > 0) facts.skipped = problems.join('; ');
    return facts;
  },
};

const DB_MIGRATE_HINT = /\brunSql\s*\(|\.(?:createTable|addColumn|removeColumn|renameColumn|addIndex|removeIndex|addForeignKey)\b/;

/**
 * A db-migrate migration (`exports.up = function (db, cb) { db.runSql(`CREATE TABLE …`, cb); }`):
 * the SQL strings its `up` passes to `db.runSql(…)`, ordered by the file's timestamp. Read only in
 * a migrations folder, where `runSql` is db-migrate's and not some other library's method.
 */
export const dbMigrateFacts: FactExtractor<MigrationFacts> = {
  id: 'schema/db-migrate',
  textHint: DB_MIGRATE_HINT,
  extract(file: ParsedFile): MigrationFacts {
    const ast = file.ast;
    if (!ast || !/[\\/]migrations?[\\/]/i.test(file.filePath)) return { ops: [], orderKey: '' };
    assertParserReady();
    const ops: DdlOp[] = [];
    const problems: string[] = [];
    // Sequelize's queryInterface has a createTable / addIndex of its own: those files are the Sequelize source's.
    for (const up of upFunctions(ast)) if (!looksLikeQueryInterface(up, file)) readDbMigrateUp(up, file, ops, problems);
    const facts: MigrationFacts = { ops, orderKey: migrationOrderKey(file.filePath) };
    if (problems.length > 0) facts.skipped = problems.join('; ');
    return facts;
  },
};

function collectUp(body: ts.Node, file: ParsedFile, ops: DdlOp[], problems: string[], queryMethod = 'query', kind: 'typeorm-migration' | 'db-migrate-migration' = 'typeorm-migration'): void {
  const ast = file.ast!;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const first = node.arguments[0];
      if (method === queryMethod && first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
        const result = parseSql(first.text);
        // Offsets inside the string map to the file one to one when the literal has no escapes.
        const base = first.getStart(ast) + 1;
        const raw = first.getText(ast).slice(1, -1);
        const toFileOffset = raw === first.text ? (offset: number) => base + offset : () => base;
        if (result.kind === 'parsed' || result.kind === 'syntax-error') {
          for (const statement of result.statements) ops.push(...ddlOpsOf(statement, { kind, filePath: file.filePath, toFileOffset }));
          if (result.kind === 'syntax-error') problems.push(`a query string at line ${file.lineMap.positionAt(base).line + 1} does not parse: ${result.message}`);
        } else problems.push(result.reason);
      } else if (kind === 'typeorm-migration' && method === 'createIndex' && node.arguments.length >= 2) {
        const index = tableIndexOf(node.arguments[0]!, node.arguments[1]!, file);
        if (index) ops.push({ op: 'create-index', index, ifNotExists: false });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(body);
}

/** `createIndex('users', new TableIndex({ name, columnNames: [...], isUnique, where }))`. */
function tableIndexOf(tableArg: ts.Expression, indexArg: ts.Expression, file: ParsedFile): CatalogIndex | undefined {
  const ast = file.ast!;
  if (!ts.isStringLiteralLike(tableArg)) return undefined;
  if (!ts.isNewExpression(indexArg) || indexArg.expression.getText(ast) !== 'TableIndex') return undefined;
  const options = indexArg.arguments?.[0];
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  const props = new Map<string, ts.Expression>();
  for (const p of options.properties) if (ts.isPropertyAssignment(p)) props.set(p.name.getText(ast), p.initializer);
  const columnsExpr = props.get('columnNames');
  if (!columnsExpr || !ts.isArrayLiteralExpression(columnsExpr)) return undefined;
  const columns = columnsExpr.elements.filter(ts.isStringLiteralLike).map((e) => e.text);
  const [schema, table] = tableArg.text.includes('.') ? tableArg.text.split('.', 2) as [string, string] : ['public', tableArg.text];
  const name = props.get('name');
  const where = props.get('where');
  const index: CatalogIndex = {
    table,
    schema,
    keys: columns.map((column) => ({ column, descending: false })),
    unique: props.get('isUnique')?.kind === ts.SyntaxKind.TrueKeyword,
    primary: false,
    method: 'btree',
    include: [],
    origin: { kind: 'typeorm-migration', filePath: file.filePath, start: indexArg.getStart(ast), end: indexArg.getEnd() },
  };
  if (name && ts.isStringLiteralLike(name)) index.name = name.text;
  if (where && ts.isStringLiteralLike(where)) index.where = where.text;
  return index;
}

/** Whether a file path looks like it belongs to a migrations folder (for logs and fixes). */
export function isMigrationPath(filePath: string): boolean {
  return /[\\/](?:migrations?|db[\\/]migrate|flyway|sql)[\\/]/i.test(filePath) || /^V\d+/.test(path.basename(filePath));
}
