import { ts } from 'ts-morph';
import type { CatalogIndex, CatalogTable, ForeignKey } from '../../engine/schema/catalog-model';
import type { ParsedFile } from '../../engine/source/parsed-file';

/**
 * Whether some index of `table` serves lookups by the foreign key's columns: a btree that starts
 * with one of those columns (the lookup is equality on all of them, so an index on `account_id`
 * alone narrows a composite key `(account_id, user_id)` to a handful of rows, as it does for
 * `unindexed-filter`), a hash index on one of them, or a GIN/GiST/BRIN index holding them all
 * (rare; not worth a guess). A partial index counts too: someone chose it on purpose, and we
 * cannot tell which rows the deletes touch.
 */
export function foreignKeyServed(table: CatalogTable, columns: readonly string[]): boolean {
  return table.indexes.some((index) => indexServes(index, columns));
}

function indexServes(index: CatalogIndex, columns: readonly string[]): boolean {
  const wanted = new Set(columns);
  switch (index.method) {
    case 'btree':
    case 'hash': {
      const first = index.keys[0]?.column;
      return first !== undefined && wanted.has(first);
    }
    default:
      return [...wanted].every((column) => index.keys.some((key) => key.column === column));
  }
}

/**
 * TypeORM relations that need no index of ours: a `@OneToOne` owner gets a unique constraint from
 * TypeORM itself (the `REL_…` constraint), and `createForeignKeyConstraints: false` declares no
 * foreign key at all (the join is the queries' business, which `unindexed-filter` judges).
 */
export function relationWithoutIndexNeed(file: ParsedFile, fk: ForeignKey): boolean {
  if (fk.origin.kind !== 'typeorm-entity' || !file.ast) return false;
  const property = propertyAt(file.ast, fk.origin.start);
  if (!property) return false;
  for (const decorator of ts.getDecorators(property) ?? []) {
    const call = decorator.expression;
    if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) continue;
    if (call.expression.text === 'OneToOne') return true;
    const options = call.arguments.find(ts.isObjectLiteralExpression);
    const noConstraint = options?.properties.some(
      (p) => ts.isPropertyAssignment(p) && p.name.getText(file.ast) === 'createForeignKeyConstraints' && p.initializer.kind === ts.SyntaxKind.FalseKeyword,
    );
    if (noConstraint) return true;
  }
  return false;
}

function propertyAt(ast: ts.SourceFile, offset: number): ts.PropertyDeclaration | undefined {
  let found: ts.PropertyDeclaration | undefined;
  const visit = (node: ts.Node): void => {
    if (found || offset < node.pos || offset >= node.end) return;
    if (ts.isPropertyDeclaration(node)) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(ast);
  return found;
}
