import { ts } from 'ts-morph';
import { unwrapExpression } from '../ast/call-shape';
import type { ParsedFile } from '../source/parsed-file';
import { sqlParserReady } from '../sql/sql-gate';
import type { FactExtractor } from '../workspace/project-view';
import type { CatalogColumn, CatalogIndex, ForeignKey, SchemaOrigin } from './catalog-model';
import { bodyOf, chainOf, inMigrationsFolder, objectProperties, originOf, parameterName, plainIndex, qualifiedName, sqlStringOps, stringListOf, stringOf, upFunctions, type ChainLink } from './js-migration-helpers';
import { migrationOrderKey, type MigrationFacts } from './migration-sources';
import type { DdlOp, QName } from './sql-ddl';

/**
 * Knex schema-builder migrations (`exports.up = (knex) => knex.schema.createTable('orders', (t) => {
 * t.increments(); t.integer('customer_id').references('customers.id'); t.index(['customer_id']); })`),
 * replayed like SQL migrations, in the order of their file names. Names follow Knex's own rules for
 * Postgres: `<table>_pkey`, `<table>_<columns>_index|_unique|_foreign`, `increments()` is `id`,
 * `timestamps()` is `created_at` / `updated_at`. SQL the migration runs itself (`knex.raw`,
 * `knex.schema.raw`) is read through the SQL gate. Only files in a migrations folder, and only calls
 * on `up`'s own first parameter, are read.
 */
const KIND = 'knex-migration' as const;
const NONE: MigrationFacts = Object.freeze({ ops: [], orderKey: '' }) as MigrationFacts;

