import type { Span } from '../model/location';
import { expressionText } from '../schema/sql-ddl';
import type { PgNode, SqlStatement } from '../sql/sql-gate';
import { byteOffsetMapper } from '../sql/sql-lexer';
import type { ColumnFilter, ConstantValue, ExtractedQuery, FilterOp, QuerySourceKind, SortKey, TableAccess, TableRef } from './query-model';

/**
 * What a SELECT, UPDATE or DELETE asks of its tables, read from libpg-query's JSON tree: the
 * tables of its FROM, the columns its top-level WHERE constrains (and how), the columns its joins
 * look rows up by, its ORDER BY, LIMIT and OFFSET. Expressions around a column are written with
 * `expressionText`, the normaliser the catalog uses for expression index keys, so `lower(email)`
 * in a query and in an index compare as text. Subqueries, CTEs and functions in FROM are not
 * followed: such a FROM item is known by its alias only and gets no access.
 */

export interface SqlAnalysisOptions {
  source: QuerySourceKind;
  /** The file offset of an offset in the text the statement was parsed from (identity for a `.sql` file). */
  toFileOffset: (offset: number) => number;
  /**
   * The file offset just after the character at an offset of the parsed text, when characters
   * are not one to one with the file (SQL assembled from code literals with escapes).
   */
  toFileEnd?: (offset: number) => number;
  /** Where a finding about the whole query goes; the statement itself by default. */
  span?: Span;
  /** How messages name the query; `SELECT … FROM orders` by default. */
  display?: string;
  /** The SQL to record in `ExtractedQuery.sql`; the statement's text by default. */
  sql?: string;
  /**
   * Names a table of the FROM (as written, folded by the parser) as a TableRef; `undefined` makes
   * it unknown. The TypeORM QueryBuilder maps its aliases' placeholder tables to entities here.
   */
  tableRef?: (name: string, schema: string | undefined) => TableRef | undefined;
  /** Set when the caller already knows part of the query could not be read (a dynamic condition). */
  partial?: boolean;
}

/** A FROM item: a base table with its access, or something not followed (a subquery, a CTE, a function). */
interface FromItem {
  alias?: string;
  /** The table name as written (without schema) for a table without alias. */
  name?: string;
  access?: TableAccess;
  /** The order in which the item appears, to tell the joined (later) side of an equality. */
  order: number;
}

interface ColumnTarget {
  access: TableAccess;
  column: string;
  expression?: string;
  span: Span;
  order: number;
}

type Side =
  | { kind: 'column'; target: ColumnTarget }
  | { kind: 'value'; constants?: ConstantValue[] }
  /** A column of an unknown item, an ambiguous name, or an expression over several columns: nothing can be said. */
  | { kind: 'unknown'; ambiguous: boolean; order?: number }
  | { kind: 'subquery' };

const RANGE_OPS = new Set(['<', '<=', '>', '>=']);
const NOT_OPS = new Set(['<>', '!=']);

/** Analyses one statement; undefined for anything but a SELECT, UPDATE or DELETE that reads a base table. */
export function analyseSqlStatement(statement: SqlStatement, options: SqlAnalysisOptions): ExtractedQuery | undefined {
  const body = statement.node?.[statement.kind];
  if (!body) return undefined;
  if (statement.kind === 'SelectStmt') return new StatementAnalysis(statement, options).select(body);
  if (statement.kind === 'UpdateStmt') return new StatementAnalysis(statement, options).modify(body, 'update', body.fromClause);
  if (statement.kind === 'DeleteStmt') return new StatementAnalysis(statement, options).modify(body, 'delete', body.usingClause);
  return undefined;
}

class StatementAnalysis {
  private readonly items: FromItem[] = [];
  private readonly cteNames = new Set<string>();
  private partial = false;
  private toChar: ((byteOffset: number) => number) | undefined;

  constructor(
    private readonly statement: SqlStatement,
    private readonly options: SqlAnalysisOptions,
  ) {
    if (options.partial) this.partial = true;
  }

