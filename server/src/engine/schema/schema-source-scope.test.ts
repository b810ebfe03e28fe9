import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureSqlParser } from '../sql/sql-gate';
import { ProjectIndex } from '../workspace/project-index';
import { prismaSchemaOfTheProject } from './orm-sources';
import { schemaCatalogOf } from './schema-catalog';

/**
 * Which declarations describe the project's own Postgres database. Each case stands for a shape
 * met in public backends: a MongoDB Prisma schema, a SQLite twin and a provider template beside
 * the Postgres schema, sample schemas kept as data in `src/`, a `@JoinColumn` on the inverse side.
 */

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-schema-scope-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function projectOf(dir: string, files: Record<string, string>): ProjectIndex {
  const target = path.join(root, dir);
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(target, relative)), { recursive: true });
    fs.writeFileSync(path.join(target, relative), text);
  }
  const project = new ProjectIndex(target);
  project.setFiles(Object.keys(files).map((relative) => path.join(target, relative)));
  return project;
}

const datasource = (provider: string): string => `datasource db {\n  provider = "${provider}"\n  url      = env("DATABASE_URL")\n}\n`;
const ticketModel = `model Ticket {
  id        String @id
  queueId   String @map("queue_id")
  code      String
  queue     Queue  @relation(fields: [queueId], references: [id])
  @@unique([queueId, code], name: "queueCode")
  @@map("tickets")
}
model Queue {
  id String @id
  tickets Ticket[]
}
`;

describe('schema sources: what counts as the project schema', () => {
  before(async () => {
    await ensureSqlParser();
  });

  it('reads Postgres and CockroachDB Prisma schemas and ones without a datasource block', () => {
    assert.equal(prismaSchemaOfTheProject('/p/prisma/schema.prisma', datasource('postgresql')), true);
    assert.equal(prismaSchemaOfTheProject('/p/prisma/schema.prisma', datasource('postgres')), true);
    assert.equal(prismaSchemaOfTheProject('/p/db/schema.prisma', datasource('cockroachdb')), true);
    assert.equal(prismaSchemaOfTheProject('/p/prisma/schema/billing.prisma', 'model Invoice {\n  id Int @id\n}\n'), true);
  });

  it('ignores schemas of other databases, provider templates and .prisma files kept as data', () => {
    assert.equal(prismaSchemaOfTheProject('/p/prisma/schema.prisma', datasource('mongodb')), false);
    assert.equal(prismaSchemaOfTheProject('/p/prisma/schema.prisma', datasource('mysql')), false);
    assert.equal(prismaSchemaOfTheProject('/p/prisma/sqlite/schema.prisma', datasource('sqlite')), false);
    assert.equal(prismaSchemaOfTheProject('/p/prisma/template.prisma', datasource('{{DB_PROVIDER}}')), false);
    assert.equal(prismaSchemaOfTheProject('/p/src/importer/samples/shop/shop.prisma', datasource('postgresql')), false);
  });

  it('keeps model names unambiguous when a SQLite twin and a template sit beside the Postgres schema', () => {
    const catalog = schemaCatalogOf(
      projectOf('twins', {
        'db/prisma/postgres/schema.prisma': datasource('postgresql') + ticketModel,
        'db/prisma/sqlite/schema.prisma': datasource('sqlite') + ticketModel,
        'db/prisma/template.prisma': datasource('{{PROVIDER}}') + ticketModel,
        'api/src/importer/samples/helpdesk.prisma': datasource('postgresql') + 'model Ticket {\n  id Int @id\n  title String\n}\n',
      }),
    )!;
    const mapping = catalog.mapping('prisma', 'ticket');
    assert.equal(mapping?.table, 'tickets');
    assert.match(mapping!.origin.filePath, /postgres[\\/]schema\.prisma$/);
    assert.equal(catalog.declaredForeignKeys.length, 1);
  });

  it('a MongoDB Prisma schema gives no tables, so nothing is reported against it', () => {
    const catalog = schemaCatalogOf(projectOf('mongo', { 'prisma/schema.prisma': datasource('mongodb') + ticketModel }))!;
    assert.equal(catalog.tables().length, 0);
    assert.equal(catalog.declaredForeignKeys.length, 0);
  });

  it('names a @@unique by its map: only (name: is the client field of the compound key)', () => {
    const catalog = schemaCatalogOf(projectOf('unique-name', { 'prisma/schema.prisma': datasource('postgresql') + ticketModel }))!;
    assert.deepEqual(
      catalog.indexesOf('tickets').map((index) => index.name),
      ['tickets_pkey', 'tickets_queue_id_code_key'],
    );
  });

  it('replays db-migrate migrations: the SQL strings `up` passes to `db.runSql`, in timestamp order, never `down`', () => {
    const catalog = schemaCatalogOf(
      projectOf('db-migrate', {
        'src/migrations/20190301090000-create-flags.js': `'use strict';
exports.up = function (db, callback) {
  db.runSql(\`CREATE TABLE flags (id serial PRIMARY KEY, project text NOT NULL, name text NOT NULL, archived_at timestamptz);\`, callback);
};
exports.down = function (db, callback) {
  db.runSql('DROP TABLE flags;', callback);
};
`,
        'src/migrations/20190402120000-index-flags.js': `exports.up = async (db) => {
  await db.runSql('CREATE INDEX flags_project_idx ON flags (project) WHERE archived_at IS NULL;');
};
exports.down = (db, cb) => db.runSql('DROP INDEX flags_project_idx;', cb);
`,
        // Not a migrations folder: some other library's runSql is not read as schema.
        'src/tools/report.js': "exports.up = (db) => db.runSql('CREATE TABLE scratch (id int);');\n",
      }),
    )!;
    const flags = catalog.table('flags')!;
    assert.equal(flags.origin.kind, 'db-migrate-migration');
    assert.deepEqual(
      flags.indexes.map((index) => `${index.name}(${index.keys.map((key) => key.column).join(',')})${index.where ? ` WHERE ${index.where}` : ''}`),
      ['flags_pkey(id)', 'flags_project_idx(project) WHERE archived_at IS NULL'],
    );
    assert.equal(catalog.table('scratch'), undefined);
  });

  it('a @JoinColumn beside @OneToMany declares no foreign key; beside @OneToOne it does', () => {
    const entities = `import { Entity, PrimaryGeneratedColumn, OneToMany, OneToOne, ManyToOne, JoinColumn } from 'typeorm';
@Entity('shelves')
export class Shelf {
  @PrimaryGeneratedColumn() id: number;
  @OneToMany(() => Book, (book) => book.shelf) @JoinColumn() books: Book[];
  @OneToOne(() => Label) @JoinColumn({ name: 'label_id' }) label: Label;
}
@Entity('books')
export class Book {
  @PrimaryGeneratedColumn() id: number;
  @ManyToOne(() => Shelf, (shelf) => shelf.books) shelf: Shelf;
}
@Entity('labels')
export class Label { @PrimaryGeneratedColumn() id: number; }
`;
    const catalog = schemaCatalogOf(projectOf('join-columns', { 'src/library.entity.ts': entities }))!;
    assert.deepEqual(catalog.table('shelves')!.foreignKeys.map((fk) => fk.columns), [['label_id']]);
    assert.deepEqual(catalog.table('books')!.foreignKeys.map((fk) => fk.columns), [['shelfId']]);
  });
});
