import type { CatalogIndex, CatalogTable } from './catalog-model';
import type { DdlOp, QName } from './sql-ddl';

/** Replays DDL operations, in migration order, into tables. Unknown targets are ignored, never guessed. */
export class CatalogBuilder {
  readonly tables = new Map<string, CatalogTable>();

  private key(q: QName): string {
    return `${q.schema}.${q.name}`;
  }

  table(q: QName): CatalogTable | undefined {
    return this.tables.get(this.key(q));
  }

  apply(op: DdlOp): void {
    switch (op.op) {
      case 'create-table': {
        if (this.tables.has(this.key(op.table)) && op.ifNotExists) return;
        this.tables.set(this.key(op.table), {
          schema: op.table.schema,
          name: op.table.name,
          columns: [...op.columns],
          indexes: [...op.indexes],
          foreignKeys: [...op.foreignKeys],
          origin: op.origin,
        });
        return;
      }
      case 'create-index': {
        const table = this.table({ schema: op.index.schema, name: op.index.table });
        if (!table) return;
        if (op.index.name && table.indexes.some((i) => i.name === op.index.name)) {
          if (op.ifNotExists) return;
          table.indexes = table.indexes.filter((i) => i.name !== op.index.name);
        }
        table.indexes.push(op.index);
        return;
      }
      case 'drop-index':
        for (const name of op.names) this.dropIndex(name);
        return;
      case 'drop-table':
        for (const name of op.names) this.tables.delete(this.key(name));
        return;
      case 'rename-table': {
        const table = this.table(op.table);
        if (!table) return;
        this.tables.delete(this.key(op.table));
        table.name = op.to;
        table.indexes = table.indexes.map((i) => ({ ...i, table: op.to }));
        this.tables.set(this.key({ schema: table.schema, name: op.to }), table);
        return;
      }
      case 'rename-column': {
        const table = this.table(op.table);
        if (!table) return;
        for (const column of table.columns) if (column.name === op.from) column.name = op.to;
        table.indexes = table.indexes.map((index) => ({
          ...index,
          keys: index.keys.map((k) => (k.column === op.from ? { ...k, column: op.to } : k)),
          include: index.include.map((c) => (c === op.from ? op.to : c)),
        }));
        for (const fk of table.foreignKeys) fk.columns = fk.columns.map((c) => (c === op.from ? op.to : c));
        return;
      }
      case 'rename-index':
        for (const table of this.tables.values()) {
          if (table.schema !== op.index.schema) continue;
          table.indexes = table.indexes.map((i) => (i.name === op.index.name ? { ...i, name: op.to } : i));
        }
        return;
      case 'add-column': {
        const table = this.table(op.table);
        if (!table) return;
        table.columns.push(op.column);
        table.indexes.push(...op.indexes);
        table.foreignKeys.push(...op.foreignKeys);
        return;
      }
      case 'drop-column': {
        const table = this.table(op.table);
        if (!table) return;
        table.columns = table.columns.filter((c) => c.name !== op.column);
        // Postgres drops every index that has the column as a key, an INCLUDE column or in its predicate.
        table.indexes = table.indexes.filter((i) => !mentions(i, op.column));
        table.foreignKeys = table.foreignKeys.filter((fk) => !fk.columns.includes(op.column));
        return;
      }
      case 'add-constraint': {
        const table = this.table(op.table);
        if (!table) return;
        table.indexes.push(...op.indexes);
        table.foreignKeys.push(...op.foreignKeys);
        return;
      }
      case 'drop-constraint': {
        const table = this.table(op.table);
        if (!table) return;
        table.indexes = table.indexes.filter((i) => !(i.name === op.name && (i.unique || i.primary)));
        table.foreignKeys = table.foreignKeys.filter((fk) => fk.name !== op.name);
        return;
      }
    }
  }

  private dropIndex(name: QName): void {
    for (const table of this.tables.values()) {
      if (table.schema !== name.schema) continue;
      table.indexes = table.indexes.filter((i) => i.name !== name.name);
    }
  }
}

function mentions(index: CatalogIndex, column: string): boolean {
  return (
    index.keys.some((k) => k.column === column || (k.expression !== undefined && new RegExp(`\\b${column.replace(/\W/g, '\\$&')}\\b`).test(k.expression))) ||
    index.include.includes(column) ||
    (index.whereColumns ?? []).includes(column)
  );
}