  select(body: PgNode): ExtractedQuery | undefined {
    // UNION / INTERSECT / EXCEPT and VALUES lists are not one table access.
    if (body.op && body.op !== 'SETOP_NONE') return undefined;
    if (body.valuesLists) return undefined;
    this.collectCtes(body.withClause);
    (body.fromClause ?? []).forEach((item: PgNode) => this.fromItem(item));
    if (this.accesses().length === 0) return undefined;
    this.where(body.whereClause);
    // A grouped or DISTINCT result is sorted after it is aggregated: no index delivers that order.
    if (!body.groupClause && !body.distinctClause) this.orderBy(body.sortClause ?? [], body.targetList ?? []);
    const query = this.result(isCount(body) ? 'count' : 'select');
    if (body.limitCount && !isNullConst(body.limitCount)) query.limit = isConst(body.limitCount) ? 'constant' : 'variable';
    if (body.limitOffset) {
      query.offset = isConst(body.limitOffset) ? 'constant' : 'variable';
      query.offsetSpan = this.nodeSpan(body.limitOffset);
    }
    return query;
  }

  modify(body: PgNode, operation: 'update' | 'delete', extraFrom: PgNode[] | undefined): ExtractedQuery | undefined {
    this.collectCtes(body.withClause);
    if (!body.relation) return undefined;
    this.fromItem({ RangeVar: body.relation });
    (extraFrom ?? []).forEach((item: PgNode) => this.fromItem(item));
    if (this.accesses().length === 0 || !this.items[0]?.access) return undefined;
    this.where(body.whereClause);
    return this.result(operation);
  }

  private result(operation: ExtractedQuery['operation']): ExtractedQuery {
    const accesses = this.accesses();
    const main = accesses[0]!;
    const span = this.options.span ?? { start: this.options.toFileOffset(this.statement.start), end: this.options.toFileOffset(this.statement.end) };
    const query: ExtractedQuery = {
      source: this.options.source,
      operation,
      span,
      display: this.options.display ?? defaultDisplay(operation, main),
      accesses,
      sql: this.options.sql ?? this.statement.text,
    };
    if (this.partial) query.partial = true;
    return query;
  }

  private accesses(): TableAccess[] {
    return this.items.flatMap((item) => (item.access ? [item.access] : []));
  }

  private collectCtes(withClause: PgNode): void {
    for (const cte of withClause?.ctes ?? []) {
      const name = cte?.CommonTableExpr?.ctename;
      if (typeof name === 'string') this.cteNames.add(name);
    }
  }

  // --- FROM ---------------------------------------------------------------------------------

  private fromItem(node: PgNode): void {
    if (node?.RangeVar) {
      const rv = node.RangeVar;
      const alias: string | undefined = rv.alias?.aliasname;
      const name: string = rv.relname ?? '';
      const item: FromItem = { order: this.items.length, name };
      if (alias) item.alias = alias;
      const isCte = !rv.schemaname && this.cteNames.has(name);
      const ref = isCte ? undefined : this.options.tableRef ? this.options.tableRef(name, rv.schemaname) : tableRefOf(name, rv.schemaname);
      if (ref) {
        const access: TableAccess = { table: ref, filters: [], disjunctions: [], joinKeys: [], orderBy: [], span: this.tokenSpan(rv.location) };
        if (alias) access.alias = alias;
        item.access = access;
      }
      this.items.push(item);
      return;
    }
    if (node?.JoinExpr) {
      const join = node.JoinExpr;
      const before = this.items.length;
      this.fromItem(join.larg);
      const middle = this.items.length;
      this.fromItem(join.rarg);
      const left = this.items.slice(before, middle);
      const right = this.items.slice(middle);
      // The side a join looks rows up in: the right one, or the left one of a RIGHT JOIN.
      const lookedUp = join.jointype === 'JOIN_RIGHT' ? left : right;
      for (const name of stringsOf(join.usingClause)) {
        for (const item of lookedUp) {
          if (item.access) item.access.joinKeys.push({ column: name, op: 'eq', span: item.access.span });
        }
      }
      if (join.quals) this.joinCondition(join.quals, lookedUp);
      return;
    }
    // A subquery, a function, a VALUES list, a LATERAL item: known by its alias, not followed.
    const alias: string | undefined = node?.RangeSubselect?.alias?.aliasname ?? node?.RangeFunction?.alias?.aliasname ?? node?.RangeTableFunc?.alias?.aliasname;
    const item: FromItem = { order: this.items.length };
    if (alias) item.alias = alias;
    this.items.push(item);
  }

