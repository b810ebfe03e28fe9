import type { CatalogIndex } from '../../engine/schema/catalog-model';
import type { ColumnFilter, ConstantValue } from '../../engine/queries/query-model';

/**
 * Whether a query's constant filters imply a partial index's predicate, so the planner may use
 * the index. Postgres proves this with its own predicate prover; we accept only the shapes we can
 * prove the same way and answer "not implied" for anything else (a wrong "implied" would hide a
 * missing index; a wrong "not implied" only costs a finding the user can silence):
 * - `col IS NULL` / `col IS NOT NULL`
 * - `col = c`, `col <> c`, `col IN (c1, …)`, `col = ANY (ARRAY[…])`
 * - a bare boolean `col`, `NOT col`, `col IS TRUE|FALSE`
 * joined by top-level AND, with any parentheses and `::type` casts.
 */
export function predicateImplied(index: CatalogIndex, filters: readonly ColumnFilter[]): boolean {
  if (index.where === undefined) return true;
  const conjuncts = parsePredicate(index.where);
  if (!conjuncts) return false;
  return conjuncts.every((conjunct) => conjunctImplied(conjunct, filters));
}

/** One conjunct of an index predicate we understand. */
export type Conjunct =
  | { column: string; kind: 'is-null' }
  | { column: string; kind: 'not-null' }
  | { column: string; kind: 'in'; values: ConstantValue[] }
  | { column: string; kind: 'not-equal'; value: ConstantValue };

function conjunctImplied(conjunct: Conjunct, filters: readonly ColumnFilter[]): boolean {
  const on = filters.filter((filter) => filter.expression === undefined && filter.column.toLowerCase() === conjunct.column.toLowerCase());
  return on.some((filter) => {
    const constants = filter.constants;
    switch (conjunct.kind) {
      case 'is-null':
        return filter.op === 'eq' && constants !== undefined && constants.length > 0 && constants.every((value) => value === null);
      case 'not-null':
        // Any comparison with a value (`=`, `<`, `IN`, a parameter) fails on NULL, so it implies NOT NULL.
        if (filter.op === 'eq' || filter.op === 'range') return constants === undefined || (constants.length > 0 && constants.every((value) => value !== null));
        return filter.op === 'not' && constants !== undefined && constants.length === 1 && constants[0] === null;
      case 'in':
        return filter.op === 'eq' && constants !== undefined && constants.length > 0 && constants.every((value) => value !== null && conjunct.values.some((allowed) => sameConstant(allowed, value)));
      case 'not-equal':
        return filter.op === 'eq' && constants !== undefined && constants.length > 0 && constants.every((value) => value !== null && !sameConstant(conjunct.value, value));
    }
  });
}

function sameConstant(a: ConstantValue, b: ConstantValue): boolean {
  if (a === null || b === null) return a === b;
  // `1` and `'1'`, `true` and `'true'` are the same value once Postgres casts the literal to the column's type.
  return String(a) === String(b);
}

type Token = { kind: 'ident' | 'string' | 'number' | 'punct' | 'word'; text: string };

/** The predicate's conjuncts, or undefined when any part of it is not a shape we prove. */
export function parsePredicate(text: string): Conjunct[] | undefined {
  const tokens = tokenize(text);
  if (!tokens) return undefined;
  const parts = splitTopLevelAnd(stripCasts(tokens));
  if (!parts) return undefined;
  const conjuncts: Conjunct[] = [];
  for (const part of parts) {
    const conjunct = parseConjunct(unwrap(part));
    if (!conjunct) return undefined;
    conjuncts.push(conjunct);
  }
  return conjuncts;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'in', 'true', 'false', 'any', 'array']);

function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) return undefined;
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ kind: 'string', text: value });
    } else if (ch === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return undefined;
      tokens.push({ kind: 'ident', text: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^-?[0-9]+(?:\.[0-9]+)?/.exec(text.slice(i))!;
      tokens.push({ kind: 'number', text: match[0] });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i))!;
      const lower = match[0].toLowerCase();
      tokens.push(KEYWORDS.has(lower) ? { kind: 'word', text: lower } : { kind: 'ident', text: lower });
      i += match[0].length;
    } else {
      const two = text.slice(i, i + 2);
      if (two === '<>' || two === '!=' || two === '::') {
        tokens.push({ kind: 'punct', text: two === '!=' ? '<>' : two });
        i += 2;
      } else if ('()=,[].'.includes(ch)) {
        tokens.push({ kind: 'punct', text: ch });
        i++;
      } else {
        return undefined;
      }
    }
  }
  return tokens;
}

/** Drops `::type` (and `::character varying`, `::text[]`): a cast does not change what is compared here. */
function stripCasts(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'punct' && token.text === '::') {
      i++;
      while (i + 1 < tokens.length && tokens[i + 1]!.kind === 'ident') i++;
      while (tokens[i + 1]?.text === '[' && tokens[i + 2]?.text === ']') i += 2;
      continue;
    }
    out.push(token);
  }
  return out;
}