export const knexMigrationFacts: FactExtractor<MigrationFacts> = {
  id: 'schema/knex-migration',
  textHint: /\.schema\s*\.|\.raw\s*\(/,
  extract(file: ParsedFile): MigrationFacts {
    const ast = file.ast;
    if (!ast || !inMigrationsFolder(file.filePath) || file.language === 'sql') return NONE;
    const ops: DdlOp[] = [];
    const problems: string[] = [];
    for (const up of upFunctions(ast)) {
      const knex = parameterName(up, 0);
      const body = bodyOf(up);
      if (!knex || !body || !looksLikeKnex(up, knex, file)) continue;
      if (!sqlParserReady()) throw new Error('the SQL parser is not loaded yet');
      new KnexReader(file, knex, ops, problems).visit(body);
    }
    if (ops.length === 0 && problems.length === 0) return NONE;
    const facts: MigrationFacts = { ops, orderKey: migrationOrderKey(file.filePath) };
    if (problems.length > 0) facts.skipped = problems.join('; ');
    return facts;
  },
};

/** `up(knex)`: typed `Knex`, named `knex`, imported from knex, or used as `<param>.schema`. */
function looksLikeKnex(up: ts.SignatureDeclaration, name: string, file: ParsedFile): boolean {
  const type = up.parameters[0]?.type?.getText(file.ast);
  if (type && /\bKnex\b/.test(type)) return true;
  if (name === 'knex' || file.imports.importsModule(['knex'])) return true;
  return new RegExp(`\\b${name}\\.schema\\b`).test(bodyOf(up)!.getText(file.ast));
}

const COLUMN_TYPES = new Set([
  'increments', 'bigIncrements', 'integer', 'bigInteger', 'bigint', 'tinyint', 'smallint', 'mediumint', 'text', 'string', 'float', 'double',
  'decimal', 'real', 'boolean', 'date', 'datetime', 'dateTime', 'time', 'timestamp', 'timestamptz', 'binary', 'enum', 'enu', 'json', 'jsonb',
  'uuid', 'specificType', 'geometry', 'geography', 'point',
]);
/** The Postgres type of the Knex column methods whose name is not the type. */
const KNEX_TYPES: Record<string, string> = { increments: 'integer', bigIncrements: 'bigint', bigInteger: 'bigint', string: 'varchar', enu: 'text', enum: 'text', datetime: 'timestamptz', dateTime: 'timestamptz', double: 'double precision', binary: 'bytea', tinyint: 'smallint', mediumint: 'integer' };
const TABLE_METHODS = new Set(['createTable', 'createTableIfNotExists', 'table', 'alterTable']);

/** Knex's generated names: `(table + '_' + columns.join('_') + '_' + type).toLowerCase()`, dots and dashes to underscores. */
function knexName(table: string, columns: string[], type: 'index' | 'unique' | 'foreign'): string {
  return `${table.replace(/\.|-/g, '_')}_${columns.join('_')}_${type}`.toLowerCase();
}

class KnexReader {
  constructor(
    private readonly file: ParsedFile,
    private readonly knex: string,
    private readonly ops: DdlOp[],
    private readonly problems: string[],
  ) {}

  visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const chain = chainOf(node);
      if (chain && chain.root === this.knex) {
        if (chain.links.length === 1 && chain.links[0]!.name === 'raw') {
          this.ops.push(...sqlStringOps(node.arguments[0], this.file, KIND, this.problems));
          return;
        }
        if (chain.links[0]?.name === 'schema') {
          this.schemaChain(chain.links.slice(1));
          return;
        }
      }
    }
    ts.forEachChild(node, this.visit);
  };

  /** `knex.schema.withSchema('s').createTable(…).alterTable(…).raw(…)`, in order. */
  private schemaChain(links: ChainLink[]): void {
    let schema: string | undefined;
    for (const link of links) {
      const call = link.call;
      if (!call) continue;
      const args = call.arguments;
      if (link.name === 'withSchema') schema = stringOf(args[0]);
      else if (link.name === 'raw') this.ops.push(...sqlStringOps(args[0], this.file, KIND, this.problems));
      else if (TABLE_METHODS.has(link.name)) {
        const name = stringOf(args[0]);
        const callback = args[1] && unwrapExpression(args[1]);
        if (!name || !callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) continue;
        const table = qualifiedName(name, schema);
        const builder = parameterName(callback, 0);
        if (!builder) continue;
        const tableOps = new TableReader(this.file, table, builder).read(callback.body);
        if (link.name.startsWith('createTable')) this.ops.push(createTableOp(table, tableOps, link.name === 'createTableIfNotExists', originOf(KIND, this.file, call)));
        else this.ops.push(...tableOps);
      } else if (link.name === 'dropTable' || link.name === 'dropTableIfExists') {
        const name = stringOf(args[0]);
        if (name) this.ops.push({ op: 'drop-table', names: [qualifiedName(name, schema)] });
      } else if (link.name === 'renameTable') {
        const from = stringOf(args[0]);
        const to = stringOf(args[1]);
        if (from && to) this.ops.push({ op: 'rename-table', table: qualifiedName(from, schema), to });
      } else {
        // `.then(() => knex.schema…)`, `hasTable(…)`: schema calls may sit in the arguments.
        for (const arg of args) this.visit(arg);
      }
    }
  }
}

/** The operations a `createTable` callback performs, folded into the one CREATE TABLE Knex sends. */
function createTableOp(table: QName, ops: DdlOp[], ifNotExists: boolean, origin: SchemaOrigin): DdlOp {
  const columns: CatalogColumn[] = [];
  const indexes: CatalogIndex[] = [];
  const foreignKeys: ForeignKey[] = [];
  for (const op of ops) {
    if (op.op === 'add-column') {
      columns.push(op.column);
      indexes.push(...op.indexes);
      foreignKeys.push(...op.foreignKeys);
    } else if (op.op === 'create-index') indexes.push(op.index);
    else if (op.op === 'add-constraint') {
      indexes.push(...op.indexes);
      foreignKeys.push(...op.foreignKeys);
    }
  }
  return { op: 'create-table', table, ifNotExists, columns, indexes, foreignKeys, origin };
}