  /** ON: column = other table's column makes a join key of the looked-up side; constants filter their table. */
  private joinCondition(quals: PgNode, lookedUp: FromItem[]): void {
    const lookedUpAccesses = new Set(lookedUp.map((item) => item.access).filter(Boolean));
    for (const conjunct of conjuncts(quals)) {
      const pair = this.columnPair(conjunct);
      if (pair) {
        const [a, b] = pair;
        const inA = a.target !== undefined && lookedUpAccesses.has(a.target.access);
        const inB = b.target !== undefined && lookedUpAccesses.has(b.target.access);
        const target = inB && !inA ? b.target : inA && !inB ? a.target : (a.order > b.order ? a : b).target;
        target?.access.joinKeys.push(filterOf(target, 'eq'));
        continue;
      }
      this.conjunct(conjunct);
    }
  }

  // --- WHERE --------------------------------------------------------------------------------

  private where(clause: PgNode): void {
    if (!clause) return;
    for (const conjunct of conjuncts(clause)) {
      const pair = this.columnPair(conjunct);
      if (pair) {
        // `o.customer_id = c.id` in a WHERE is a join: the later table is looked up.
        const [a, b] = pair;
        const target = (a.order > b.order ? a : b).target;
        target?.access.joinKeys.push(filterOf(target, 'eq'));
        continue;
      }
      this.conjunct(conjunct);
    }
  }

  /** One top-level conjunct: filters, or an OR group. */
  private conjunct(node: PgNode): void {
    if (node?.BoolExpr?.boolop === 'OR_EXPR') {
      this.disjunction(node.BoolExpr.args ?? []);
      return;
    }
    for (const { target, filter } of this.filtersOf(node)) target.access.filters.push(filter);
  }

  private disjunction(args: PgNode[]): void {
    const alternatives = args.map((arg) => conjuncts(arg).flatMap((part) => this.filtersOf(part)));
    const all = alternatives.flat();
    if (all.length === 0) return;
    // `status = 'a' OR status = 'b'` is `status IN ('a', 'b')`.
    const first = all[0]!;
    if (alternatives.every((alt) => alt.length === 1) && all.every((f) => f.target.access === first.target.access && f.filter.op === 'eq' && f.filter.column === first.filter.column && f.filter.expression === first.filter.expression)) {
      const merged: ColumnFilter = { ...first.filter };
      if (all.every((f) => f.filter.constants)) merged.constants = all.flatMap((f) => f.filter.constants!);
      else delete merged.constants;
      first.target.access.filters.push(merged);
      return;
    }
    // Each table whose every alternative constrains it gets the group (its own filters only);
    // a table some alternative leaves free is not narrowed by the OR at all.
    const tables = new Set(all.map((f) => f.target.access));
    for (const access of tables) {
      const group = alternatives.map((alt) => alt.filter((f) => f.target.access === access).map((f) => f.filter));
      if (group.every((alt) => alt.length > 0)) access.disjunctions.push(group);
    }
  }

