import { schemaSourceActivation } from '../index-advisor/activation';
import { defineRule } from '../../engine/model/rule';
import type { CatalogTable, ForeignKey } from '../../engine/schema/catalog-model';
import { schemaCatalogOf } from '../../engine/schema/schema-catalog';
import type { IndexProposal } from '../index-advisor/index-proposal';
import { proposalFixes } from '../index-advisor/query-findings';
import { isSmallTable, smallTablesOption } from '../index-advisor/small-tables';
import { foreignKeyServed, relationWithoutIndexNeed } from './foreign-key-index';
import { foreignKeySpan } from './foreign-key-span';

export interface UnindexedForeignKeyOptions {
  smallTables: string[];
}

const RULE_ID = 'unindexed-foreign-key';

/** Files that can declare a foreign key the catalog reads: DDL, TypeORM entities and migrations, schema.prisma. */
const DECLARES_FOREIGN_KEY = /\breferences\b|@ManyToOne|@JoinColumn|@relation\s*\(/i;

const EXPLANATION =
  'Postgres indexes the referenced side of a foreign key (its primary key) but never the referencing columns. ' +
  'Without an index that starts with them, deleting or re-keying a parent row scans the whole child table to check ' +
  'the constraint, and loading the children of a parent (`WHERE customer_id = $1`, a join) scans it too.';

/** Foreign keys whose referencing columns no index of the table leads with, reported where they are declared. */
export const unindexedForeignKey = defineRule<UnindexedForeignKeyOptions>({
  meta: {
    id: RULE_ID,
    skill: 'database-optimizer',
    title: 'Foreign key without an index on its referencing columns',
    defaultSeverity: 'info',
    fixable: true,
    languages: ['sql', 'typescript', 'prisma'],
  },
  options: {
    smallTables: smallTablesOption('their foreign keys'),
  },
  activation: schemaSourceActivation,
  check(context) {
    const { file, project } = context;
    if (!DECLARES_FOREIGN_KEY.test(file.text)) return;
    const catalog = schemaCatalogOf(project);
    if (!catalog) return;
    // A relation the ORM declares is reported there (schema.prisma, the entity), not in the old
    // migration that created the constraint: that is where the developer reads and edits it.
    const declaredAt = (table: CatalogTable, fk: ForeignKey): ForeignKey => {
      const columns = fk.columns.join(',');
      return catalog.declaredForeignKeys.find((d) => d.table === table.name && d.schema === table.schema && d.foreignKey.columns.join(',') === columns)?.foreignKey ?? fk;
    };
    for (const table of catalog.tables()) {
      if (!table.foreignKeys.some((fk) => declaredAt(table, fk).origin.filePath === file.filePath)) continue;
      if (isSmallTable(table, context.options.smallTables)) continue;
      for (const migrationFk of table.foreignKeys) {
        context.checkpoint();
        const fk = declaredAt(table, migrationFk);
        if (fk.origin.filePath !== file.filePath || fk.columns.length === 0) continue;
        if (foreignKeyServed(table, fk.columns)) continue;
        if (relationWithoutIndexNeed(file, fk)) continue;
        const proposal: IndexProposal = {
          table,
          keys: fk.columns.map((column) => ({ column, descending: false })),
          purpose: `${table.name} by ${fk.columns.join(', ')} (foreign key${fk.referencedTable ? ` to ${fk.referencedTable}` : ''})`,
        };
        if (table.mapping) proposal.mapping = table.mapping;
        context.report({ span: foreignKeySpan(file, fk), message: messageOf(table, fk), fixes: proposalFixes(proposal, { project, catalog, file }), explanation: EXPLANATION });
      }
    }
  },
});

function messageOf(table: CatalogTable, fk: ForeignKey): string {
  const columns = fk.columns.map((column) => `\`${column}\``).join(', ');
  const parent = fk.referencedTable ? `\`${fk.referencedTable}\`` : 'the referenced table';
  const plural = fk.columns.length > 1;
  return (
    `Foreign key ${fk.name ? `\`${fk.name}\` ` : ''}on \`${table.name}\` (${columns}) has no index that starts with ${plural ? 'these columns' : 'this column'}: ` +
    `Postgres does not index the referencing side, so each delete or key change in ${parent} and each lookup of its \`${table.name}\` rows scans \`${table.name}\`. ` +
    `Add an index on \`${table.name}\` (${fk.columns.join(', ')}).`
  );
}
