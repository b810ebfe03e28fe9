import { parse, type Statement } from 'pgsql-ast-parser';
import type { SqlStatement } from './sql-gate';

/**
 * pgsql-ast-parser's typed AST, kept for query analysis only (which columns a SELECT, UPDATE or
 * DELETE filters, joins and sorts on), where its typed nodes are easier to walk than libpg-query's
 * JSON. It is a backtracking (nearley) parser that cannot be interrupted, and it has run for more
 * than 30 seconds on an unterminated `$$` body, so it only ever sees:
 * - statements libpg-query already accepted (the gate rejects unterminated quotes in microseconds),
 * - of a query kind (no DDL, no function bodies, where it is weakest),
 * - of bounded size,
 * and a statement that took longer than the budget once is never given to it again.
 */
export const QUERY_KINDS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);
export const MAX_QUERY_AST_CHARS = 8_000;
export const QUERY_AST_BUDGET_MS = 50;

const tooSlow = new Set<string>();

export type QueryAstResult =
  | { kind: 'ast'; ast: Statement; ms: number }
  | { kind: 'not-a-query' | 'too-large' | 'known-slow' }
  | { kind: 'rejected'; message: string; ms: number };

export function parseQueryAst(statement: SqlStatement): QueryAstResult {
  if (!QUERY_KINDS.has(statement.kind)) return { kind: 'not-a-query' };
  if (statement.text.length > MAX_QUERY_AST_CHARS) return { kind: 'too-large' };
  if (tooSlow.has(statement.text)) return { kind: 'known-slow' };
  const started = performance.now();
  try {
    const [ast] = parse(statement.text, { locationTracking: true });
    if (!ast) return { kind: 'rejected', message: 'no statement', ms: finish(statement.text, started) };
    return { kind: 'ast', ast, ms: finish(statement.text, started) };
  } catch (error) {
    return { kind: 'rejected', message: error instanceof Error ? error.message.split('\n')[0]! : String(error), ms: finish(statement.text, started) };
  }
}

function finish(text: string, started: number): number {
  const ms = performance.now() - started;
  if (ms > QUERY_AST_BUDGET_MS) tooSlow.add(text);
  return ms;
}