  /** The filters one predicate puts on columns (several for `(a, b) = (1, 2)`). */
  private filtersOf(node: PgNode): Array<{ target: ColumnTarget; filter: ColumnFilter }> {
    const one = (target: ColumnTarget | undefined, op: FilterOp, constants?: ConstantValue[], prefixLike?: boolean): Array<{ target: ColumnTarget; filter: ColumnFilter }> => {
      if (!target) return [];
      const filter = filterOf(target, op);
      if (constants) filter.constants = constants;
      if (prefixLike) filter.prefixLike = true;
      return [{ target, filter }];
    };
    if (!node || typeof node !== 'object') return [];
    if (node.BoolExpr) {
      const bool = node.BoolExpr;
      if (bool.boolop === 'AND_EXPR') return (bool.args ?? []).flatMap((arg: PgNode) => this.filtersOf(arg));
      if (bool.boolop === 'NOT_EXPR') {
        const arg = bool.args?.[0];
        // `NOT active` / `NOT is_archived(x)` is a boolean equal to false; `NOT (a ? 'k')` is not.
        const column = arg?.ColumnRef || arg?.FuncCall || arg?.TypeCast ? this.columnSide(arg) : undefined;
        if (column?.kind === 'column') return one(column.target, 'eq', [false]);
        return this.filtersOf(arg).map(({ target, filter }) => ({ target, filter: { column: filter.column, ...(filter.expression ? { expression: filter.expression } : {}), op: 'not' as const, span: filter.span } }));
      }
      // A nested OR inside an AND inside an OR: not an index question we answer.
      this.markIfAmbiguous(node);
      return [];
    }
    if (node.NullTest) {
      const side = this.columnSide(node.NullTest.arg);
      return side.kind === 'column' ? one(side.target, node.NullTest.nulltesttype === 'IS_NULL' ? 'eq' : 'not', node.NullTest.nulltesttype === 'IS_NULL' ? [null] : undefined) : [];
    }
    if (node.BooleanTest) {
      const side = this.columnSide(node.BooleanTest.arg);
      if (side.kind !== 'column') return [];
      const test: string = node.BooleanTest.booltesttype;
      if (test === 'IS_TRUE') return one(side.target, 'eq', [true]);
      if (test === 'IS_FALSE') return one(side.target, 'eq', [false]);
      return one(side.target, 'not');
    }
    if (node.ColumnRef || node.FuncCall || node.TypeCast) {
      // A boolean column (or expression) on its own: `WHERE active`.
      const side = this.columnSide(node);
      return side.kind === 'column' ? one(side.target, 'eq', [true]) : [];
    }
    if (node.SubLink) {
      const link = node.SubLink;
      if (link.subLinkType === 'ANY_SUBLINK' && link.testexpr) {
        const side = this.columnSide(link.testexpr);
        return side.kind === 'column' ? one(side.target, 'other') : [];
      }
      // EXISTS (…): the subquery's own tables, not the outer ones, are filtered.
      return [];
    }
    if (!node.A_Expr) {
      this.markIfAmbiguous(node);
      return [];
    }
    const expr = node.A_Expr;
    const op = stringsOf(expr.name).join('');
    const kind: string = expr.kind;
    if (kind === 'AEXPR_OP' && expr.lexpr?.RowExpr && expr.rexpr?.RowExpr && op === '=') {
      // `(a, b) = (1, 2)`
      const lefts: PgNode[] = expr.lexpr.RowExpr.args ?? [];
      const rights: PgNode[] = expr.rexpr.RowExpr.args ?? [];
      return lefts.flatMap((left, i) => this.filtersOf({ A_Expr: { kind: 'AEXPR_OP', name: expr.name, lexpr: left, rexpr: rights[i] } }));
    }
    let left = this.columnSide(expr.lexpr);
    let right = kind === 'AEXPR_IN' || kind.startsWith('AEXPR_BETWEEN') || kind.startsWith('AEXPR_NOT_BETWEEN') ? this.listSide(expr.rexpr) : this.valueSide(expr.rexpr);
    if (left.kind !== 'column' && kind === 'AEXPR_OP') {
      // `5 < amount`, `$1 = id`: the column is on the right.
      const swapped = this.columnSide(expr.rexpr);
      if (swapped.kind === 'column') {
        right = this.valueSide(expr.lexpr);
        left = swapped;
      }
    }
    if (left.kind !== 'column') {
      if (left.kind === 'unknown' && left.ambiguous) this.partial = true;
      return [];
    }
    if (right.kind === 'unknown') {
      if (right.ambiguous) this.partial = true;
      return one(left.target, 'other');
    }
    if (right.kind === 'column') return one(left.target, 'other');
    const constants = right.kind === 'value' ? right.constants : undefined;
    switch (kind) {
      case 'AEXPR_OP':
        if (op === '=') return right.kind === 'subquery' ? one(left.target, 'eq') : one(left.target, 'eq', constants);
        if (RANGE_OPS.has(op)) return one(left.target, 'range', constants);
        if (NOT_OPS.has(op)) return one(left.target, 'not', constants);
        if (op === '~' || op === '~*') return one(left.target, 'like-contains');
        if (op === '!~' || op === '!~*') return one(left.target, 'not');
        return one(left.target, 'other');
      case 'AEXPR_OP_ANY':
        return op === '=' ? one(left.target, 'eq', arrayConstants(expr.rexpr)) : one(left.target, NOT_OPS.has(op) ? 'not' : RANGE_OPS.has(op) ? 'range' : 'other');
      case 'AEXPR_OP_ALL':
        return one(left.target, NOT_OPS.has(op) ? 'not' : RANGE_OPS.has(op) ? 'range' : 'other');
      case 'AEXPR_IN':
        return one(left.target, op === '=' ? 'eq' : 'not', constants);
      case 'AEXPR_LIKE':
      case 'AEXPR_ILIKE': {
        if (op.startsWith('!')) return one(left.target, 'not');
        if (kind === 'AEXPR_ILIKE') return one(left.target, 'like-contains');
        const pattern = likePrefix(expr.rexpr);
        if (pattern === undefined) return one(left.target, 'other');
        if (pattern === '') return one(left.target, 'like-contains');
        return one(left.target, 'range', undefined, true);
      }
      case 'AEXPR_SIMILAR':
        return one(left.target, op.startsWith('!') ? 'not' : 'like-contains');
      case 'AEXPR_BETWEEN':
      case 'AEXPR_BETWEEN_SYM':
        return one(left.target, 'range', constants);
      case 'AEXPR_NOT_BETWEEN':
      case 'AEXPR_NOT_BETWEEN_SYM':
      case 'AEXPR_DISTINCT':
        return one(left.target, 'not');
      case 'AEXPR_NOT_DISTINCT':
        return one(left.target, 'eq', constants);
      default:
        return one(left.target, 'other');
    }
  }

