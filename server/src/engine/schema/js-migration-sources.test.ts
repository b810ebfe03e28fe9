import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureSqlParser } from '../sql/sql-gate';
import { ProjectIndex } from '../workspace/project-index';
import type { CatalogIndex, SchemaCatalog } from './catalog-model';
import { schemaCatalogOf } from './schema-catalog';

/** Knex schema-builder and Sequelize queryInterface migrations replayed into the catalog. */

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-js-migrations-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function catalogOf(dir: string, files: Record<string, string>): SchemaCatalog {
  const target = path.join(root, dir);
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(target, relative)), { recursive: true });
    fs.writeFileSync(path.join(target, relative), text);
  }
  const project = new ProjectIndex(target);
  project.setFiles(Object.keys(files).map((relative) => path.join(target, relative)));
  return schemaCatalogOf(project)!;
}

const show = (index: CatalogIndex): string =>
  `${index.primary ? 'pk ' : index.unique ? 'unique ' : ''}${index.name}(${index.keys.map((key) => `${key.column}${key.descending ? ' desc' : ''}`).join(',')})${index.method !== 'btree' ? ` using ${index.method}` : ''}${index.where ? ` where ${index.where}` : ''}`;

describe('Knex schema-builder migrations', () => {
  before(async () => {
    await ensureSqlParser();
  });

  const knexFiles: Record<string, string> = {
    'db/migrations/20240101090000_create_customers.js': `exports.up = function (knex) {
  return knex.schema
    .createTable('customers', (t) => {
      t.increments();
      t.string('email').notNullable().unique();
      t.string('region').index();
      t.timestamps(false, true);
    })
    .createTable('orders', function (table) {
      table.bigIncrements('id');
      table.integer('customer_id').unsigned().references('id').inTable('customers');
      table.string('status');
      table.string('legacy_code');
      table.index(['customer_id', 'created_at']);
      table.unique(['status', 'legacy_code'], { indexName: 'orders_status_code_uq' });
      table.index(['status'], 'orders_open_idx', { predicate: knex.whereNull('closed_at') });
      table.timestamps();
    });
};
exports.down = function (knex) {
  return knex.schema.dropTable('orders').dropTable('customers');
};
`,
    'db/migrations/20240201090000_orders_changes.js': `exports.up = async (knex) => {
  await knex.schema.alterTable('orders', (t) => {
    t.renameColumn('legacy_code', 'code');
    t.dropIndex(['customer_id', 'created_at']);
    t.timestamp('shipped_at').index('orders_shipped_at_idx');
    t.string('status', 40).alter().index();
  });
  await knex.raw('CREATE INDEX orders_customer_created_desc ON orders (customer_id, created_at DESC)');
  await knex.schema.raw('CREATE INDEX orders_tags_gin ON orders USING gin (status)');
  await knex.schema.createTable('scratch', (t) => { t.increments(); });
  await knex.schema.dropTableIfExists('scratch');
};
exports.down = async (knex) => {
  await knex.schema.dropTable('orders');
};
`,
    'db/migrations/20240301090000_invoices.ts': `import type { Knex } from 'knex';
export async function up(knex: Knex): Promise<void> {
  await knex.schema.withSchema('billing').createTable('invoices', (t) => {
    t.uuid('id').primary();
    t.integer('order_id').notNullable();
    t.foreign('order_id').references('orders.id');
    t.integer('customer_id').references('customers.id').withKeyName('invoices_customer_fk');
    t.specificType('tags', 'text[]');
    t.index('tags', undefined, 'GIN');
  });
}
export async function down(knex: Knex): Promise<void> {
  await knex.schema.withSchema('billing').dropTable('invoices');
}
`,
  };

  it('replays createTable, alterTable, raw SQL and drops in file order, with Knex names', () => {
    const catalog = catalogOf('knex', knexFiles);
    const customers = catalog.table('customers')!;
    assert.equal(customers.origin.kind, 'knex-migration');
    assert.deepEqual(customers.columns.map((c) => `${c.name}:${c.type}`), ['id:integer', 'email:varchar', 'region:varchar', 'created_at:undefined', 'updated_at:undefined']);
    assert.deepEqual(customers.indexes.map(show), ['pk customers_pkey(id)', 'unique customers_email_unique(email)', 'customers_region_index(region)']);
    const orders = catalog.table('orders')!;
    assert.deepEqual(orders.columns.map((c) => c.name), ['id', 'customer_id', 'status', 'code', 'created_at', 'updated_at', 'shipped_at']);
    assert.deepEqual(orders.indexes.map(show), [
      'pk orders_pkey(id)',
      'unique orders_status_code_uq(status,code)',
      'orders_open_idx(status) where closed_at IS NULL',
      'orders_shipped_at_idx(shipped_at)',
      'orders_status_index(status)',
      'orders_customer_created_desc(customer_id,created_at desc)',
      'orders_tags_gin(status) using gin',
    ]);
    assert.deepEqual(orders.foreignKeys.map((fk) => `${fk.name}:${fk.columns}->${fk.referencedTable}(${fk.referencedColumns})`), ['orders_customer_id_foreign:customer_id->customers(id)']);
    assert.equal(catalog.table('scratch'), undefined);
  });

  it('reads the TypeScript form, withSchema, primary(), foreign() and withKeyName', () => {
    const catalog = catalogOf('knex', knexFiles);
    const invoices = catalog.table('invoices', 'billing')!;
    assert.ok(invoices, 'billing.invoices is in the catalog');
    assert.deepEqual(invoices.indexes.map(show), ['pk invoices_pkey(id)', 'invoices_tags_index(tags) using gin']);
    assert.deepEqual(invoices.foreignKeys.map((fk) => `${fk.name}:${fk.columns}->${fk.referencedTable}`), ['invoices_order_id_foreign:order_id->orders', 'invoices_customer_fk:customer_id->customers']);
  });

  it('ignores schema-builder calls outside a migrations folder, outside up, and on other receivers', () => {
    const catalog = catalogOf('knex-negative', {
      'src/seeds/01_users.js': "exports.up = (knex) => knex.schema.createTable('seed_only', (t) => { t.increments(); });\n",
      'migrations/20240101000000_a.js': `exports.up = (knex) => knex.schema.createTable('accounts', (t) => { t.increments(); t.string('name'); });
exports.down = (knex) => knex.schema.createTable('down_only', (t) => { t.increments(); });
function helper(other) { return other.schema.createTable('helper_only', (t) => { t.increments(); }); }
`,
    });
    assert.ok(catalog.table('accounts'));
    assert.equal(catalog.table('seed_only'), undefined);
    assert.equal(catalog.table('down_only'), undefined);
    assert.equal(catalog.table('helper_only'), undefined);
  });
});