function splitTopLevelAnd(tokens: Token[]): Token[][] | undefined {
  const parts: Token[][] = [[]];
  let depth = 0;
  // A predicate wholly in parentheses (`((a IS NULL) AND (b = 1))`, as pg_dump writes) is unwrapped first.
  const inner = unwrap(tokens);
  for (const token of inner) {
    if (token.text === '(' || token.text === '[') depth++;
    if (token.text === ')' || token.text === ']') depth--;
    if (depth < 0) return undefined;
    if (depth === 0 && token.kind === 'word' && token.text === 'or') return undefined;
    if (depth === 0 && token.kind === 'word' && token.text === 'and') parts.push([]);
    else parts[parts.length - 1]!.push(token);
  }
  if (depth !== 0 || parts.some((part) => part.length === 0)) return undefined;
  // A parenthesised conjunct may hold its own AND.
  return parts.flatMap((part) => {
    const unwrapped = unwrap(part);
    return unwrapped !== part && unwrapped.some((token) => token.text === 'and') ? (splitTopLevelAnd(unwrapped) ?? [part]) : [part];
  });
}

function unwrap(tokens: Token[]): Token[] {
  let current = tokens;
  while (current.length >= 2 && current[0]!.text === '(' && current[current.length - 1]!.text === ')' && closesAtEnd(current)) current = current.slice(1, -1);
  return current;
}

function closesAtEnd(tokens: Token[]): boolean {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.text === '(') depth++;
    if (tokens[i]!.text === ')') depth--;
    if (depth === 0 && i < tokens.length - 1) return false;
  }
  return true;
}

function constantOf(token: Token | undefined): { value: ConstantValue } | undefined {
  if (!token) return undefined;
  if (token.kind === 'string') return { value: token.text };
  if (token.kind === 'number') return { value: Number(token.text) };
  if (token.kind === 'word' && (token.text === 'true' || token.text === 'false')) return { value: token.text === 'true' };
  return undefined;
}

function columnAt(tokens: Token[], start: number): { column: string; next: number } | undefined {
  let i = start;
  let depth = 0;
  while (tokens[i]?.text === '(') {
    depth++;
    i++;
  }
  let token = tokens[i];
  if (token?.kind !== 'ident') return undefined;
  // `t.col`: the qualifier is dropped.
  while (tokens[i + 1]?.text === '.' && tokens[i + 2]?.kind === 'ident') {
    i += 2;
    token = tokens[i]!;
  }
  i++;
  for (; depth > 0; depth--) {
    if (tokens[i]?.text !== ')') return undefined;
    i++;
  }
  return { column: token.text, next: i };
}

function parseConjunct(tokens: Token[]): Conjunct | undefined {
  if (tokens[0]?.kind === 'word' && tokens[0].text === 'not') {
    const column = columnAt(tokens, 1);
    return column && column.next === tokens.length ? { column: column.column, kind: 'in', values: [false] } : undefined;
  }
  const column = columnAt(tokens, 0);
  if (!column) return undefined;
  const rest = tokens.slice(column.next);
  const name = column.column;
  const words = rest.map((token) => token.text).join(' ');
  if (rest.length === 0) return { column: name, kind: 'in', values: [true] };
  if (words === 'is null') return { column: name, kind: 'is-null' };
  if (words === 'is not null') return { column: name, kind: 'not-null' };
  if (words === 'is true') return { column: name, kind: 'in', values: [true] };
  if (words === 'is false') return { column: name, kind: 'in', values: [false] };
  const op = rest[0]!.text;
  if ((op === '=' || op === '<>') && rest.length === 2) {
    const constant = constantOf(rest[1]);
    if (!constant) return undefined;
    return op === '=' ? { column: name, kind: 'in', values: [constant.value] } : { column: name, kind: 'not-equal', value: constant.value };
  }
  if (op === 'in' && rest[1]?.text === '(' && rest[rest.length - 1]!.text === ')') {
    const values = listValues(rest.slice(2, -1));
    return values ? { column: name, kind: 'in', values } : undefined;
  }
  if (op === '=' && rest[1]?.text === 'any') {
    const array = unwrap(rest.slice(2));
    if (array[0]?.text !== 'array' || array[1]?.text !== '[' || array[array.length - 1]?.text !== ']') return undefined;
    const values = listValues(array.slice(2, -1));
    return values ? { column: name, kind: 'in', values } : undefined;
  }
  return undefined;
}

function listValues(tokens: Token[]): ConstantValue[] | undefined {
  const values: ConstantValue[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    const constant = constantOf(tokens[i]);
    if (!constant) return undefined;
    values.push(constant.value);
    if (i + 1 < tokens.length && tokens[i + 1]!.text !== ',') return undefined;
  }
  return values.length > 0 ? values : undefined;
}
