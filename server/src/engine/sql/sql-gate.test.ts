import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { analyseSqlStatement } from '../queries/sql-query-analysis';
import { foreignDialectOf } from './dialect';
import { ensureSqlParser, parseSql, sqlParserReady } from './sql-gate';
import { blankCommentsAndStrings } from './sql-lexer';

const corpus = path.join(__dirname, 'fixtures', 'corpus');

function files(dir: string, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files(full, found);
    else found.push(full);
  }
  return found.sort();
}

/** SQL texts of a corpus file: the file itself, or the query strings of a TypeORM migration. */
function sqlTextsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.sql')) return [text];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((s) => /^\s*(CREATE|ALTER|DROP)/.test(s));
}

const TIME_BOUND_MS = 250;

describe('SQL gate (libpg-query)', () => {
  before(async () => {
    await ensureSqlParser();
  });

  it('reports "unavailable" rather than "nothing" before the parser is loaded, then is ready', () => {
    assert.equal(sqlParserReady(), true);
  });

  it('parses every Postgres file of the corpus and skips the other dialects', () => {
    for (const file of files(corpus)) {
      for (const text of sqlTextsOf(file)) {
        const result = parseSql(text);
        const foreign = file.includes(`${path.sep}foreign${path.sep}`);
        assert.equal(result.kind, foreign ? 'foreign-dialect' : 'parsed', `${file}: ${JSON.stringify(result).slice(0, 300)}`);
      }
    }
  });

  it('reads or cleanly rejects every truncation (every 50th character) within its time bound', () => {
    let cases = 0;
    let slowest = 0;
    for (const file of files(corpus)) {
      for (const text of sqlTextsOf(file)) {
        for (let cut = 0; cut <= text.length; cut += 50) {
          const started = performance.now();
          const result = parseSql(text.slice(0, cut));
          const ms = performance.now() - started;
          slowest = Math.max(slowest, ms);
          cases++;
          assert.ok(ms < TIME_BOUND_MS, `${file} cut at ${cut}: ${ms} ms`);
          assert.ok(['parsed', 'syntax-error', 'foreign-dialect'].includes(result.kind), `${file} cut at ${cut}: ${result.kind}`);
          if (result.kind === 'syntax-error') assert.ok(result.offset >= 0 && result.offset <= cut, `${file} cut at ${cut}: offset ${result.offset}`);
          // Query analysis reads whatever the gate accepted without throwing.
          if (result.kind === 'parsed' || result.kind === 'syntax-error') for (const statement of result.statements) analyseSqlStatement(statement, { source: 'sql-file', toFileOffset: (offset) => offset });
        }
      }
    }
    assert.ok(cases > 60, `${cases} truncations`);
  });

  it('rejects an unterminated dollar-quoted body at once, with its position', () => {
    const text = 'CREATE FUNCTION f() RETURNS int AS $$ BEGIN x := 1;\n' + 'y := 2;\n'.repeat(100);
    const started = performance.now();
    const result = parseSql(text);
    assert.ok(performance.now() - started < 20);
    assert.equal(result.kind, 'syntax-error');
    if (result.kind === 'syntax-error') {
      assert.equal(result.offset, text.indexOf('$$'));
      assert.match(result.message, /unterminated dollar-quoted/);
    }
  });

  it('splits statements with UTF-16 locations, after comments and non-ASCII text', () => {
    const text = "-- créé ✓ 👍\nCREATE TABLE a (n text DEFAULT 'é');\n/* x */ CREATE INDEX i ON a (n)";
    const result = parseSql(text);
    assert.equal(result.kind, 'parsed');
    if (result.kind !== 'parsed') return;
    assert.deepEqual(result.statements.map((s) => s.kind), ['CreateStmt', 'IndexStmt']);
    assert.equal(result.statements[0]!.text, "CREATE TABLE a (n text DEFAULT 'é')");
    assert.equal(result.statements[1]!.text, 'CREATE INDEX i ON a (n)');
    assert.equal(text.slice(result.statements[1]!.start, result.statements[1]!.end), 'CREATE INDEX i ON a (n)');
  });

  it('keeps the statements before a syntax error (a file being typed)', () => {
    const text = 'CREATE TABLE a (id int);\nCREATE INDEX i ON a (id);\nCREATE TABL b (';
    const result = parseSql(text);
    assert.equal(result.kind, 'syntax-error');
    if (result.kind !== 'syntax-error') return;
    assert.deepEqual(result.statements.map((s) => s.kind), ['CreateStmt', 'IndexStmt']);
    assert.equal(text.slice(result.offset, result.offset + 5), 'TABL ');
  });

  it('guards the size and names the reason', () => {
    const result = parseSql('SELECT 1;'.repeat(100), { maxChars: 100 });
    assert.equal(result.kind, 'too-large');
  });

  it('recognises other dialects only in code, not in comments or strings', () => {
    assert.equal(foreignDialectOf('-- ENGINE=InnoDB\nSELECT 1')?.dialect, undefined);
    assert.equal(foreignDialectOf("SELECT 'a `b` c'")?.dialect, undefined);
    assert.equal(foreignDialectOf('\\c mydb\nSELECT 1')?.dialect, 'psql script');
    assert.equal(foreignDialectOf('CREATE TABLE t (a Nullable(Int8)) ENGINE = MergeTree')?.dialect, 'ClickHouse');
    // A Postgres file with a typo is a syntax error, not another dialect.
    assert.equal(parseSql('SELEC 1').kind, 'syntax-error');
  });

  it('blanks comments, strings and dollar bodies but keeps offsets', () => {
    const text = "a /* x /* y */ z */ 'it''s' $f$ body $f$ \"Id\" -- c\nb";
    const blanked = blankCommentsAndStrings(text);
    assert.equal(blanked.length, text.length);
    assert.equal(blanked.replace(/\s+/g, ' ').trim(), 'a "Id" b');
  });
});