describe('Sequelize queryInterface migrations', () => {
  before(async () => {
    await ensureSqlParser();
  });

  const sequelizeFiles: Record<string, string> = {
    'server/migrations/20230101000000-create-projects.js': `'use strict';
module.exports = {
  up: async (queryInterface, Sequelize) => {
    await queryInterface.createTable('projects', {
      id: { type: Sequelize.UUID, primaryKey: true, allowNull: false },
      slug: { type: Sequelize.STRING, unique: true },
      ownerId: { type: Sequelize.UUID, references: { model: 'users', key: 'id' } },
      archivedAt: Sequelize.DATE,
      createdAt: { type: Sequelize.DATE, allowNull: false },
      isPublic: { type: Sequelize.BOOLEAN, defaultValue: false },
    });
    await queryInterface.addIndex('projects', ['ownerId', 'createdAt']);
    await queryInterface.addIndex('projects', ['slug'], { name: 'projects_live_slug', unique: true, where: { archivedAt: null } });
  },
  down: async (queryInterface) => {
    await queryInterface.dropTable('projects');
  },
};
`,
    'server/migrations/20230201000000-project-tasks.js': `module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.createTable('tasks', {
        id: { type: Sequelize.INTEGER, primaryKey: true, autoIncrement: true },
        projectId: { type: Sequelize.UUID, allowNull: false },
        state: Sequelize.STRING,
        position: Sequelize.INTEGER,
      }, { transaction });
      await queryInterface.addConstraint('tasks', { type: 'foreign key', fields: ['projectId'], name: 'tasks_project_fk', references: { table: 'projects', field: 'id' }, transaction });
      await queryInterface.addConstraint('tasks', { type: 'unique', fields: ['projectId', 'position'], transaction });
      await queryInterface.addIndex('tasks', { fields: ['state', { name: 'position', order: 'DESC' }], name: 'tasks_state_position', transaction });
    });
    await queryInterface.removeIndex('projects', ['ownerId', 'createdAt']);
    await queryInterface.renameColumn('projects', 'ownerId', 'accountId');
    await queryInterface.addColumn('projects', 'teamId', { type: Sequelize.UUID, references: { model: 'teams' } });
    await queryInterface.sequelize.query('CREATE INDEX projects_team_id ON projects ("teamId") WHERE "archivedAt" IS NULL;');
    await queryInterface.sequelize.query(\`UPDATE projects SET "teamId" = NULL\`);
  },
  async down(queryInterface) {
    await queryInterface.removeColumn('projects', 'teamId');
  },
};
`,
    'server/migrations/20230301000000-drop-slug-unique.js': `module.exports = {
  up: async (qi) => {
    await qi.removeConstraint('tasks', 'tasks_projectId_position_uk');
    await qi.removeColumn('projects', 'slug');
  },
};
`,
  };

  it('replays createTable, addIndex (default names), constraints, renames and SQL strings in order', () => {
    const catalog = catalogOf('sequelize', sequelizeFiles);
    const projects = catalog.table('projects')!;
    assert.equal(projects.origin.kind, 'sequelize-migration');
    assert.deepEqual(projects.columns.map((c) => c.name), ['id', 'accountId', 'archivedAt', 'createdAt', 'isPublic', 'teamId']);
    // Column types matter to the matcher: a boolean filter is not worth an index.
    assert.deepEqual(projects.columns.map((c) => c.type), ['uuid', 'uuid', 'date', 'date', 'boolean', 'uuid']);
    // The unique slug and its partial index went with the slug column; the (ownerId, createdAt) index was removed by its fields.
    assert.deepEqual(projects.indexes.map(show), ['pk projects_pkey(id)', 'projects_team_id(teamId) where "archivedAt" IS NULL']);
    assert.deepEqual(projects.foreignKeys.map((fk) => `${fk.columns}->${fk.referencedTable}`), ['accountId->users', 'teamId->teams']);
    const tasks = catalog.table('tasks')!;
    assert.deepEqual(tasks.indexes.map(show), ['pk tasks_pkey(id)', 'tasks_state_position(state,position desc)']);
    assert.deepEqual(tasks.foreignKeys.map((fk) => `${fk.name}:${fk.columns}->${fk.referencedTable}(${fk.referencedColumns})`), ['tasks_project_fk:projectId->projects(id)']);
  });

  it('names addIndex the way Sequelize does, and keeps partial predicates', () => {
    const catalog = catalogOf('sequelize-names', {
      'migrations/20230101000000-a.js': `module.exports = {
  up: async (queryInterface, Sequelize) => {
    await queryInterface.createTable('apiKeys', { id: { type: Sequelize.UUID, primaryKey: true }, userId: Sequelize.UUID, deletedAt: Sequelize.DATE, kind: Sequelize.STRING });
    await queryInterface.addIndex('apiKeys', ['userId', 'deletedAt']);
    await queryInterface.addIndex('apiKeys', ['kind'], { indicesType: 'UNIQUE', where: { kind: { [Sequelize.Op.ne]: null } } });
  },
};
`,
    });
    assert.deepEqual(catalog.table('apiKeys')!.indexes.map(show), [
      'pk apiKeys_pkey(id)',
      'api_keys_user_id_deleted_at(userId,deletedAt)',
      'unique api_keys_kind(kind) where { kind: { [Sequelize.Op.ne]: null } }',
    ]);
  });

  it('leaves db-migrate migrations to their own source, and reads nothing outside migrations folders or in down', () => {
    const catalog = catalogOf('sequelize-negative', {
      // db-migrate's own createTable / addIndex(table, indexName, columns): not Sequelize's.
      'migrations/20200101000000-dbm.js': `exports.up = function (db, cb) {
  db.createTable('flags', { id: { type: 'int', primaryKey: true }, name: 'string' }, cb);
  db.addIndex('flags', 'flags_name_idx', ['name'], cb);
};
`,
      'src/setup/bootstrap.js': `module.exports = { up: async (queryInterface, Sequelize) => { await queryInterface.createTable('not_a_migration', { id: { type: Sequelize.INTEGER, primaryKey: true } }); } };\n`,
      'migrations/20200201000000-only-down.js': `module.exports = { up: async () => {}, down: async (queryInterface, Sequelize) => { await queryInterface.createTable('from_down', { id: { type: Sequelize.INTEGER, primaryKey: true } }); } };\n`,
    });
    // The db-migrate source reads them instead, with db-migrate's argument order.
    assert.equal(catalog.table('flags')!.origin.kind, 'db-migrate-migration');
    assert.deepEqual(catalog.table('flags')!.indexes.map(show), ['pk flags_pkey(id)', 'flags_name_idx(name)']);
    assert.equal(catalog.table('not_a_migration'), undefined);
    assert.equal(catalog.table('from_down'), undefined);
  });
});