/** The statements of one table-builder callback (`(t) => { t.string('email').unique(); t.index(['a', 'b']); }`). */
class TableReader {
  private readonly ops: DdlOp[] = [];

  constructor(
    private readonly file: ParsedFile,
    private readonly table: QName,
    private readonly builder: string,
  ) {}

  read(body: ts.Node): DdlOp[] {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const chain = chainOf(node);
        if (chain && chain.root === this.builder && chain.links[0]?.call) {
          this.statement(chain.links, node);
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(body);
    return this.ops;
  }

  private origin(node: ts.Node): SchemaOrigin {
    return originOf(KIND, this.file, node);
  }

  private statement(links: ChainLink[], node: ts.CallExpression): void {
    const head = links[0]!;
    const args = head.call!.arguments;
    const modifiers = links.slice(1);
    const origin = this.origin(node);
    const table = this.table;
    if (COLUMN_TYPES.has(head.name)) {
      const increments = head.name === 'increments' || head.name === 'bigIncrements';
      const name = stringOf(args[0]) ?? (increments ? 'id' : undefined);
      if (!name) return;
      const type = head.name === 'specificType' ? stringOf(args[1])?.toLowerCase() : KNEX_TYPES[head.name] ?? head.name.toLowerCase();
      this.column(name, type, increments && !optionIsFalse(args, 'primaryKey'), modifiers, origin);
      return;
    }
    switch (head.name) {
      case 'timestamps': {
        // `timestamps(useTimestampType?, defaultToNow?, useCamelCase?)`.
        const camel = unwrapExpression(args[2] ?? ts.factory.createFalse()).kind === ts.SyntaxKind.TrueKeyword;
        for (const name of camel ? ['createdAt', 'updatedAt'] : ['created_at', 'updated_at']) this.ops.push({ op: 'add-column', table, column: { name }, indexes: [], foreignKeys: [] });
        return;
      }
      case 'dropTimestamps': {
        const camel = unwrapExpression(args[0] ?? ts.factory.createFalse()).kind === ts.SyntaxKind.TrueKeyword;
        for (const column of camel ? ['createdAt', 'updatedAt'] : ['created_at', 'updated_at']) this.ops.push({ op: 'drop-column', table, column });
        return;
      }
      case 'index':
      case 'unique':
      case 'primary': {
        const columns = stringListOf(args[0]);
        if (!columns) return;
        const options = indexOptions(args[1], args[2], head.name === 'primary' ? 'constraintName' : 'indexName');
        if (head.name === 'index') {
          this.ops.push({ op: 'create-index', index: plainIndex(table, columns, { name: options.name ?? knexName(table.name, columns, 'index'), ...indexExtras(options) }, origin), ifNotExists: false });
        } else if (head.name === 'unique') {
          const index = plainIndex(table, columns, { name: options.name ?? knexName(table.name, columns, 'unique'), unique: true, ...indexExtras(options) }, origin);
          this.ops.push({ op: 'add-constraint', table, indexes: [index], foreignKeys: [] });
        } else this.ops.push({ op: 'add-constraint', table, indexes: [plainIndex(table, columns, { name: options.name ?? `${table.name}_pkey`, primary: true }, origin)], foreignKeys: [] });
        return;
      }
      case 'foreign': {
        const columns = stringListOf(args[0]);
        if (!columns) return;
        const fk: ForeignKey = { name: stringOf(args[1]) ?? knexName(table.name, columns, 'foreign'), columns, origin };
        referenceOf(modifiers, fk);
        this.ops.push({ op: 'add-constraint', table, indexes: [], foreignKeys: [fk] });
        return;
      }
      case 'dropColumn':
      case 'dropColumns':
        for (const arg of args) for (const column of stringListOf(arg) ?? []) this.ops.push({ op: 'drop-column', table, column });
        return;
      case 'renameColumn': {
        const from = stringOf(args[0]);
        const to = stringOf(args[1]);
        if (from && to) this.ops.push({ op: 'rename-column', table, from, to });
        return;
      }
      case 'dropIndex':
      case 'dropUnique': {
        const columns = stringListOf(args[0]) ?? [];
        const name = stringOf(args[1]) ?? (columns.length > 0 ? knexName(table.name, columns, head.name === 'dropIndex' ? 'index' : 'unique') : undefined);
        if (name) this.ops.push({ op: 'drop-index', names: [{ schema: table.schema, name }] });
        return;
      }
      case 'dropPrimary':
        this.ops.push({ op: 'drop-constraint', table, name: stringOf(args[0]) ?? `${table.name}_pkey` });
        return;
      case 'dropForeign': {
        const columns = stringListOf(args[0]) ?? [];
        const name = stringOf(args[1]) ?? (columns.length > 0 ? knexName(table.name, columns, 'foreign') : undefined);
        if (name) this.ops.push({ op: 'drop-constraint', table, name });
        return;
      }
      default:
        return;
    }
  }

  /** A column and what its modifiers declare: `.primary()`, `.unique()`, `.index()`, `.references(…)`, `.notNullable()`. */
  private column(name: string, type: string | undefined, primary: boolean, modifiers: ChainLink[], origin: SchemaOrigin): void {
    const table = this.table;
    const column: CatalogColumn = { name };
    if (type) column.type = type;
    const indexes: CatalogIndex[] = [];
    const foreignKeys: ForeignKey[] = [];
    if (primary) indexes.push(plainIndex(table, [name], { name: `${table.name}_pkey`, primary: true }, origin));
    for (const modifier of modifiers) {
      const args = modifier.call?.arguments ?? [];
      if (modifier.name === 'notNullable') column.notNull = true;
      else if (modifier.name === 'primary') {
        const options = indexOptions(args[0], undefined, 'constraintName');
        indexes.push(plainIndex(table, [name], { name: options.name ?? `${table.name}_pkey`, primary: true }, origin));
      } else if (modifier.name === 'unique') {
        const options = indexOptions(args[0], undefined, 'indexName');
        indexes.push(plainIndex(table, [name], { name: options.name ?? knexName(table.name, [name], 'unique'), unique: true, ...indexExtras(options) }, origin));
      } else if (modifier.name === 'index') {
        const options = indexOptions(args[0], args[1], 'indexName');
        indexes.push(plainIndex(table, [name], { name: options.name ?? knexName(table.name, [name], 'index'), ...indexExtras(options) }, origin));
      } else if (modifier.name === 'references') {
        const fk: ForeignKey = { name: knexName(table.name, [name], 'foreign'), columns: [name], origin };
        referenceOf(modifiers, fk);
        foreignKeys.push(fk);
      }
    }
    if (modifiers.some((modifier) => modifier.name === 'alter')) {
      // `.alter()` changes an existing column: only the indexes and keys it declares are new.
      if (indexes.length > 0 || foreignKeys.length > 0) this.ops.push({ op: 'add-constraint', table, indexes, foreignKeys });
      return;
    }
    this.ops.push({ op: 'add-column', table, column, indexes, foreignKeys });
  }
}

/** `.references('customers.id')`, `.references('id').inTable('customers')`, `.withKeyName('fk')` / `foreignKeyName`. */
function referenceOf(modifiers: ChainLink[], fk: ForeignKey): void {
  for (const modifier of modifiers) {
    const args = modifier.call?.arguments ?? [];
    if (modifier.name === 'references') {
      const target = stringOf(args[0]);
      const options = objectProperties(args[0]);
      if (target?.includes('.')) {
        const dot = target.lastIndexOf('.');
        fk.referencedTable = target.slice(0, dot);
        fk.referencedColumns = [target.slice(dot + 1)];
      } else if (target) fk.referencedColumns = [target];
      const keyName = stringOf(options.get('foreignKeyName') ?? (args[1] && objectProperties(args[1]).get('foreignKeyName')));
      if (keyName) fk.name = keyName;
    } else if (modifier.name === 'inTable') {
      const table = stringOf(args[0]);
      if (table) fk.referencedTable = table;
    } else if (modifier.name === 'withKeyName') {
      const keyName = stringOf(args[0]);
      if (keyName) fk.name = keyName;
    }
  }
}


function optionIsFalse(args: readonly ts.Expression[], key: string): boolean {
  return args.some((arg) => {
    const value = objectProperties(arg).get(key);
    return value !== undefined && unwrapExpression(value).kind === ts.SyntaxKind.FalseKeyword;
  });
}

interface IndexOptions {
  name?: string;
  indexType?: string;
  predicate?: ts.Expression;
}

/** `(name)`, `(name, 'GIN')`, `(name, { indexType, predicate })` or `({ indexName, indexType, predicate })`. */
function indexOptions(first: ts.Expression | undefined, second: ts.Expression | undefined, nameKey: string): IndexOptions {
  const options: IndexOptions = {};
  const name = stringOf(first);
  if (name) options.name = name;
  for (const arg of [first, second]) {
    const props = objectProperties(arg);
    const named = stringOf(props.get(nameKey));
    if (named) options.name = named;
    const indexType = stringOf(props.get('indexType'));
    if (indexType) options.indexType = indexType;
    const predicate = props.get('predicate');
    if (predicate) options.predicate = predicate;
  }
  const type = stringOf(second);
  if (type) options.indexType = type;
  return options;
}

/** An index's method and partial predicate: `indexType: 'GIN'`, `predicate: knex.whereNotNull('email')`. */
function indexExtras(options: IndexOptions): { method?: string; where?: string; whereColumns?: string[] } {
  const extras: { method?: string; where?: string; whereColumns?: string[] } = {};
  if (options.indexType && /^(btree|hash|gist|gin|brin|spgist)$/i.test(options.indexType)) extras.method = options.indexType.toLowerCase();
  if (options.predicate) {
    const predicate = predicateOf(options.predicate);
    // A predicate we cannot render still makes the index partial: it is not assumed to serve every query.
    extras.where = predicate?.text ?? options.predicate.getText();
    extras.whereColumns = predicate?.columns ?? [];
  }
  return extras;
}

/** `knex.whereNotNull('a')`, `knex.whereNull('a')`, `knex.where('a', 'x')` / `.where({ a: 'x' })`, chained with `.andWhere…`. */
function predicateOf(expression: ts.Expression): { text: string; columns: string[] } | undefined {
  const chain = chainOf(expression);
  if (!chain || chain.links.length === 0) return undefined;
  const parts: string[] = [];
  const columns: string[] = [];
  const quote = (name: string): string => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
  const literal = (value: ts.Expression | undefined): string | undefined => {
    const node = value && unwrapExpression(value);
    if (!node) return undefined;
    if (ts.isStringLiteralLike(node)) return `'${node.text.replace(/'/g, "''")}'`;
    if (ts.isNumericLiteral(node) || node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) return node.getText();
    return undefined;
  };
  for (const link of chain.links) {
    const args = link.call?.arguments ?? [];
    const column = stringOf(args[0]);
    const name = link.name.replace(/^andW/, 'w');
    if ((name === 'whereNotNull' || name === 'whereNull') && column) {
      parts.push(`${quote(column)} IS ${name === 'whereNull' ? '' : 'NOT '}NULL`);
      columns.push(column);
    } else if (name === 'where' && column && args.length === 2 && literal(args[1])) {
      parts.push(`${quote(column)} = ${literal(args[1])}`);
      columns.push(column);
    } else return undefined;
  }
  return parts.length > 0 ? { text: parts.join(' AND '), columns } : undefined;
}
