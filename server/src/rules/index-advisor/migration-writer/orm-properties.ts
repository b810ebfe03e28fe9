import type { OrmMapping } from '../../../engine/schema/catalog-model';
import type { IndexProposal } from '../index-proposal';

/**
 * The ORM property (field) of each key, through the mapping; undefined when a key is an
 * expression or a column no property maps to: such an index cannot be declared on the ORM model.
 */
export function keyProperties(proposal: IndexProposal, mapping: OrmMapping): string[] | undefined {
  const properties: string[] = [];
  for (const key of proposal.keys) {
    if (!key.column) return undefined;
    const matches = Object.entries(mapping.columns).filter(([, column]) => column === key.column);
    // Two properties on one column (a relation and its id) name the same column: either will do, take the first.
    const property = matches[0]?.[0];
    if (property === undefined) return undefined;
    properties.push(property);
  }
  return properties;
}

/** The mapping of `orm` that declares the proposal's table. */
export function mappingOf(proposal: IndexProposal, orm: OrmMapping['orm'], all: readonly OrmMapping[]): OrmMapping | undefined {
  for (const candidate of [proposal.mapping, proposal.table.mapping]) {
    if (candidate?.orm === orm && candidate.table === proposal.table.name && candidate.schema === proposal.table.schema) return candidate;
  }
  const matches = all.filter((m) => m.orm === orm && m.table === proposal.table.name && m.schema === proposal.table.schema);
  return matches.length === 1 ? matches[0] : undefined;
}