  /**
   * `a.x = b.y` between two different FROM items: a join. Each side is a column of a known table,
   * or a column of an item not followed (a CTE, a subquery), which only the other side can be looked up by.
   */
  private columnPair(node: PgNode): [JoinSide, JoinSide] | undefined {
    const expr = node?.A_Expr;
    if (!expr || expr.kind !== 'AEXPR_OP' || stringsOf(expr.name).join('') !== '=') return undefined;
    const a = joinSideOf(expr.lexpr?.ColumnRef ? this.resolve(expr.lexpr.ColumnRef) : this.columnSide(expr.lexpr));
    const b = joinSideOf(expr.rexpr?.ColumnRef ? this.resolve(expr.rexpr.ColumnRef) : this.columnSide(expr.rexpr));
    if (!a || !b || a.order === b.order || (!a.target && !b.target)) return undefined;
    return [a, b];
  }

  private markIfAmbiguous(node: PgNode): void {
    for (const ref of columnRefs(node)) {
      const resolved = this.resolve(ref);
      if (resolved.kind === 'unknown' && resolved.ambiguous) this.partial = true;
    }
  }

  // --- Sides of a comparison ----------------------------------------------------------------

  /** A column of a known table, or an expression over exactly one such column. */
  private columnSide(node: PgNode): Side {
    if (!node || typeof node !== 'object') return { kind: 'value' };
    if (node.ColumnRef) return this.resolve(node.ColumnRef);
    if (!node.FuncCall && !node.TypeCast && !node.A_Expr && !node.CoalesceExpr) return { kind: 'value' };
    if (hasKind(node, 'SubLink') || hasKind(node, 'ParamRef')) return { kind: 'value' };
    const refs = columnRefs(node);
    if (refs.length === 0) return { kind: 'value' };
    const resolved = refs.map((ref) => this.resolve(ref));
    const columns = resolved.filter((side): side is Extract<Side, { kind: 'column' }> => side.kind === 'column');
    if (columns.length !== resolved.length) return resolved.find((side) => side.kind === 'unknown') ?? { kind: 'unknown', ambiguous: false };
    const first = columns[0]!.target;
    if (columns.some((side) => side.target.access !== first.access || side.target.column !== first.column)) return { kind: 'unknown', ambiguous: false };
    return { kind: 'column', target: { ...first, expression: expressionText(unqualified(node)), span: this.nodeSpan(node) } };
  }

  /** The compared-with side: a literal, a parameter, an expression over no column of the query. */
  private valueSide(node: PgNode): Side {
    if (!node || typeof node !== 'object') return { kind: 'value' };
    if (node.SubLink) return { kind: 'subquery' };
    const constant = constantOf(node);
    if (constant !== undefined) return { kind: 'value', constants: [constant.value] };
    const refs = columnRefs(node);
    if (refs.length === 0) return { kind: 'value' };
    const side = this.columnSide(node);
    if (side.kind === 'column') return side;
    return side.kind === 'unknown' ? side : { kind: 'unknown', ambiguous: false };
  }

