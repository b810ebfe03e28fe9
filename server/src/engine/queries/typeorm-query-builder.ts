import { ts } from 'ts-morph';
import { HandleResolver } from '../../rules/n-plus-one/handles';
import { numericValue, unwrapExpression } from '../ast/call-shape';
import { resolveName } from '../ast/scope';
import type { Span } from '../model/location';
import type { ParsedFile } from '../source/parsed-file';
import { parseSql, sqlParserReady } from '../sql/sql-gate';
import type { ProjectView } from '../workspace/project-view';
import type { ExtractedQuery, TableRef } from './query-model';
import type { QueryExtractor } from './query-sources';
import { analyseSqlStatement } from './sql-query-analysis';
import { sqlInCode } from './sql-text-in-code';
import { repositoryEntity } from './typeorm-entity';
import { addSoftDeleteFilter } from './typeorm-find-queries';
import { typeormEntityFacts } from '../schema/orm-sources';

const TERMINALS = /^(getOne|getOneOrFail|getMany|getRawOne|getRawMany|getCount|getManyAndCount|getRawAndEntities|getExists|execute|stream)$/;
const JOINS = /^(inner|left)Join(AndSelect|AndMapOne|AndMapMany)?$/;
/** Builder methods that do not change what the query filters or sorts. */
const NEUTRAL = /^(select|addSelect|distinct|distinctOn|groupBy|addGroupBy|having|andHaving|orHaving|setParameter|setParameters|withDeleted|cache|setLock|useTransaction|printSql|loadRelationIdAndMap|loadRelationCountAndMap|comment|setFindOptions|from|set|returning|useIndex|maxExecutionTime|callListeners|updateEntity|whereInIds|andWhereInIds)$/;

/**
 * TypeORM QueryBuilder chains: `this.orders.createQueryBuilder('o').leftJoin('o.items', 'i')
 * .where('o.status = :status', { status }).orderBy('o.createdAt', 'DESC').take(20).getMany()`.
 * The string conditions are wrapped into a SELECT over the builder's aliases and read by the SQL
 * analysis (`:name` parameters become `$n`); columns stay entity properties, on a TableRef naming
 * the entity, which the catalog maps to its table. `Brackets`, callbacks and object conditions are
 * not followed: the query is then partial.
 */
export const typeormQueryBuilderQueries: QueryExtractor = {
  id: 'typeorm-query-builder',
  textHint: /createQueryBuilder\s*\(/,
  extract(file: ParsedFile, project: ProjectView): ExtractedQuery[] {
    const ast = file.ast;
    if (!ast) return [];
    if (!sqlParserReady()) throw new Error('the SQL parser is not loaded yet');
    const handles = new HandleResolver(file, project);
    const queries: ExtractedQuery[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && TERMINALS.test(node.expression.name.text)) {
        const query = builderQuery(node, node.expression, handles, file, project);
        if (query) queries.push(query);
      }
      ts.forEachChild(node, visit);
    };
    visit(ast);
    return queries;
  },
};

interface Step {
  name: string;
  call: ts.CallExpression;
}

/** The steps from `createQueryBuilder(…)` to the terminal, through a `const qb = …` built over several statements. */
function stepsOf(terminal: ts.CallExpression): { origin: ts.CallExpression; steps: Step[]; partial: boolean } | undefined {
  const steps: Step[] = [];
  let partial = false;
  let current: ts.Expression = unwrapExpression(terminal.expression);
  for (let guard = 0; guard < 60; guard++) {
    if (ts.isPropertyAccessExpression(current)) {
      current = unwrapExpression(current.expression);
      continue;
    }
    if (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression)) {
      const name = current.expression.name.text;
      if (name === 'createQueryBuilder') return { origin: current, steps: steps.reverse(), partial };
      steps.push({ name, call: current });
      current = unwrapExpression(current.expression.expression);
      continue;
    }
    if (ts.isIdentifier(current)) {
      const binding = resolveName(current.text, current);
      if (binding?.kind !== 'variable' || !binding.declaration.initializer) return undefined;
      // Calls on the variable between its declaration and the terminal, in statements of the same block.
      const block = binding.declaration.parent?.parent?.parent;
      const name = current.text;
      if (block && (ts.isBlock(block) || ts.isSourceFile(block))) {
        const later: Step[] = [];
        for (const statement of block.statements) {
          if (statement.pos <= binding.declaration.end || statement.end > terminal.pos) continue;
          if (ts.isExpressionStatement(statement)) {
            const chain = chainOn(statement.expression, name);
            if (chain) later.push(...chain);
            else if (mentions(statement, name)) partial = true;
          } else if (mentions(statement, name)) partial = true; // `if (x) qb.andWhere(…)`: only sometimes
        }
        steps.push(...later.reverse());
      }
      current = unwrapExpression(binding.declaration.initializer);
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** `qb.andWhere(…).orderBy(…)` (or `qb = qb.andWhere(…)`) as steps on `name`. */
function chainOn(expression: ts.Expression, name: string): Step[] | undefined {
  let node = unwrapExpression(expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left) && node.left.text === name) node = unwrapExpression(node.right);
  const steps: Step[] = [];
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    steps.push({ name: node.expression.name.text, call: node });
    node = unwrapExpression(node.expression.expression);
  }
  return ts.isIdentifier(node) && node.text === name && steps.length > 0 ? steps.reverse() : undefined;
}

