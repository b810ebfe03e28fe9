import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMigrationPath, sqlMigrationFacts } from '../../../engine/schema/migration-sources';
import type { CatalogTable } from '../../../engine/schema/catalog-model';
import type { ProjectView } from '../../../engine/workspace/project-view';
import { nextTimestamp } from './migration-clock';
import { perRevision } from './project-cache';

/**
 * How a folder of SQL migrations names its files:
 * - `prisma`: `migrations/<yyyyMMddHHmmss>_<name>/migration.sql` (Prisma runs each in a transaction);
 * - `flyway`: `V<version>__<name>.sql`;
 * - `timestamp`: `<timestamp>_<name>.sql` or `<timestamp>-<name>.sql`;
 * - `numbered`: `0007_<name>.sql`, zero padded;
 * - `dbmate`: `<timestamp>_<name>.sql` holding `-- migrate:up` / `-- migrate:down` sections;
 * - up/down pairs (`<prefix>_<name>.up.sql` + `.down.sql`, golang-migrate and friends) set `pairs`.
 */
export type SqlFolderKind = 'prisma' | 'flyway' | 'timestamp' | 'numbered' | 'dbmate';

export interface SqlMigrationFolder {
  dir: string;
  kind: SqlFolderKind;
  /** Writes an `.up.sql` and a `.down.sql` file. */
  pairs: boolean;
  /** Between the prefix and the name: `_`, `-`, or Flyway's `__`. */
  separator: string;
  /** Existing prefixes (versions, timestamps, numbers) in the folder. */
  prefixes: string[];
  /** Digits of a numbered or timestamp prefix. */
  width: number;
  /** Whether the runner wraps each file in a transaction, where `CREATE INDEX CONCURRENTLY` fails. */
  transactional: boolean;
  /** How many migrations the folder holds (to pick the main folder of a monorepo). */
  count: number;
}

interface Classified {
  kind: SqlFolderKind;
  prefix: string;
  separator: string;
  pair?: 'up' | 'down';
}

function classify(base: string): Classified | undefined {
  const pair = /\.(up|down)\.sql$/i.exec(base)?.[1]?.toLowerCase() as 'up' | 'down' | undefined;
  const flyway = /^V(\d+(?:[._]\d+)*)(__)/.exec(base);
  if (flyway) return { kind: 'flyway', prefix: flyway[1]!, separator: flyway[2]!, ...(pair ? { pair } : {}) };
  const numeric = /^(\d+)([_-])[^/]*\.sql$/i.exec(base);
  if (!numeric) return undefined;
  const digits = numeric[1]!;
  const timestamp = digits.length >= 10 || (digits.length === 8 && /^(19|20)\d{6}$/.test(digits));
  return { kind: timestamp ? 'timestamp' : 'numbered', prefix: digits, separator: numeric[2]!, ...(pair ? { pair } : {}) };
}

/**
 * The folder's file names on disk (the project's facts only list files with DDL; a data migration
 * still takes a number), plus the `known` ones the project holds that are not saved yet: a
 * migration another fix just created must not get the same number.
 */
function namesIn(dir: string, known: readonly string[]): string[] {
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    // a folder not on disk yet holds only the project's files
  }
  return [...new Set([...names, ...known])];
}

/**
 * The SQL migration folders of the project, from the migration files the schema catalog read,
 * the folder holding `table`'s CREATE TABLE first, then the fullest. Drizzle Kit folders are left
 * out: drizzle-kit applies only the files its `meta/_journal.json` lists, so a new file would never run.
 */
export function sqlMigrationFolders(project: ProjectView, table?: CatalogTable): SqlMigrationFolder[] {
  const home = table?.origin.kind === 'sql-migration' ? table.origin.filePath : undefined;
  const holds = (folder: SqlMigrationFolder): boolean => home !== undefined && home.startsWith(folder.dir + path.sep);
  return [...allFolders(project)].sort((a, b) => Number(holds(b)) - Number(holds(a)) || b.count - a.count || a.dir.localeCompare(b.dir));
}

