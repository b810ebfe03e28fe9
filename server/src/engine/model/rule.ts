import type { FileLanguage } from '../source/file-language';
import type { ParsedFile } from '../source/parsed-file';
import type { ProjectView } from '../workspace/project-view';
import type { FileChange, RelatedLocation } from './finding';
import type { Span } from './location';
import type { OptionsSchema } from './rule-options';
import type { Severity } from './severity';
import type { SkillId } from './skills';

export interface RuleMeta {
  /** Kebab-case id used in settings, suppression comments, SARIF and the docs file name. */
  id: string;
  skill: SkillId;
  /** One line: what the rule finds. */
  title: string;
  defaultSeverity: Severity;
  /** Whether the rule offers fixes for at least some of its findings. */
  fixable: boolean;
  /** Languages whose files the rule reads. */
  languages: readonly FileLanguage[];
}

/** An edit to the file being analysed, by offsets; the engine turns it into a range. */
export interface SpanEdit {
  span: Span;
  newText: string;
}

export interface FixReport {
  title: string;
  isPreferred: boolean;
  /** Edits to the analysed file. */
  edits: SpanEdit[];
  /** Changes to other files (new migration, module registration), already in ranges. */
  otherChanges?: FileChange[];
}

export interface FindingReport {
  span: Span;
  message: string;
  related?: Array<{ span: Span; message: string } | RelatedLocation>;
  fixes?: FixReport[];
  explanation?: string;
  /** Serialisable facts for later steps (see `Finding.data`). */
  data?: Record<string, unknown>;
}

export interface RuleContext<O> {
  readonly file: ParsedFile;
  readonly project: ProjectView;
  readonly options: O;
  report(finding: FindingReport): void;
  /**
   * Throws when the run was cancelled (a newer edit arrived) or the rule is over its time
   * budget. Rules call it in loops; the shared AST walkers call it every few hundred nodes.
   */
  checkpoint(): void;
}

/** What a rule's `activation` hook may read: the file and the project, no reporting. */
export interface ActivationContext {
  readonly file: ParsedFile;
  readonly project: ProjectView;
}

export interface RuleDefinition<O = Record<string, never>> {
  meta: RuleMeta;
  options: OptionsSchema<O>;
  check(context: RuleContext<O>): void;
  /**
   * Optional: why this rule watches the file ("outbound HTTP client (axios)"), from the same
   * detection `check` uses, or undefined when the file holds nothing it looks at. The skill panel
   * shows these reasons; rules without the hook fall back to their skill's import-based detection.
   */
  activation?(context: ActivationContext): string | undefined;
}

/** Erases the options type so rules of every shape fit in one registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = RuleDefinition<any>;

export function defineRule<O>(rule: RuleDefinition<O>): RuleDefinition<O> {
  return rule;
}
