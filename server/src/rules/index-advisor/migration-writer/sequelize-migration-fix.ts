import type { FileChange } from '../../../engine/model/finding';
import { sequelizeMigrationFacts } from '../../../engine/schema/sequelize-migration-source';
import type { IndexProposal } from '../index-proposal';
import { createIndexSql } from './index-sql';
import { commentText, isTypeScript, jsMigrationFolders, jsMigrationPath, jsString, type JsMigrationFolder } from './js-migration-folder';
import type { WrittenMigration } from './sql-migration-fix';

/** The project's Sequelize migration folders (the ones whose queryInterface calls the catalog read), the fullest first. */
export const sequelizeMigrationFolders = jsMigrationFolders(sequelizeMigrationFacts);

/**
 * A Sequelize migration named like its siblings (`20261124093000-add-idx-orders-customer-id.js`),
 * in their module style: `up` calls `queryInterface.addIndex(table, fields, { name, concurrently })`
 * (a descending key as `{ name, order: 'DESC' }`), or runs the CREATE INDEX itself through
 * `queryInterface.sequelize.query` for a partial or expression index, whose predicate `addIndex`
 * would take only as a where object; `down` removes it. sequelize-cli and Umzug do not wrap a
 * migration in a transaction, so the index is built CONCURRENTLY (no write lock on a live table).
 */
export function sequelizeMigration(proposal: IndexProposal, indexName: string, slug: string, folder: JsMigrationFolder, now: Date): WrittenMigration {
  const { filePath, label } = jsMigrationPath(folder, slug, now);
  const q = folder.quote;
  const i = folder.indent;
  const semi = folder.semicolons ? ';' : '';
  const ts = isTypeScript(folder);
  const table = proposal.table.schema && proposal.table.schema !== 'public'
    ? `{ tableName: ${jsString(proposal.table.name, q)}, schema: ${jsString(proposal.table.schema, q)} }`
    : jsString(proposal.table.name, q);
  const name = jsString(indexName, q);
  const raw = proposal.where !== undefined || proposal.keys.some((key) => key.column === undefined);
  const fields = proposal.keys.map((key) => (key.descending ? `{ name: ${jsString(key.column!, q)}, order: ${q}DESC${q} }` : jsString(key.column!, q))).join(', ');
  const up = raw
    ? `await queryInterface.sequelize.query(${jsString(createIndexSql(proposal, indexName, { concurrently: true }), q)})${semi}`
    : ts
      ? // The typings take field objects (`order: 'DESC'`) only in the options form.
        `await queryInterface.addIndex(${table}, { fields: [${fields}], name: ${name}, concurrently: true })${semi}`
      : `await queryInterface.addIndex(${table}, [${fields}], { name: ${name}, concurrently: true })${semi}`;
  const down = `await queryInterface.removeIndex(${table}, ${name}, { concurrently: true })${semi}`;
  const param = ts ? 'queryInterface: QueryInterface' : 'queryInterface';
  const method = (direction: 'up' | 'down', statement: string): string[] => [`${i}async ${direction}(${param}) {`, `${i}${i}${statement}`, `${i}},`];
  const lines: string[] = [];
  if (ts) {
    const typeImport = /^import\s+(?:type\s+)?\{[^}]*\bQueryInterface\b[^}]*\}\s+from\s+['"]sequelize['"];?[ \t]*$/m.exec(folder.sample)?.[0];
    lines.push(typeImport ?? `import type { QueryInterface } from ${q}sequelize${q}${semi}`, '');
  } else if (!folder.esm && /^(['"])use strict\1/.test(folder.sample)) lines.push(`${q}use strict${q}${semi}`, '');
  lines.push(`/** Index for ${commentText(proposal.purpose)}. */`);
  if (/^\s*export\s+(?:async\s+function|const)\s+up\b/m.test(folder.sample)) {
    // Named exports, as the siblings write them.
    const named = (direction: 'up' | 'down', statement: string): string[] => [`export async function ${direction}(${param})${ts ? ': Promise<void>' : ''} {`, `${i}${statement}`, '}'];
    lines.push(...named('up', up), '', ...named('down', down), '');
  } else lines.push(ts || folder.esm ? 'export default {' : 'module.exports = {', ...method('up', up), '', ...method('down', down), `}${semi}`, '');
  const changes: FileChange[] = [{ kind: 'create', filePath, content: lines.join('\n') }];
  return { changes, label };
}