const allFolders = perRevision((project: ProjectView): SqlMigrationFolder[] => {
  const byDir = new Map<string, { prisma: boolean; files: string[] }>();
  for (const { filePath } of project.allFacts(sqlMigrationFacts)) {
    const prisma = /[\\/]migrations[\\/]\d{14}_[^\\/]+[\\/]migration\.sql$/.test(filePath);
    if (!prisma && !isMigrationPath(filePath) && !classify(path.basename(filePath))) continue;
    const dir = prisma ? path.dirname(path.dirname(filePath)) : path.dirname(filePath);
    const entry = byDir.get(dir) ?? { prisma, files: [] };
    entry.files.push(filePath);
    byDir.set(dir, entry);
  }
  const folders: SqlMigrationFolder[] = [];
  for (const [dir, entry] of byDir) {
    const folder = entry.prisma ? prismaFolder(dir, entry.files) : plainFolder(dir, entry.files, project);
    if (folder) folders.push(folder);
  }
  return folders;
});

function prismaFolder(dir: string, files: string[]): SqlMigrationFolder {
  const prefixes = namesIn(dir, files.map((file) => path.basename(path.dirname(file)))).flatMap((name) => /^(\d{14})_/.exec(name)?.[1] ?? []);
  return { dir, kind: 'prisma', pairs: false, separator: '_', prefixes, width: 14, transactional: true, count: prefixes.length };
}

function plainFolder(dir: string, files: string[], project: ProjectView): SqlMigrationFolder | undefined {
  if (fs.existsSync(path.join(dir, 'meta', '_journal.json'))) return undefined;
  const classified = namesIn(dir, files.map((file) => path.basename(file))).flatMap((name) => classify(name) ?? []);
  if (classified.length === 0) return undefined;
  const votes = new Map<string, number>();
  for (const c of classified) votes.set(`${c.kind} ${c.separator}`, (votes.get(`${c.kind} ${c.separator}`) ?? 0) + 1);
  const [kind, separator] = [...votes].sort((a, b) => b[1] - a[1])[0]![0].split(' ') as [SqlFolderKind, string];
  const same = classified.filter((c) => c.kind === kind);
  const pairs = same.some((c) => c.pair === 'up') && same.some((c) => c.pair === 'down');
  const prefixes = [...new Set(same.map((c) => c.prefix))];
  const width = Math.max(...prefixes.map((p) => p.length));
  // dbmate keeps both directions in one file behind `-- migrate:up` and wraps it in a transaction.
  const sample = files.map((f) => project.file(f)?.text ?? '').find((text) => text.length > 0) ?? '';
  const dbmate = kind === 'timestamp' && /^--\s*migrate:up\b/m.test(sample);
  return { dir, kind: dbmate ? 'dbmate' : kind, pairs: pairs && !dbmate, separator, prefixes, width, transactional: dbmate, count: prefixes.length };
}

/** The next file prefix: a later timestamp, the next number (same padding), the next Flyway version. */
export function nextPrefix(folder: SqlMigrationFolder, now: Date): string {
  switch (folder.kind) {
    case 'prisma':
    case 'timestamp':
    case 'dbmate':
      return nextTimestamp(now, folder.width, folder.prefixes);
    case 'numbered': {
      const highest = Math.max(0, ...folder.prefixes.map(Number));
      return String(highest + 1).padStart(folder.width, '0');
    }
    case 'flyway': {
      // `V1_2__` → `V1_3__`; a timestamp-like version stays a timestamp.
      const highest = [...folder.prefixes].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).pop() ?? '0';
      const parts = highest.split(/([._])/);
      const last = parts[parts.length - 1]!;
      if (parts.length === 1 && last.length >= 12) return nextTimestamp(now, last.length, folder.prefixes);
      parts[parts.length - 1] = String(BigInt(last) + 1n);
      return parts.join('');
    }
  }
}

/** The paths a new migration named `name` gets. */
export function migrationPaths(folder: SqlMigrationFolder, name: string, now: Date): { up: string; down?: string; label: string } {
  const prefix = nextPrefix(folder, now);
  // `20240301101500-create-orders.sql`: a folder that separates with hyphens gets a hyphenated name.
  if (folder.separator === '-') name = name.replace(/_/g, '-');
  if (folder.kind === 'prisma') return { up: path.join(folder.dir, `${prefix}_${name}`, 'migration.sql'), label: `${prefix}_${name}` };
  const stem = folder.kind === 'flyway' ? `V${prefix}${folder.separator}${name}` : `${prefix}${folder.separator}${name}`;
  if (folder.pairs) return { up: path.join(folder.dir, `${stem}.up.sql`), down: path.join(folder.dir, `${stem}.down.sql`), label: `${stem}.up.sql` };
  return { up: path.join(folder.dir, `${stem}.sql`), label: `${stem}.sql` };
}
