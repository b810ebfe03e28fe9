import * as path from 'node:path';
import type { FileChange } from '../../../engine/model/finding';
import { typeormMigrationFacts } from '../../../engine/schema/migration-sources';
import type { ProjectView } from '../../../engine/workspace/project-view';
import type { IndexProposal } from '../index-proposal';
import { createIndexSql, dropIndexSql } from './index-sql';
import { nextTimestamp } from './migration-clock';
import { perRevision } from './project-cache';
import type { WrittenMigration } from './sql-migration-fix';

/** A folder of TypeORM migration classes and how its files are written. */
export interface TypeormMigrationFolder {
  dir: string;
  /** Between the timestamp and the class name in file names: TypeORM's CLI writes `-`. */
  separator: string;
  timestamps: string[];
  indent: string;
  quote: string;
  /** The project's migrations set `transaction = false` (so CONCURRENTLY can run). */
  nonTransactional: boolean;
  count: number;
}

const MIGRATION_FILE = /^(\d{13})([-_])\w+\.ts$/;

/** The project's TypeORM migration folders, the fullest first. */
export const typeormMigrationFolders = perRevision((project: ProjectView): TypeormMigrationFolder[] => {
  const byDir = new Map<string, Array<{ base: string; text: string }>>();
  for (const { filePath } of project.allFacts(typeormMigrationFacts)) {
    const text = project.file(filePath)?.text ?? '';
    if (!/implements\s+MigrationInterface\b/.test(text) || !MIGRATION_FILE.test(path.basename(filePath))) continue;
    const dir = path.dirname(filePath);
    byDir.set(dir, [...(byDir.get(dir) ?? []), { base: path.basename(filePath), text }]);
  }
  return [...byDir].map(([dir, files]) => {
    const separators = files.map((f) => MIGRATION_FILE.exec(f.base)![2]!);
    const sample = files[files.length - 1]!.text;
    return {
      dir,
      separator: separators.filter((s) => s === '_').length > separators.length / 2 ? '_' : '-',
      timestamps: files.map((f) => MIGRATION_FILE.exec(f.base)![1]!),
      indent: /\n([ \t]+)\S/.exec(sample)?.[1] ?? '  ',
      quote: /from\s+"typeorm"/.test(sample) ? '"' : "'",
      nonTransactional: files.some((f) => /\btransaction\s*=\s*false\b/.test(f.text)),
      count: files.length,
    };
  }).sort((a, b) => b.count - a.count || a.dir.localeCompare(b.dir));
});

/** `add_idx_orders_customer_id` → `AddIdxOrdersCustomerId`. */
function className(slug: string): string {
  return slug.split(/[^A-Za-z0-9]+/).filter(Boolean).map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
}

/** Inside a template literal: backticks and `${` are escaped. */
function templateText(sql: string): string {
  return sql.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

/**
 * A TypeORM migration class creating the index in `up` and dropping it in `down`. TypeORM runs
 * migrations in a transaction unless the class sets `transaction = false`; the index is built
 * CONCURRENTLY only in projects whose migrations already opt out that way.
 */
export function typeormMigration(proposal: IndexProposal, indexName: string, slug: string, folder: TypeormMigrationFolder, now: Date): WrittenMigration {
  const timestamp = nextTimestamp(now, 13, folder.timestamps);
  const name = `${className(slug)}${timestamp}`;
  const concurrently = folder.nonTransactional;
  const i = folder.indent;
  const q = folder.quote;
  const lines = [
    `import { MigrationInterface, QueryRunner } from ${q}typeorm${q};`,
    '',
    `/** Index for ${proposal.purpose.replace(/\*\//g, '* /')}. */`,
    `export class ${name} implements MigrationInterface {`,
    `${i}name = ${q}${name}${q};`,
  ];
  if (concurrently) lines.push(`${i}// CREATE INDEX CONCURRENTLY cannot run inside a transaction.`, `${i}transaction = false;`);
  else lines.push(`${i}// TypeORM runs this in a transaction, where CONCURRENTLY fails; on a large, busy table create the index concurrently by hand first.`);
  lines.push(
    '',
    `${i}public async up(queryRunner: QueryRunner): Promise<void> {`,
    `${i}${i}await queryRunner.query(\`${templateText(createIndexSql(proposal, indexName, { concurrently }))}\`);`,
    `${i}}`,
    '',
    `${i}public async down(queryRunner: QueryRunner): Promise<void> {`,
    `${i}${i}await queryRunner.query(\`${templateText(dropIndexSql(proposal, indexName, { concurrently }))}\`);`,
    `${i}}`,
    '}',
    '',
  );
  const filePath = path.join(folder.dir, `${timestamp}${folder.separator}${className(slug)}.ts`);
  const changes: FileChange[] = [{ kind: 'create', filePath, content: lines.join('\n') }];
  return { changes, label: `${timestamp}${folder.separator}${className(slug)}` };
}
