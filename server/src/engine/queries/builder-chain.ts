import { ts } from 'ts-morph';
import { unwrapExpression } from '../ast/call-shape';
import { resolveName } from '../ast/scope';
import type { Span } from '../model/location';
import type { ColumnFilter, ConstantValue, FilterOp, SortKey, TableAccess, TableRef } from './query-model';

/**
 * Shared pieces of the fluent query-builder extractors (Knex, Drizzle, Kysely): reading a call
 * chain, literal values, comparison operators, `table as alias` names, and collecting filters per
 * table with AND / OR structure.
 */

/** One call of a fluent chain: `.where('a', 1)`, or the direct call `knex('orders')` (no name). */
export interface ChainLink {
  call: ts.CallExpression;
  /** The method name; undefined for a direct call of the callee (`knex('orders')`). */
  name?: string;
  callee: ts.Expression;
  receiver?: ts.Expression;
  args: readonly ts.Expression[];
}

/** A chain from its innermost call outwards, and the expression the first call is made on. */
export interface Chain {
  base: ts.Expression;
  links: ChainLink[];
}

const MAX_LINKS = 80;

/** `db.select().from(t).where(x)` -> base `db`, links select, from, where. */
export function chainOf(outer: ts.CallExpression): Chain {
  const links: ChainLink[] = [];
  let current: ts.Expression = outer;
  for (let steps = 0; steps < MAX_LINKS; steps++) {
    current = unwrapExpression(current);
    if (ts.isAwaitExpression(current) && links.length > 0) current = unwrapExpression(current.expression);
    if (!ts.isCallExpression(current)) break;
    const callee = unwrapExpression(current.expression);
    if (ts.isPropertyAccessExpression(callee)) {
      links.unshift({ call: current, name: callee.name.text, callee, receiver: callee.expression, args: current.arguments });
      current = callee.expression;
    } else {
      links.unshift({ call: current, callee, args: current.arguments });
      return { base: callee, links };
    }
  }
  return { base: current, links };
}

/** Whether `node` is the last call of its chain (nothing is called on its result). */
export function isOutermostCall(node: ts.CallExpression): boolean {
  let up: ts.Node = node.parent;
  while (up && (ts.isParenthesizedExpression(up) || ts.isNonNullExpression(up) || ts.isAsExpression(up))) up = up.parent;
  if (up && ts.isPropertyAccessExpression(up) && up.parent && ts.isCallExpression(up.parent) && up.parent.expression === up) return false;
  return true;
}

/**
 * Whether the chain's value is used as a finished query (awaited, returned, a statement, passed
 * to `.then`) rather than kept as a builder that other code may extend with more conditions.
 */
export function usedAsFinishedQuery(outer: ts.CallExpression): boolean {
  let up: ts.Node = outer.parent;
  while (up && (ts.isParenthesizedExpression(up) || ts.isNonNullExpression(up) || ts.isAsExpression(up) || ts.isSatisfiesExpression(up))) up = up.parent;
  if (!up) return false;
  return ts.isAwaitExpression(up) || ts.isReturnStatement(up) || ts.isExpressionStatement(up) || (ts.isArrowFunction(up) && up.body === outer) || ts.isYieldExpression(up);
}

export function spanOf(node: ts.Node, ast: ts.SourceFile): Span {
  return { start: node.getStart(ast), end: node.getEnd() };
}

export const NOT_CONSTANT = Symbol('not-constant');

/** A literal's value (`'x'`, `5`, `-1`, `true`, `null`), or NOT_CONSTANT. */
export function constantOf(expression: ts.Expression): ConstantValue | typeof NOT_CONSTANT {
  const e = unwrapExpression(expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isNumericLiteral(e)) return Number(e.text.replace(/_/g, ''));
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) return -Number(e.operand.text.replace(/_/g, ''));
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (e.kind === ts.SyntaxKind.NullKeyword) return null;
  return NOT_CONSTANT;
}

/** The constants of an array literal when every element is one (`['a', 'b']`). */
export function constantList(expression: ts.Expression): ConstantValue[] | undefined {
  const e = unwrapExpression(expression);
  if (!ts.isArrayLiteralExpression(e)) return undefined;
  const values: ConstantValue[] = [];
  for (const element of e.elements) {
    const value = constantOf(element);
    if (value === NOT_CONSTANT) return undefined;
    values.push(value);
  }
  return values;
}