  /** `IN (1, 2)`, `BETWEEN 1 AND 2`: constants when every item is one. */
  private listSide(node: PgNode): Side {
    if (node?.SubLink) return { kind: 'subquery' };
    const items: PgNode[] | undefined = node?.List?.items ?? (Array.isArray(node) ? node : undefined);
    if (!items) return this.valueSide(node);
    const values: ConstantValue[] = [];
    let allConstant = true;
    for (const item of items) {
      const side = this.valueSide(item);
      if (side.kind !== 'value') return side;
      if (side.constants) values.push(...side.constants);
      else allConstant = false;
    }
    return allConstant ? { kind: 'value', constants: values } : { kind: 'value' };
  }

  /** A column reference resolved to the FROM item it names. */
  private resolve(ref: PgNode): Side {
    const fields: PgNode[] = ref.fields ?? [];
    if (fields.some((field) => field?.A_Star)) return { kind: 'value' };
    const names = stringsOf(fields);
    if (names.length === 0) return { kind: 'value' };
    const column = names[names.length - 1]!;
    const span = this.tokenSpan(ref.location);
    if (names.length === 1) {
      if (this.items.length !== 1) return { kind: 'unknown', ambiguous: true };
      const only = this.items[0]!;
      return only.access ? { kind: 'column', target: { access: only.access, column, span, order: only.order } } : { kind: 'unknown', ambiguous: false, order: only.order };
    }
    const qualifier = names[names.length - 2]!;
    const schema = names.length > 2 ? names[names.length - 3] : undefined;
    const matches = this.items.filter((item) => (item.alias !== undefined ? item.alias === qualifier && schema === undefined : item.name === qualifier && (schema === undefined || (item.access?.table.kind === 'table' && item.access.table.schema === schema))));
    if (matches.length !== 1) return { kind: 'unknown', ambiguous: true };
    const item = matches[0]!;
    return item.access ? { kind: 'column', target: { access: item.access, column, span, order: item.order } } : { kind: 'unknown', ambiguous: false, order: item.order };
  }

  // --- ORDER BY -----------------------------------------------------------------------------

  private orderBy(sortClause: PgNode[], targetList: PgNode[]): void {
    for (const raw of sortClause) {
      const sort = raw?.SortBy;
      if (!sort) continue;
      let node = sort.node;
      const fields = node?.ColumnRef ? stringsOf(node.ColumnRef.fields) : [];
      if (fields.length === 1) {
        // `SELECT created_at AS c … ORDER BY c` sorts by the output column.
        const target = targetList.find((t: PgNode) => t?.ResTarget?.name === fields[0]);
        if (target) node = target.ResTarget.val;
      }
      if (node?.A_Const) {
        // `ORDER BY 2`: the position of an output column.
        const position = constantOf(node)?.value;
        const target = typeof position === 'number' ? targetList[position - 1]?.ResTarget?.val : undefined;
        if (!target) {
          this.partial = true;
          continue;
        }
        node = target;
      }
      const side = this.columnSide(node);
      if (side.kind !== 'column') {
        if (side.kind === 'unknown' && side.ambiguous) this.partial = true;
        continue;
      }
      const key: SortKey = { column: side.target.column, descending: sort.sortby_dir === 'SORTBY_DESC', span: this.nodeSpan(sort.node) };
      if (side.target.expression) key.expression = side.target.expression;
      if (sort.sortby_nulls === 'SORTBY_NULLS_FIRST') key.nullsFirst = true;
      else if (sort.sortby_nulls === 'SORTBY_NULLS_LAST') key.nullsFirst = false;
      side.target.access.orderBy.push(key);
    }
  }

  // --- Spans --------------------------------------------------------------------------------

  /** The offset in the statement's text of a libpg-query location (UTF-8 bytes from the start of the parsed text). */
  private localOffset(location: number): number {
    this.toChar ??= byteOffsetMapper(this.statement.text);
    return this.toChar(Math.max(0, location - this.statement.byteStart));
  }