function mentions(node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (child: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(child) && child.text === name) found = true;
    else ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

/** SQL text assembled from fixed text and pieces of code, each character mapped back to the file. */
class Composer {
  text = '';
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(private readonly fallback: Span) {}

  fixed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      this.starts.push(this.fallback.start);
      this.ends.push(this.fallback.end);
    }
    this.text += text;
  }

  piece(sql: { text: string; toFileOffset: (o: number) => number; toFileEnd: (o: number) => number }): void {
    for (let i = 0; i < sql.text.length; i++) {
      this.starts.push(sql.toFileOffset(i));
      this.ends.push(sql.toFileEnd(i));
    }
    this.text += sql.text;
  }

  toFileOffset = (offset: number): number => this.starts[Math.min(offset, this.starts.length - 1)] ?? this.fallback.start;
  toFileEnd = (offset: number): number => this.ends[Math.min(offset, this.ends.length - 1)] ?? this.fallback.end;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function builderQuery(terminal: ts.CallExpression, callee: ts.PropertyAccessExpression, handles: HandleResolver, file: ParsedFile, project: ProjectView): ExtractedQuery | undefined {
  const ast = file.ast!;
  const found = stepsOf(terminal);
  if (!found) return undefined;
  const { origin, steps } = found;
  let partial = found.partial;
  const handle = unwrapExpression((origin.expression as ts.PropertyAccessExpression).expression);
  const kind = handles.kindOf(handle);
  let entity: string | undefined;
  let alias: string | undefined;
  const [first, second] = origin.arguments.map((a) => unwrapExpression(a));
  if (kind === 'typeorm-repository') {
    entity = repositoryEntity(handle);
    alias = first && ts.isStringLiteralLike(first) ? first.text : undefined;
  } else if (kind === 'typeorm-manager') {
    if (first && ts.isIdentifier(first)) entity = first.text;
    alias = second && ts.isStringLiteralLike(second) ? second.text : undefined;
    if (!first) {
      // `dataSource.createQueryBuilder().select(…).from(Order, 'o')`
      const from = steps.find((step) => step.name === 'from');
      const [target, name] = from?.call.arguments.map((a) => unwrapExpression(a)) ?? [];
      if (target && ts.isIdentifier(target)) entity = target.text;
      if (name && ts.isStringLiteralLike(name)) alias = name.text;
    }
  } else return undefined;
  if (!entity || !alias) return undefined;

  let operation: ExtractedQuery['operation'] = callee.name.text === 'getCount' ? 'count' : 'select';
  const tables = new Map<string, TableRef>([['__qb0', { kind: 'orm', orm: 'typeorm', name: entity }]]);
  const aliases = new Set([alias]);
  const callSpan = { start: callee.name.getStart(ast), end: callee.name.getEnd() };
  const tableSpan = { start: handle.getStart(ast), end: handle.getEnd() };
  const joins: Array<{ alias: string; table?: string; relation?: { owner: string; property: string; node: ts.Node }; condition?: ts.Expression; left: boolean; node: ts.Node }> = [];
  const conditions: Array<{ connector: 'AND' | 'OR'; expression: ts.Expression }> = [];
  let order: Array<{ sort: ts.Expression; direction?: ts.Expression; nulls?: ts.Expression }> = [];
  let limit: ExtractedQuery['limit'];
  let offset: ExtractedQuery['offset'];
  let offsetSpan: Span | undefined;

  for (const { name, call } of steps) {
    const args = call.arguments.map((a) => unwrapExpression(a));
    if (name === 'where' || name === 'andWhere' || name === 'orWhere') {
      const condition = args[0];
      if (!condition || !(ts.isStringLiteralLike(condition) || ts.isTemplateExpression(condition) || ts.isBinaryExpression(condition) || ts.isIdentifier(condition))) {
        partial = true; // Brackets, a callback, an object: not followed
        if (name === 'where') conditions.length = 0;
        continue;
      }
      if (name === 'where') conditions.length = 0;
      conditions.push({ connector: name === 'orWhere' ? 'OR' : 'AND', expression: condition });
    } else if (name === 'orderBy' || name === 'addOrderBy') {
      if (name === 'orderBy') order = [];
      const sort = args[0];
      if (sort && ts.isObjectLiteralExpression(sort)) {
        for (const property of sort.properties) {
          if (ts.isPropertyAssignment(property) && ts.isStringLiteralLike(property.name)) order.push({ sort: property.name, direction: property.initializer });
          else partial = true;
        }
      } else if (sort) order.push({ sort, ...(args[1] ? { direction: args[1] } : {}), ...(args[2] ? { nulls: args[2] } : {}) });
    } else if (JOINS.test(name)) {
      const [target, joinAlias, condition] = args;
      if (!target || !joinAlias || !ts.isStringLiteralLike(joinAlias)) {
        partial = true;
        continue;
      }
      aliases.add(joinAlias.text);
      const join: (typeof joins)[number] = { alias: joinAlias.text, left: name.startsWith('left'), node: target };
      if (condition && (ts.isStringLiteralLike(condition) || ts.isTemplateExpression(condition))) join.condition = condition;
      if (ts.isStringLiteralLike(target) && /^\w+\.\w+$/.test(target.text)) {
        const [owner, property] = target.text.split('.') as [string, string];
        join.relation = { owner, property, node: target };
      } else if (ts.isIdentifier(target)) join.table = target.text;
      joins.push(join);
    } else if (name === 'skip' || name === 'offset') {
      if (!args[0]) continue;
      offset = numericValue(args[0]) !== undefined ? 'constant' : 'variable';
      offsetSpan = { start: args[0].getStart(ast), end: args[0].getEnd() };
    } else if (name === 'take' || name === 'limit') {
      if (args[0]) limit = numericValue(args[0]) !== undefined ? 'constant' : 'variable';
    } else if (name === 'update' || name === 'softDelete' || name === 'restore') operation = 'update';
    else if (name === 'delete') operation = 'delete';
    else if (name === 'insert' || name === 'relation') return undefined;
    else if (!NEUTRAL.test(name)) partial = true;
  }

  const composer = new Composer(callSpan);
  const code = (expression: ts.Expression): boolean => {
    const sql = sqlInCode(expression, ast, { typeormAliases: aliases });
    if (!sql) return false;
    composer.piece(sql);
    return true;
  };
  composer.fixed(`SELECT * FROM "__qb0" ${quote(alias)}`);
  const relationKeys: Array<{ alias: string; property: string; node: ts.Node }> = [];
  joins.forEach((join, i) => {
    const related = join.relation ? relationTarget(join.relation.owner === alias ? entity! : undefined, join.relation.property, file, project) : undefined;
    const tableName = join.table ?? related?.entity;
    composer.fixed(` ${join.left ? 'LEFT' : 'INNER'} JOIN `);
    if (tableName) {
      tables.set(`__qb${i + 1}`, { kind: 'orm', orm: 'typeorm', name: tableName });
      composer.fixed(`"__qb${i + 1}" ${quote(join.alias)} ON `);
    } else composer.fixed(`(SELECT 1) ${quote(join.alias)} ON `);
    if (related?.lookupProperty && join.relation) relationKeys.push({ alias: join.alias, property: related.lookupProperty, node: join.relation.node });
    if (!join.condition || !code(join.condition)) {
      if (join.condition) partial = true;
      composer.fixed('TRUE');
    }
  });
  if (conditions.length > 0) {
    composer.fixed(' WHERE ');
    conditions.forEach((condition, i) => {
      if (i > 0) composer.fixed(` ${condition.connector} `);
      composer.fixed('(');
      if (!code(condition.expression)) {
        partial = true;
        composer.fixed('TRUE');
      }
      composer.fixed(')');
    });
  }
  const keys = order.filter((key) => ts.isStringLiteralLike(key.sort));
  if (keys.length !== order.length) partial = true;
  if (keys.length > 0) {
    composer.fixed(' ORDER BY ');
    keys.forEach((key, i) => {
      if (i > 0) composer.fixed(', ');
      if (!code(key.sort)) {
        partial = true;
        composer.fixed('1');
        return;
      }
      const direction = key.direction && ts.isStringLiteralLike(key.direction) ? key.direction.text.toUpperCase() : 'ASC';
      composer.fixed(direction === 'DESC' ? ' DESC' : ' ASC');
      if (key.nulls && ts.isStringLiteralLike(key.nulls)) composer.fixed(/FIRST/i.test(key.nulls.text) ? ' NULLS FIRST' : ' NULLS LAST');
    });
  }
  const result = parseSql(composer.text);
  if (result.kind !== 'parsed' || result.statements.length !== 1) return undefined;
  const query = analyseSqlStatement(result.statements[0]!, {
    source: 'typeorm',
    toFileOffset: composer.toFileOffset,
    toFileEnd: composer.toFileEnd,
    span: callSpan,
    display: `${handle.getText(ast).replace(/\s+/g, '')}.createQueryBuilder(…).${callee.name.text}`,
    tableRef: (name) => tables.get(name),
    partial,
  });
  if (!query) return undefined;
  query.operation = operation;
  delete query.sql;
  query.accesses[0]!.span = tableSpan;
  for (const key of relationKeys) {
    const access = query.accesses.find((a) => a.alias === key.alias);
    access?.joinKeys.push({ column: key.property, op: 'eq', span: { start: key.node.getStart(ast), end: key.node.getEnd() } });
  }
  for (const access of query.accesses.slice(1)) {
    const join = joins.find((j) => j.alias === access.alias);
    if (join) access.span = { start: join.node.getStart(ast), end: join.node.getEnd() };
  }
  // Like the finders, a SELECT builder adds `<alias>.<deleteDate> IS NULL` for an entity with a
  // `@DeleteDateColumn`, unless `.withDeleted()` asks for the deleted rows too.
  if ((operation === 'select' || operation === 'count') && !steps.some((step) => step.name === 'withDeleted')) {
    const deleteDate = deleteDateColumnOf(entity, project);
    if (deleteDate) addSoftDeleteFilter(query.accesses[0]!, deleteDate, terminal);
  }
  if (limit) query.limit = limit;
  else delete query.limit;
  if (offset) {
    query.offset = offset;
    if (offsetSpan) query.offsetSpan = offsetSpan;
  }
  return query;
}

