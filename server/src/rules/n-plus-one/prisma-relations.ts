import * as path from 'node:path';
import type { FactExtractor, ProjectView } from '../../engine/workspace/project-view';

/** `author User @relation(fields: [authorId], references: [id])` on model `Post`. */
export interface PrismaRelation {
  model: string;
  field: string;
  target: string;
  fields: string[];
  references: string[];
}

/** Relation fields of the models a schema.prisma (or a file of a prismaSchemaFolder) declares. */
export const prismaRelationFacts: FactExtractor<{ relations: PrismaRelation[] }> = {
  id: 'n-plus-one/prisma-relations',
  textHint: /\bmodel\s+\w+\s*\{/,
  extract(file) {
    if (!file.filePath.endsWith('.prisma')) return { relations: [] };
    return { relations: parsePrismaRelations(file.text) };
  },
};

/**
 * A small tolerant reader: `model X { … }` blocks, one field a line, the relation fields that
 * name their foreign key (`@relation(fields: […], references: […])`). Everything else is skipped.
 */
export function parsePrismaRelations(text: string): PrismaRelation[] {
  const relations: PrismaRelation[] = [];
  for (const model of text.matchAll(/^\s*model\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm)) {
    for (const rawLine of model[2]!.split('\n')) {
      const line = rawLine.replace(/\/\/.*$/, '').trim();
      const field = /^(\w+)\s+(\w+)\??\s+.*@relation\(([^)]*)\)/.exec(line);
      if (!field) continue;
      const fields = /fields:\s*\[([^\]]*)\]/.exec(field[3]!);
      const references = /references:\s*\[([^\]]*)\]/.exec(field[3]!);
      if (!fields || !references) continue;
      const names = (list: string): string[] => list.split(',').map((name) => name.trim()).filter(Boolean);
      relations.push({ model: model[1]!, field: field[1]!, target: field[2]!, fields: names(fields[1]!), references: names(references[1]!) });
    }
  }
  return relations;
}

/** `post` → `Post`, `blogPost` → `BlogPost`: the model behind a client delegate. */
function delegateOf(model: string): string {
  return model[0]!.toLowerCase() + model.slice(1);
}

/**
 * The relation field of the model behind `delegate` that reads the `target` delegate's row whose
 * `reference` equals this row's `foreignKey`, from the schema.prisma nearest to `filePath`.
 * Undefined unless exactly one field fits, so the rewrite is certain.
 */
export function prismaRelationOver(project: ProjectView, filePath: string, delegate: string, target: string, foreignKey: string, reference: string): string | undefined {
  const schemas = project.allFacts(prismaRelationFacts).filter((entry) => entry.facts.relations.some((relation) => delegateOf(relation.model) === delegate));
  if (schemas.length === 0) return undefined;
  // The nearest schema: the longest directory prefix shared with the file; a tie between schemas that disagree gives up.
  const shared = (schema: string): number => {
    const a = path.dirname(schema).split(path.sep);
    const b = path.dirname(filePath).split(path.sep);
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  };
  const best = Math.max(...schemas.map((entry) => shared(entry.filePath)));
  const answers = new Set<string | undefined>();
  for (const entry of schemas.filter((candidate) => shared(candidate.filePath) === best)) {
    const fits = entry.facts.relations.filter(
      (relation) =>
        delegateOf(relation.model) === delegate &&
        delegateOf(relation.target) === target &&
        relation.fields.length === 1 &&
        relation.fields[0] === foreignKey &&
        relation.references.length === 1 &&
        relation.references[0] === reference,
    );
    answers.add(fits.length === 1 ? fits[0]!.field : undefined);
  }
  return answers.size === 1 ? [...answers][0] : undefined;
}
