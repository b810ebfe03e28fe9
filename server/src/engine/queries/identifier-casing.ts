import type { ParsedFile } from '../source/parsed-file';
import type { FactExtractor, ProjectView } from '../workspace/project-view';

/**
 * Plugins that rename identifiers between the code and the database: Kysely's CamelCasePlugin
 * (`createdAt` in code is `created_at` in SQL), Knex's `wrapIdentifier` and Objection's
 * `knexSnakeCaseMappers`. A query written through one of them names columns the catalog does not
 * know by that spelling, so the extractors map them (when the mapping is the plugin's default) or
 * mark the query partial.
 */
export interface IdentifierCasing {
  /** `new CamelCasePlugin()` without options: identifiers are snake_cased (Kysely's default options). */
  kyselyCamelCase: boolean;
  /** CamelCasePlugin with options we do not model. */
  kyselyCamelCaseCustom: boolean;
  /** `wrapIdentifier` or `knexSnakeCaseMappers()` in a Knex configuration. */
  knexWrapIdentifier: boolean;
}

export const identifierCasingFacts: FactExtractor<IdentifierCasing> = {
  id: 'queries/identifier-casing',
  textHint: /CamelCasePlugin|wrapIdentifier|knexSnakeCaseMappers/,
  extract(file: ParsedFile): IdentifierCasing {
    const text = file.text;
    return {
      kyselyCamelCase: /new\s+CamelCasePlugin\s*\(\s*\)/.test(text),
      kyselyCamelCaseCustom: /new\s+CamelCasePlugin\s*\(\s*[^)\s]/.test(text),
      knexWrapIdentifier: /\bwrapIdentifier\s*[:(]|knexSnakeCaseMappers\s*\(/.test(text),
    };
  },
};

/** The identifier plugins configured anywhere in the project. */
export function identifierCasingOf(project: ProjectView): IdentifierCasing {
  const all = project.allFacts(identifierCasingFacts);
  return {
    kyselyCamelCase: all.some((f) => f.facts.kyselyCamelCase),
    kyselyCamelCaseCustom: all.some((f) => f.facts.kyselyCamelCaseCustom),
    knexWrapIdentifier: all.some((f) => f.facts.knexWrapIdentifier),
  };
}