describe('sequelize-typescript models that extend a project base class', () => {
  before(async () => {
    await ensureSqlParser();
  });

  it('maps a model whose base classes lead to sequelize Model, and no other', () => {
    const catalog = catalogOf('sequelize-bases', {
      'server/models/base/Model.ts': `import { Model as SequelizeModel } from 'sequelize-typescript';
class Model<A extends object = any, C extends object = A> extends SequelizeModel<A, C> {}
export default Model;
`,
      'server/models/base/IdModel.ts': `import { Column, PrimaryKey } from 'sequelize-typescript';
import Model from './Model';
class IdModel<A extends object = any> extends Model<A> { @PrimaryKey @Column id: string; }
export default IdModel;
`,
      'server/models/base/ParanoidModel.ts': `import { DeletedAt } from 'sequelize-typescript';
import IdModel from './IdModel';
export class ParanoidModel<A extends object = any> extends IdModel<A> { @DeletedAt deletedAt: Date | null; }
`,
      'server/models/base/index.ts': "export { ParanoidModel as SoftModel } from './ParanoidModel';\n",
      'server/models/Plain.ts': 'export class Plain { save() {} }\n',
      'server/models/Invoice.ts': `import { Table, Column } from 'sequelize-typescript';
import { SoftModel } from './base';
@Table({ tableName: 'invoices', modelName: 'invoice' })
export class Invoice extends SoftModel<Invoice> {
  @Column number: string;
  @Column customerId: string;
}
`,
      'server/models/Note.ts': `import { Table, Column } from 'sequelize-typescript';
import { Plain } from './Plain';
@Table({ tableName: 'notes' })
export class Note extends Plain { @Column body: string; }
`,
      'server/migrations/20230101000000-invoices.js': `module.exports = { up: async (queryInterface, Sequelize) => {
  await queryInterface.createTable('invoices', { id: { type: Sequelize.UUID, primaryKey: true }, number: Sequelize.STRING, customerId: Sequelize.UUID, deletedAt: Sequelize.DATE });
} };
`,
    });
    const invoice = catalog.mapping('sequelize', 'Invoice');
    assert.equal(invoice?.table, 'invoices');
    assert.equal(invoice?.columns.customerId, 'customerId');
    assert.equal(catalog.table('invoices')!.origin.kind, 'sequelize-migration', 'the migration wins over the model');
    assert.equal(catalog.mapping('sequelize', 'Note'), undefined, 'a base class that is not a sequelize Model');
  });
});