  private spanOf(localStart: number, localEnd: number): Span {
    const start = this.options.toFileOffset(this.statement.start + localStart);
    // The end maps through the last character: SQL assembled from several literals jumps between them.
    const last = this.statement.start + localEnd - 1;
    const end = localEnd > localStart ? (this.options.toFileEnd ? this.options.toFileEnd(last) : this.options.toFileOffset(last) + 1) : start;
    return { start, end: Math.max(start, end) };
  }

  /** The span of the (possibly qualified, possibly quoted) name at a location. */
  private tokenSpan(location: number | undefined): Span {
    if (location === undefined || location < 0) return this.spanOf(0, this.statement.text.length);
    const start = this.localOffset(location);
    return this.spanOf(start, nameEnd(this.statement.text, start));
  }

  /** The span of an expression: from its first token to its last, closing the parentheses it opened. */
  private nodeSpan(node: PgNode): Span {
    const locations = locationsIn(node);
    if (locations.length === 0) return this.spanOf(0, this.statement.text.length);
    const text = this.statement.text;
    const start = this.localOffset(Math.min(...locations));
    let end = nameEnd(text, this.localOffset(Math.max(...locations)));
    let open = 0;
    for (let i = start; i < end; i++) {
      if (text[i] === '(') open++;
      else if (text[i] === ')') open--;
    }
    while (open > 0) {
      let next = end;
      while (next < text.length && /\s/.test(text[next]!)) next++;
      if (text[next] !== ')') break;
      end = next + 1;
      open--;
    }
    return this.spanOf(start, end);
  }
}

// --- Helpers over libpg-query nodes -------------------------------------------------------------

/** One side of a join equality: the FROM item's position, and the column when its table is known. */
interface JoinSide {
  order: number;
  target?: ColumnTarget;
}

function joinSideOf(side: Side): JoinSide | undefined {
  if (side.kind === 'column') return { order: side.target.order, target: side.target };
  if (side.kind === 'unknown' && side.order !== undefined) return { order: side.order };
  return undefined;
}

function tableRefOf(name: string, schema: string | undefined): TableRef {
  return schema ? { kind: 'table', name, schema } : { kind: 'table', name };
}

function filterOf(target: ColumnTarget, op: FilterOp): ColumnFilter {
  const filter: ColumnFilter = { column: target.column, op, span: target.span };
  if (target.expression) filter.expression = target.expression;
  return filter;
}

function defaultDisplay(operation: ExtractedQuery['operation'], main: TableAccess): string {
  const table = main.table.kind === 'table' ? (main.table.schema ? `${main.table.schema}.${main.table.name}` : main.table.name) : main.table.name;
  if (operation === 'update') return `UPDATE ${table} …`;
  if (operation === 'delete') return `DELETE FROM ${table} …`;
  return `SELECT … FROM ${table}`;
}

function stringsOf(list: PgNode[] | undefined): string[] {
  return (list ?? []).map((item) => item?.String?.sval).filter((s): s is string => typeof s === 'string');
}

/** The top-level AND-ed parts of a condition. */
function conjuncts(node: PgNode): PgNode[] {
  if (node?.BoolExpr?.boolop === 'AND_EXPR') return (node.BoolExpr.args ?? []).flatMap(conjuncts);
  return node ? [node] : [];
}

function isCount(body: PgNode): boolean {
  const targets: PgNode[] = body.targetList ?? [];
  if (targets.length !== 1 || body.groupClause) return false;
  const call = targets[0]?.ResTarget?.val?.FuncCall;
  return !!call && stringsOf(call.funcname).join('.') === 'count' && !call.over;
}

function isConst(node: PgNode): boolean {
  return constantOf(node) !== undefined;
}

function isNullConst(node: PgNode): boolean {
  return node?.A_Const?.isnull === true;
}

/** A literal's value (through a cast: `'active'::status`); undefined when not a literal. */
function constantOf(node: PgNode): { value: ConstantValue } | undefined {
  if (node?.TypeCast) return constantOf(node.TypeCast.arg);
  const c = node?.A_Const;
  if (!c) return undefined;
  if (c.isnull) return { value: null };
  if (c.sval) return { value: String(c.sval.sval ?? '') };
  if (c.ival) return { value: Number(c.ival.ival ?? 0) };
  if (c.fval) return { value: Number(c.fval.fval ?? 0) };
  if (c.boolval) return { value: c.boolval.boolval === true };
  if (c.bsval) return { value: String(c.bsval.bsval ?? '') };
  return undefined;
}