/** A string the code spells out: a literal, or a `const` in scope initialised with one (`const TABLE = 'orders'`). */
export function stringValue(expression: ts.Expression | undefined, depth = 0): string | undefined {
  if (!expression) return undefined;
  const e = unwrapExpression(expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
  if (ts.isIdentifier(e) && depth < 3) {
    const binding = resolveName(e.text, e);
    if (binding?.kind === 'variable' && ts.isIdentifier(binding.declaration.name) && binding.declaration.initializer && (binding.declaration.parent.flags & ts.NodeFlags.Const) !== 0) {
      return stringValue(binding.declaration.initializer, depth + 1);
    }
  }
  return undefined;
}

export type FilterShape = Pick<ColumnFilter, 'op' | 'constants' | 'prefixLike'>;

/** How `LIKE pattern` constrains its column: an equality without wildcards, a prefix range, or a contains search. */
export function likeShape(pattern: ts.Expression | undefined, caseInsensitive: boolean): FilterShape {
  if (caseInsensitive) return { op: 'like-contains' };
  const e = pattern && unwrapExpression(pattern);
  let text: string | undefined;
  if (e && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e))) text = e.text;
  else if (e && ts.isTemplateExpression(e)) {
    // `${q}%` tells nothing about the start; `%${q}%` is a contains search; `abc${q}%` a prefix.
    const head = e.head.text;
    if (head.startsWith('%') || head.startsWith('_')) return { op: 'like-contains' };
    if (head.length > 0) return { op: 'range', prefixLike: true };
    return { op: 'other' };
  } else if (e && ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = unwrapExpression(e.left);
    if (ts.isStringLiteral(left) && /^[%_]/.test(left.text)) return { op: 'like-contains' };
    return { op: 'other' };
  }
  if (text === undefined) return { op: 'other' };
  if (/^[%_]/.test(text)) return { op: 'like-contains' };
  if (/[%_]/.test(text)) return { op: 'range', prefixLike: true };
  return { op: 'eq', constants: [text] };
}

/** A SQL comparison operator as Knex and Kysely spell it (`'='`, `'>='`, `'in'`, `'not like'`), with its value. */
export function comparisonShape(operator: string, value: ts.Expression | undefined): FilterShape {
  const op = operator.trim().toLowerCase().replace(/\s+/g, ' ');
  const constant = value ? constantOf(value) : NOT_CONSTANT;
  const withConstants = (shape: FilterOp, constants?: ConstantValue[]): FilterShape => (constants ? { op: shape, constants } : { op: shape });
  switch (op) {
    case '=':
    case '==':
    case 'is':
      return withConstants('eq', constant === NOT_CONSTANT ? undefined : [constant]);
    case 'in':
      return withConstants('eq', value ? constantList(value) : undefined);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return { op: 'range' };
    case '!=':
    case '<>':
    case 'is not':
    case 'not in':
    case 'not like':
    case 'not ilike':
    case 'is distinct from':
      return { op: 'not' };
    case 'like':
      return likeShape(value, false);
    case 'ilike':
    case '~':
    case '~*':
    case 'similar to':
      return { op: 'like-contains' };
    default:
      return { op: 'other' };
  }
}

/** `'orders as o'`, `'billing.invoices AS i'`, `'orders'`. */
export function parseTableName(text: string): { schema?: string; name: string; alias?: string } | undefined {
  const match = /^\s*"?([\w$]+)"?(?:\s*\.\s*"?([\w$]+)"?)?(?:\s+as\s+"?([\w$]+)"?)?\s*$/i.exec(text);
  if (!match) return undefined;
  const [, first, second, alias] = match;
  const parsed: { schema?: string; name: string; alias?: string } = second ? { schema: first!, name: second } : { name: first! };
  if (alias) parsed.alias = alias;
  return parsed;
}

/** `'o.status'` -> qualifier `o`, column `status`; `'status'`; `'billing.invoices.id'`. Undefined for anything else (`*`, expressions). */
export function parseColumnRef(text: string): { qualifier?: string; column: string } | undefined {
  const match = /^\s*(?:"?([\w$]+)"?\s*\.\s*)?(?:"?([\w$]+)"?\s*\.\s*)?"?([\w$]+)"?\s*$/.exec(text);
  if (!match) return undefined;
  const qualifier = match[2] ?? match[1];
  return qualifier ? { qualifier, column: match[3]! } : { column: match[3]! };
}

