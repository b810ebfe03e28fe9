import type { Range } from './location';
import type { Severity } from './severity';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** One change a fix makes: edits to an existing file, or a new file. */
export type FileChange =
  | { kind: 'edit'; filePath: string; edits: TextEdit[] }
  | { kind: 'create'; filePath: string; content: string };

export interface Fix {
  title: string;
  /** Safe to apply without reading it first: offered as the preferred quick fix and by fix-all. */
  isPreferred: boolean;
  changes: FileChange[];
}

export interface RelatedLocation {
  filePath: string;
  range: Range;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  filePath: string;
  range: Range;
  /** What is wrong, why it matters and what to do, naming the call or variable. */
  message: string;
  related: RelatedLocation[];
  fixes: Fix[];
  /** Markdown shown on hover beneath the message: the pattern to use, and what the fix does. */
  explanation?: string;
  /**
   * Plain, serialisable facts a later step needs that the message does not carry. The index rules
   * set `data.verify` (`VerifyData` in engine/planner/planner-types.ts: the query as SQL and the
   * proposed CREATE INDEX) so the planner check (`--verify`, "Verify with Postgres Planner") can run.
   */
  data?: Record<string, unknown>;
}
