import type { FileChange } from '../../../engine/model/finding';
import type { IndexProposal } from '../index-proposal';
import { createIndexSql, dropIndexSql, sqlComment } from './index-sql';
import { migrationPaths, type SqlMigrationFolder } from './sql-migration-folder';

export interface WrittenMigration {
  changes: FileChange[];
  /** The new file as the title names it: `20261124093000_add_idx_orders_customer_id`. */
  label: string;
}

/** `add_idx_orders_customer_id`: the migration's name, lower snake case as migration tools write them. */
export function migrationSlug(indexName: string): string {
  return `add_${indexName.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase()}`.slice(0, 80);
}

/**
 * A new SQL migration creating the index, named in the folder's pattern. Outside a transaction
 * the index is built `CONCURRENTLY` (no write lock on a live table); where the runner wraps each
 * file in a transaction (Prisma), a plain `CREATE INDEX` is written and a comment says why.
 * `note` adds a line (why this index is not declared in the ORM schema, say).
 */
export function sqlMigration(proposal: IndexProposal, indexName: string, folder: SqlMigrationFolder, now: Date, note?: string): WrittenMigration {
  const paths = migrationPaths(folder, migrationSlug(indexName), now);
  const concurrently = !folder.transactional || folder.kind === 'dbmate';
  const header = [`Index for ${proposal.purpose}.`];
  if (note) header.push(note);
  if (!concurrently) header.push(`${folder.kind === 'prisma' ? 'Prisma runs each migration' : 'This folder\'s migrations run'} in a transaction, where CREATE INDEX CONCURRENTLY fails; on a large, busy table create it concurrently by hand first (IF NOT EXISTS then skips it here).`);
  const create = `${createIndexSql(proposal, indexName, { concurrently })};`;
  const drop = `${dropIndexSql(proposal, indexName, { concurrently })};`;
  let up: string;
  if (folder.kind === 'dbmate') {
    // dbmate's `transaction:false` lets CONCURRENTLY run.
    up = `-- migrate:up transaction:false\n${sqlComment(header.join('\n'))}\n${create}\n\n-- migrate:down transaction:false\n${drop}\n`;
  } else up = `${sqlComment(header.join('\n'))}\n${create}\n`;
  const changes: FileChange[] = [{ kind: 'create', filePath: paths.up, content: up }];
  if (paths.down) changes.push({ kind: 'create', filePath: paths.down, content: `${drop}\n` });
  return { changes, label: paths.label.replace(/\.sql$/, '') };
}