/** `= ANY(ARRAY['a', 'b'])`: the constants, when every element is one. */
function arrayConstants(node: PgNode): ConstantValue[] | undefined {
  const array = node?.TypeCast ? node.TypeCast.arg : node;
  const elements: PgNode[] | undefined = array?.A_ArrayExpr?.elements;
  if (!elements) return undefined;
  const values = elements.map(constantOf);
  return values.every((v) => v !== undefined) ? values.map((v) => v!.value) : undefined;
}

/**
 * The literal prefix a LIKE pattern starts with: '' when it starts with a wildcard, the prefix
 * otherwise, undefined when the pattern is not known (a parameter, a column).
 */
function likePrefix(node: PgNode): string | undefined {
  const constant = constantOf(node);
  if (constant) return typeof constant.value === 'string' ? (/^[%_]/.test(constant.value) ? '' : constant.value) : undefined;
  // `'%' || $1 || '%'`
  const expr = node?.A_Expr;
  if (expr?.kind === 'AEXPR_OP' && stringsOf(expr.name).join('') === '||') {
    const left = likePrefix(expr.lexpr);
    return left === '' ? '' : left !== undefined && left.length > 0 ? left : undefined;
  }
  return undefined;
}

function hasKind(node: PgNode, kind: string): boolean {
  if (Array.isArray(node)) return node.some((item) => hasKind(item, kind));
  if (!node || typeof node !== 'object') return false;
  if (node[kind]) return true;
  return Object.values(node).some((value) => hasKind(value, kind));
}

/** ColumnRef bodies under a node, not entering subqueries. */
function columnRefs(node: PgNode, found: PgNode[] = []): PgNode[] {
  if (Array.isArray(node)) {
    for (const item of node) columnRefs(item, found);
  } else if (node && typeof node === 'object') {
    if (node.ColumnRef) found.push(node.ColumnRef);
    else if (!node.SubLink) for (const value of Object.values(node)) columnRefs(value, found);
  }
  return found;
}

function locationsIn(node: PgNode, found: number[] = []): number[] {
  if (Array.isArray(node)) {
    for (const item of node) locationsIn(item, found);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'location' && typeof value === 'number' && value >= 0) found.push(value);
      else if (typeof value === 'object') locationsIn(value, found);
    }
  }
  return found;
}

/** A copy of an expression with `o.email` written `email`, so it reads like an index key. */
function unqualified(node: PgNode): PgNode {
  if (Array.isArray(node)) return node.map(unqualified);
  if (!node || typeof node !== 'object') return node;
  if (node.ColumnRef) {
    const fields: PgNode[] = node.ColumnRef.fields ?? [];
    return { ColumnRef: { ...node.ColumnRef, fields: fields.slice(-1) } };
  }
  const copy: PgNode = {};
  for (const [key, value] of Object.entries(node)) copy[key] = unqualified(value);
  return copy;
}

// --- Token ends in the statement text ----------------------------------------------------------

const IDENT = /[\p{L}\p{N}_$]/u;

/** The end of one token (an identifier, a quoted identifier, a string, a number, a parameter). */
function tokenEnd(text: string, start: number): number {
  const c = text[start];
  if (c === undefined) return start;
  if (c === '"' || c === "'") {
    let i = start + 1;
    while (i < text.length) {
      if (text[i] === c) {
        if (text[i + 1] === c) i += 2;
        else return i + 1;
      } else i++;
    }
    return text.length;
  }
  if (c === '$' || IDENT.test(c)) {
    let i = start + 1;
    while (i < text.length && IDENT.test(text[i]!)) i++;
    return i;
  }
  // An operator or punctuation: `::`, `->>`.
  let i = start + 1;
  while (i < text.length && /[:<>=!~*+\-/|&^%@#]/.test(text[i]!)) i++;
  return i;
}

/** The end of a dotted name at `start`: `orders`, `billing.invoices`, `"Order"."createdAt"`. */
function nameEnd(text: string, start: number): number {
  let end = tokenEnd(text, start);
  while (text[end] === '.' && (text[end + 1] === '"' || IDENT.test(text[end + 1] ?? ''))) end = tokenEnd(text, end + 1);
  return end;
}