/** A filter on one table of the query, before the AND / OR structure is settled. */
export interface Term {
  access: TableAccess;
  filter: ColumnFilter;
}

/** A WHERE reduced to top-level AND-ed terms and OR groups (each alternative AND-s its terms). */
export interface Condition {
  and: Term[];
  groups: Term[][][];
}

export const emptyCondition = (): Condition => ({ and: [], groups: [] });

/** The tables of one query by alias and name, the first being the main table. */
export class AccessSet {
  readonly accesses: TableAccess[] = [];
  private readonly byName = new Map<string, TableAccess>();
  partial = false;

  add(table: TableRef, span: Span, alias?: string): TableAccess {
    const access: TableAccess = { table, filters: [], disjunctions: [], joinKeys: [], orderBy: [], span };
    if (alias) access.alias = alias;
    this.accesses.push(access);
    if (alias) this.byName.set(alias, access);
    // A table named with an alias can no longer be referred to by its name in SQL; without one it can.
    else this.byName.set(table.name, access);
    return access;
  }

  get main(): TableAccess | undefined {
    return this.accesses[0];
  }

  /**
   * The access a column qualifier refers to; the main table for an unqualified column. An
   * unknown qualifier makes the query partial (the filter is dropped, never guessed).
   */
  lookup(qualifier: string | undefined): TableAccess | undefined {
    if (qualifier === undefined) return this.main;
    const found = this.byName.get(qualifier);
    if (!found) this.partial = true;
    return found;
  }

  /** Applies a settled condition: AND-ed terms to their tables, OR groups to the one table all their terms are on. */
  apply(condition: Condition): void {
    for (const term of condition.and) term.access.filters.push(term.filter);
    for (const group of condition.groups) {
      const tables = new Set(group.flatMap((alternative) => alternative.map((term) => term.access)));
      if (tables.size !== 1 || group.some((alternative) => alternative.length === 0)) {
        // An OR across tables (or with an alternative we could not read) constrains none of them alone.
        this.partial = true;
        continue;
      }
      const [access] = tables;
      access!.disjunctions.push(group.map((alternative) => alternative.map((term) => term.filter)));
    }
  }
}

/**
 * Combines conditions AND-ed together; an `or` list becomes one group whose alternatives are the
 * conjunctions (an alternative holding its own OR group cannot be represented: partial).
 */
export function andAll(conditions: Condition[]): Condition {
  return { and: conditions.flatMap((c) => c.and), groups: conditions.flatMap((c) => c.groups) };
}

export function orAll(conditions: Condition[], onNested: () => void): Condition {
  if (conditions.length === 1) return conditions[0]!;
  const alternatives: Term[][] = [];
  for (const condition of conditions) {
    if (condition.groups.length > 0) onNested();
    alternatives.push(condition.and);
  }
  return { and: [], groups: [alternatives] };
}

export function sortKey(column: string, descending: boolean, span: Span, nullsFirst?: boolean): SortKey {
  const key: SortKey = { column, descending, span };
  if (nullsFirst !== undefined) key.nullsFirst = nullsFirst;
  return key;
}

/** A numeric literal is a constant limit / offset; anything else varies per call. */
export function limitKind(expression: ts.Expression | undefined): 'constant' | 'variable' {
  return expression && constantOf(expression) !== NOT_CONSTANT ? 'constant' : 'variable';
}

/** Property assignments of an object literal by name; undefined when it has spreads or computed keys. */
export function objectProperties(expression: ts.Expression | undefined): Map<string, { name: ts.Node; value: ts.Expression }> | undefined {
  const e = expression && unwrapExpression(expression);
  if (!e || !ts.isObjectLiteralExpression(e)) return undefined;
  const props = new Map<string, { name: ts.Node; value: ts.Expression }>();
  for (const p of e.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) props.set(p.name.text, { name: p.name, value: p.initializer });
    else if (ts.isShorthandPropertyAssignment(p)) props.set(p.name.text, { name: p.name, value: p.name });
    else return undefined;
  }
  return props;
}

/** Text hint shared by the builder extractors: a file with none of these calls sends no builder query. */
export const BUILDER_HINT = /\.(?:where|andWhere|orWhere|orderBy|first|limit|offset|del|delete|update|count|from|join|innerJoin|leftJoin|findMany|findFirst|selectFrom|updateTable|deleteFrom)\w*\s*\(/;