/** The `@DeleteDateColumn` property of the entity class `name`, when exactly one entity has that name. */
function deleteDateColumnOf(name: string, project: ProjectView): string | undefined {
  const found = project.allFacts(typeormEntityFacts).flatMap(({ facts }) => facts.entities.filter((entity) => entity.className === name));
  return found.length === 1 ? found[0]!.deleteDateColumn : undefined;
}

/**
 * The entity a relation property leads to and the property of that entity the join looks rows up
 * by: `@OneToMany(() => Item, (item) => item.order) items` joins Item by `order`;
 * `@ManyToOne(() => Customer) customer` joins Customer by its primary key. Read from the owner
 * entity's class, in this file or the file it is imported from.
 */
function relationTarget(owner: string | undefined, property: string, file: ParsedFile, project: ProjectView): { entity: string; lookupProperty?: string } | undefined {
  if (!owner) return undefined;
  const ownerClass = findClass(owner, file, project);
  if (!ownerClass) return undefined;
  const member = ownerClass.cls.members.find((m): m is ts.PropertyDeclaration => ts.isPropertyDeclaration(m) && !!m.name && ts.isIdentifier(m.name) && m.name.text === property);
  if (!member) return undefined;
  for (const decorator of ts.getDecorators(member) ?? []) {
    const expression = decorator.expression;
    if (!ts.isCallExpression(expression) || !ts.isIdentifier(expression.expression)) continue;
    const kind = expression.expression.text;
    if (!/^(OneToMany|ManyToOne|OneToOne)$/.test(kind)) continue;
    const target = expression.arguments[0];
    const body = target && ts.isArrowFunction(target) ? target.body : undefined;
    if (!body || !ts.isIdentifier(body)) return undefined;
    const entity = body.text;
    if (kind === 'OneToMany') {
      const inverse = expression.arguments[1];
      const inverseBody = inverse && ts.isArrowFunction(inverse) ? inverse.body : undefined;
      const lookupProperty = inverseBody && ts.isPropertyAccessExpression(inverseBody) ? inverseBody.name.text : inverse && ts.isStringLiteralLike(inverse) ? inverse.text : undefined;
      return lookupProperty ? { entity, lookupProperty } : { entity };
    }
    // ManyToOne / OneToOne: the related row is found by its primary key.
    const related = findClass(entity, ownerClass.file, project);
    const primary = related?.cls.members.find((m) => ts.isPropertyDeclaration(m) && (ts.getDecorators(m) ?? []).some((d) => /^Primary(Generated)?Column\b/.test(d.expression.getText(related.file.ast!))));
    const primaryName = primary && primary.name && ts.isIdentifier(primary.name) ? primary.name.text : undefined;
    return primaryName ? { entity, lookupProperty: primaryName } : { entity };
  }
  return undefined;
}

function findClass(name: string, file: ParsedFile, project: ProjectView): { cls: ts.ClassDeclaration; file: ParsedFile } | undefined {
  const local = file.ast?.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name);
  if (local) return { cls: local, file };
  const binding = file.imports.get(name);
  if (!binding) return undefined;
  const target = project.resolveImport(file.filePath, binding.module);
  const other = target ? project.file(target) : undefined;
  const cls = other?.ast?.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === binding.imported);
  return cls && other ? { cls, file: other } : undefined;
}
