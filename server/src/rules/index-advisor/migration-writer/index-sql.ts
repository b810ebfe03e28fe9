import { keyListSql, quoteIdentifier, type IndexProposal } from '../index-proposal';

export interface IndexSqlOptions {
  /** `CONCURRENTLY` does not lock writes, but cannot run inside a transaction block. */
  concurrently: boolean;
}

function qualifiedTable(proposal: IndexProposal): string {
  const table = quoteIdentifier(proposal.table.name);
  return proposal.table.schema && proposal.table.schema !== 'public' ? `${quoteIdentifier(proposal.table.schema)}.${table}` : table;
}

/** `CREATE INDEX CONCURRENTLY IF NOT EXISTS idx ON orders (customer_id, created_at DESC) WHERE …` */
export function createIndexSql(proposal: IndexProposal, name: string, options: IndexSqlOptions): string {
  const where = proposal.where ? ` WHERE ${proposal.where}` : '';
  return `CREATE INDEX${options.concurrently ? ' CONCURRENTLY' : ''} IF NOT EXISTS ${quoteIdentifier(name)} ON ${qualifiedTable(proposal)} ${keyListSql(proposal.keys)}${where}`;
}

/** The index lives in its table's schema, so dropping it names that schema. */
export function dropIndexSql(proposal: IndexProposal, name: string, options: IndexSqlOptions): string {
  const schema = proposal.table.schema && proposal.table.schema !== 'public' ? `${quoteIdentifier(proposal.table.schema)}.` : '';
  return `DROP INDEX${options.concurrently ? ' CONCURRENTLY' : ''} IF EXISTS ${schema}${quoteIdentifier(name)}`;
}

/** One `-- ` comment line per line of text. */
export function sqlComment(text: string): string {
  return text
    .split('\n')
    .map((line) => `-- ${line}`.trimEnd())
    .join('\n');
}
