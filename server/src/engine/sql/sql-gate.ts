import { foreignDialectOf } from './dialect';
import { blankCommentsAndStrings, byteOffsetMapper, skipTrivia } from './sql-lexer';

/**
 * The gate every SQL text passes before anything reads it: PostgreSQL's own parser (libpg-query,
 * compiled to WASM) splits it into statements with their locations, or rejects it with a
 * position. See ARCHITECTURE.md, "SQL: the gate and the schema catalog", for why this parser and
 * not pgsql-ast-parser is the parser of record.
 *
 * The WASM module (about 1.7 MB) is loaded once, lazily, the first time SQL is met
 * (`ensureSqlParser`). Parsing itself is synchronous, so a caller on a synchronous path (a
 * FactExtractor, a rule's check) asks `sqlParserReady()` first and treats "not yet" as "unknown",
 * never as "no schema".
 */

/** A node of libpg-query's JSON tree (the shapes are those of @pgsql/types). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PgNode = any;

export interface SqlStatement {
  /** The statement's node: `{ CreateStmt: {...} }`, `{ IndexStmt: {...} }`, ... */
  node: PgNode;
  /** The kind, the node's only key (`CreateStmt`). */
  kind: string;
  /** UTF-16 offsets in the parsed text: the first token and the end (before any `;`). */
  start: number;
  end: number;
  text: string;
  /** The UTF-8 byte offset of `start` in the parsed text: libpg-query's `location` fields count bytes from the text's start. */
  byteStart: number;
}

export type SqlParseResult =
  | { kind: 'parsed'; statements: SqlStatement[] }
  /** Statements before the error are still returned: a file being typed keeps what it had. */
  | { kind: 'syntax-error'; message: string; offset: number; statements: SqlStatement[] }
  | { kind: 'foreign-dialect'; dialect: string; evidence: string; reason: string }
  | { kind: 'too-large'; reason: string }
  | { kind: 'parser-unavailable'; reason: string };

export interface SqlGateOptions {
  /** Texts longer than this are not parsed (the parser is synchronous and cannot be interrupted). */
  maxChars?: number;
}

/** libpg-query parses about 10 MB/s here; 1 MB keeps one parse around 100 ms, the engine's file-size limit. */
export const DEFAULT_MAX_SQL_CHARS = 1_000_000;

interface LibPgQuery {
  parseSync(query: string): { stmts?: Array<{ stmt: PgNode; stmt_location?: number; stmt_len?: number }> };
}

let parser: LibPgQuery | undefined;
let loading: Promise<void> | undefined;
let loadError: string | undefined;
const loadListeners: Array<() => void> = [];

/**
 * Calls `listener` once the parser has loaded (or failed to). Analyses that ran while it was
 * loading reported nothing about the schema; the language server re-runs them when this fires.
 */
export function onSqlParserLoaded(listener: () => void): void {
  if (parser || loadError) listener();
  else loadListeners.push(listener);
}

/** Loads the WASM parser once. Resolves when `parseSql` can be called; never rejects. */
export function ensureSqlParser(): Promise<void> {
  loading ??= (async () => {
    try {
      const module = (await import('libpg-query')) as unknown as LibPgQuery & { loadModule(): Promise<void> };
      await module.loadModule();
      parser = module;
    } catch (error) {
      loadError = error instanceof Error ? error.message : String(error);
    }
    for (const listener of loadListeners.splice(0)) {
      try {
        listener();
      } catch {
        // A listener's failure is its own; the parser is loaded for everyone else.
      }
    }
  })();
  return loading;
}

/** Why the parser could not be loaded, once a load has failed. */
export function sqlParserLoadError(): string | undefined {
  return loadError;
}

/**
 * Waits for the parser when something has asked for it (an analysis that met SQL, a schema or a
 * query), and returns at once otherwise: a caller that only reports on the catalog never makes
 * a workspace without SQL pay for the parser.
 */
export function sqlParserRequested(): Promise<void> {
  return loading ?? Promise.resolve();
}

/** Whether the parser has loaded, without asking for it (for callers that only report on it). */
export function sqlParserLoaded(): boolean {
  return parser !== undefined;
}

/** Whether `parseSql` can run now. Starts loading the parser when it has not been asked for yet. */
export function sqlParserReady(): boolean {
  if (!parser && !loading) void ensureSqlParser();
  return parser !== undefined;
}

/** Parses a SQL text (a file, or one string from code). Never throws; bounded by `maxChars`. */
export function parseSql(text: string, options: SqlGateOptions = {}): SqlParseResult {
  const maxChars = options.maxChars ?? DEFAULT_MAX_SQL_CHARS;
  if (!parser) {
    sqlParserReady();
    return { kind: 'parser-unavailable', reason: loadError ? `the SQL parser could not be loaded (${loadError})` : 'the SQL parser is still loading' };
  }
  if (text.length > maxChars) {
    return { kind: 'too-large', reason: `it holds ${text.length} characters of SQL, over the ${maxChars} the SQL parser is given` };
  }
  if (text.trim() === '') return { kind: 'parsed', statements: [] };
  const attempt = tryParse(parser, text);
  if (attempt.ok) return { kind: 'parsed', statements: attempt.statements };
  const foreign = foreignDialectOf(text);
  if (foreign) {
    return { ...foreign, kind: 'foreign-dialect', reason: `it looks like ${foreign.dialect}, not PostgreSQL (${foreign.evidence})` };
  }
  return { kind: 'syntax-error', message: attempt.message, offset: attempt.offset, statements: statementsBefore(parser, text, attempt.offset) };
}

type Attempt = { ok: true; statements: SqlStatement[] } | { ok: false; message: string; offset: number };

function tryParse(pg: LibPgQuery, text: string): Attempt {
  const toChar = byteOffsetMapper(text);
  let result: ReturnType<LibPgQuery['parseSync']>;
  try {
    result = pg.parseSync(text);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const message = error instanceof Error ? error.message : String(error);
    const cursor = details?.cursorPosition;
    return { ok: false, message, offset: cursor !== undefined && cursor >= 0 ? toChar(cursor) : 0 };
  }
  const statements: SqlStatement[] = [];
  for (const raw of result.stmts ?? []) {
    const from = toChar(raw.stmt_location ?? 0);
    // stmt_len 0 means "to the end of the text" (the last statement, without a semicolon).
    const to = raw.stmt_len ? toChar((raw.stmt_location ?? 0) + raw.stmt_len) : text.length;
    const start = skipTrivia(text, from, to);
    let end = to;
    while (end > start && /\s|;/.test(text[end - 1]!)) end--;
    const kind = Object.keys(raw.stmt ?? {})[0] ?? 'Unknown';
    const byteStart = (raw.stmt_location ?? 0) + Buffer.byteLength(text.slice(from, start));
    statements.push({ node: raw.stmt, kind, start, end, text: text.slice(start, end), byteStart });
  }
  return { ok: true, statements };
}

/** The statements that end before a syntax error: the text up to the last `;` in code before it. */
function statementsBefore(pg: LibPgQuery, text: string, errorOffset: number): SqlStatement[] {
  const code = blankCommentsAndStrings(text.slice(0, errorOffset));
  const cut = code.lastIndexOf(';');
  if (cut <= 0) return [];
  const attempt = tryParse(pg, text.slice(0, cut + 1));
  return attempt.ok ? attempt.statements : [];
}

/** The 1-based line and column of an offset, for messages. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
