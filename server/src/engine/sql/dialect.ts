import { blankCommentsAndStrings } from './sql-lexer';

/**
 * Markers of SQL that is not PostgreSQL. Only consulted for a file PostgreSQL's parser rejected:
 * a file that parses is Postgres, whatever words it uses, and a Postgres file with a typo is
 * reported as a syntax error, not skipped. Markers are looked for in code only (comments and
 * strings blanked), so a migration that mentions "ENGINE=InnoDB" in a comment is not foreign.
 */
const MARKERS: Array<{ dialect: string; pattern: RegExp; what: string }> = [
  { dialect: 'psql script', pattern: /^[ \t]*\\[a-zA-Z!?][a-zA-Z]*/m, what: 'a psql meta-command' },
  { dialect: 'ClickHouse', pattern: /\bENGINE\s*=\s*\w*(?:MergeTree|Log|Memory|Kafka|Distributed)\b/i, what: 'a ClickHouse table engine' },
  { dialect: 'ClickHouse', pattern: /\b(?:LowCardinality|Nullable)\s*\(|\bON\s+CLUSTER\b|\bDateTime64\b/i, what: 'ClickHouse types or clauses' },
  { dialect: 'MySQL', pattern: /\bENGINE\s*=\s*(?:InnoDB|MyISAM)\b|\bAUTO_INCREMENT\b|\bDEFAULT\s+CHARSET\b|\bLOCK\s+TABLES\b/i, what: 'MySQL table options' },
  { dialect: 'MySQL', pattern: /`[^`\n]+`/, what: 'backtick-quoted identifiers' },
  { dialect: 'SQLite', pattern: /\bAUTOINCREMENT\b|^\s*PRAGMA\b/im, what: 'SQLite syntax' },
  { dialect: 'SQL Server', pattern: /^\s*GO\s*$|\[dbo\]|\bNVARCHAR\s*\(\s*MAX\s*\)/im, what: 'SQL Server syntax' },
];

export interface ForeignDialect {
  dialect: string;
  /** What gave it away, for the log line. */
  evidence: string;
}

/** The dialect a SQL text appears to be written in, when it is recognisably not PostgreSQL. */
export function foreignDialectOf(text: string): ForeignDialect | undefined {
  const code = blankCommentsAndStrings(text);
  for (const marker of MARKERS) {
    if (marker.pattern.test(code)) return { dialect: marker.dialect, evidence: marker.what };
  }
  return undefined;
}
