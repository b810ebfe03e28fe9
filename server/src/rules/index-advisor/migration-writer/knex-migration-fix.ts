import type { FileChange } from '../../../engine/model/finding';
import { knexMigrationFacts } from '../../../engine/schema/knex-migration-source';
import type { IndexProposal } from '../index-proposal';
import { createIndexSql, dropIndexSql } from './index-sql';
import { commentText, isTypeScript, jsMigrationFolders, jsMigrationPath, jsString, type JsMigrationFolder } from './js-migration-folder';
import type { WrittenMigration } from './sql-migration-fix';

/** The project's Knex migration folders (the ones whose schema-builder calls the catalog read), the fullest first. */
export const knexMigrationFolders = jsMigrationFolders(knexMigrationFacts);

/**
 * Whether Knex's table builder can say the index: `table.index(columns, name)` has no key
 * direction, no expression key (only raw ones the catalog cannot read back) and a predicate only
 * as a query builder. A descending equality key is still fine: its direction does not matter.
 */
function builderCanDeclare(proposal: IndexProposal): boolean {
  return proposal.where === undefined && proposal.keys.every((key) => key.column !== undefined && (!key.descending || key.role === 'equality'));
}

/**
 * A Knex migration named like its siblings (`20261124093000_add_idx_orders_customer_id.js`), in
 * their module style: `up` adds the index with the schema builder
 * (`knex.schema.alterTable('orders', (table) => { table.index([...], name) })`), or with
 * `knex.raw('CREATE INDEX …')` for what the builder cannot say (DESC, partial, expression keys);
 * `down` drops it. Knex runs each migration in a transaction, where CONCURRENTLY fails; the index
 * is built concurrently only in projects whose migrations already opt out with
 * `config = { transaction: false }`, and this one then opts out too.
 */
export function knexMigration(proposal: IndexProposal, indexName: string, slug: string, folder: JsMigrationFolder, now: Date): WrittenMigration {
  const { filePath, label } = jsMigrationPath(folder, slug, now);
  const q = folder.quote;
  const i = folder.indent;
  const semi = folder.semicolons ? ';' : '';
  const ts = isTypeScript(folder);
  const concurrently = folder.nonTransactional;
  const raw = concurrently || !builderCanDeclare(proposal);
  const schema = proposal.table.schema && proposal.table.schema !== 'public' ? `.withSchema(${jsString(proposal.table.schema, q)})` : '';
  const table = jsString(proposal.table.name, q);
  const columns = `[${proposal.keys.map((key) => jsString(key.column ?? '', q)).join(', ')}]`;
  const name = jsString(indexName, q);
  const body = (direction: 'up' | 'down'): string => {
    if (raw) {
      const sql = direction === 'up' ? createIndexSql(proposal, indexName, { concurrently }) : dropIndexSql(proposal, indexName, { concurrently });
      return `knex.raw(${jsString(sql, q)})`;
    }
    const call = direction === 'up' ? `table.index(${columns}, ${name})` : `table.dropIndex(${columns}, ${name})`;
    return `knex.schema${schema}.alterTable(${table}, (table) => {\n${i}${i}${call}${semi}\n${i}})`;
  };
  const lines: string[] = [];
  const header = [`Index for ${commentText(proposal.purpose)}.`];
  if (!concurrently) header.push(`Knex runs this in a transaction, where CREATE INDEX CONCURRENTLY fails; on a large, busy table create the index concurrently by hand first${raw ? ' (IF NOT EXISTS then skips it here)' : ''}.`);
  if (ts) {
    const typeImport = /^import\s+(?:type\s+)?\{\s*Knex\s*\}\s+from\s+['"]knex['"];?[ \t]*$/m.exec(folder.sample)?.[0];
    lines.push(typeImport ?? `import type { Knex } from ${q}knex${q}${semi}`, '');
  }
  lines.push('/**', ...header.map((line) => ` * ${line}`));
  if (!ts) lines.push(' * @param { import("knex").Knex } knex');
  lines.push(' */');
  const fn = (direction: 'up' | 'down'): string[] => {
    if (ts) return [`export async function ${direction}(knex: Knex): Promise<void> {`, `${i}await ${body(direction)}${semi}`, '}'];
    if (folder.esm) return [`export async function ${direction}(knex) {`, `${i}await ${body(direction)}${semi}`, '}'];
    return [`exports.${direction} = function (knex) {`, `${i}return ${body(direction)}${semi}`, `}${semi}`];
  };
  lines.push(...fn('up'), '');
  if (!ts) lines.push('/** @param { import("knex").Knex } knex */');
  lines.push(...fn('down'));
  if (concurrently) {
    lines.push('', '// CREATE INDEX CONCURRENTLY cannot run inside a transaction.');
    lines.push(ts || folder.esm ? `export const config = { transaction: false }${semi}` : `exports.config = { transaction: false }${semi}`);
  }
  lines.push('');
  const changes: FileChange[] = [{ kind: 'create', filePath, content: lines.join('\n') }];
  return { changes, label };
}