describe('db-migrate schema API', () => {
  before(async () => {
    await ensureSqlParser();
  });

  it('replays createTable, addColumn, addIndex, addForeignKey and runSql in order, including the bind form and nested callbacks', () => {
    const catalog = catalogOf('db-migrate-api', {
      'src/migrations/20200101000000-create-members.js': `'use strict';
const async = require('async');
exports.up = function (db, cb) {
  async.series([
    db.createTable.bind(db, 'members', {
      id: { type: 'int', primaryKey: true, autoIncrement: true },
      email: { type: 'string', unique: true, notNull: true },
      team: { type: 'string', foreignKey: { name: 'members_team_fkey', table: 'teams', mapping: 'name', rules: { onDelete: 'CASCADE' } } },
      joined_at: 'timestamp',
      active: { type: 'boolean', defaultValue: true },
    }),
    db.addIndex.bind(db, 'members', 'members_joined_at_idx', ['joined_at']),
  ], cb);
};
exports.down = function (db, cb) { db.dropTable('members', cb); };
`,
      'src/migrations/20200201000000-members-role.js': `exports.up = function (db, cb) {
  db.addColumn('members', 'role', { type: 'string', notNull: true }, () => {
    db.runSql('CREATE INDEX members_team_role_idx ON members (team, role);', () => {
      db.removeIndex('members', 'members_joined_at_idx', cb);
    });
  });
};
`,
      'src/migrations/20200301000000-members-invited-by.js': `exports.up = async (db) => {
  await db.addColumn('members', 'invited_by', { type: 'int' });
  await db.addForeignKey('members', 'members', 'members_invited_by_fkey', { invited_by: 'id' }, { onDelete: 'SET NULL' });
  await db.renameColumn('members', 'joined_at', 'created_at');
};
`,
    });
    const members = catalog.table('members')!;
    assert.deepEqual(members.columns.map((c) => c.name), ['id', 'email', 'team', 'created_at', 'active', 'role', 'invited_by']);
    assert.equal(members.columns.find((c) => c.name === 'active')!.type, 'boolean');
    assert.deepEqual(members.indexes.map(show), ['pk members_pkey(id)', 'unique members_email_key(email)', 'members_team_role_idx(team,role)']);
    assert.deepEqual(members.foreignKeys.map((fk) => `${fk.name}:${fk.columns}->${fk.referencedTable}(${fk.referencedColumns})`), ['members_team_fkey:team->teams(name)', 'members_invited_by_fkey:invited_by->members(id)']);
  });
});
