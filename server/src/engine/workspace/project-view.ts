import type { ts } from 'ts-morph';
import type { ParsedFile } from '../source/parsed-file';

/**
 * Facts a rule extracts from one file and wants to consult from others: an exported axios
 * instance and whether it has a timeout, an `HttpModule.register` call. Extracted once per file
 * version and cached, so cross-file questions stay cheap while someone types.
 */
export interface FactExtractor<T> {
  /** Unique id, conventionally `<rule-id>/<fact>`. */
  id: string;
  /** Files whose text does not match are never parsed for this fact. */
  textHint?: RegExp;
  extract(file: ParsedFile, project: ProjectView): T;
}

/** What a rule may ask about the rest of the project. Read-only, and never executes its code. */
export interface ProjectView {
  /** The workspace folder being analysed. */
  readonly root: string;
  /** Changes whenever any file, overlay or the file list changes: a key for caches that span files. */
  readonly revision: number;
  /** Dependencies declared in the package.json nearest to `filePath`. */
  dependenciesOf(filePath: string): ReadonlySet<string>;
  /** Compiler options of the tsconfig.json nearest to `filePath` ({} when there is none). */
  compilerOptionsOf(filePath: string): ts.CompilerOptions;
  /** The project file a relative or tsconfig-mapped import points at, if any. */
  resolveImport(fromFile: string, specifier: string): string | undefined;
  /** A project file, parsed (an open editor's text wins over disk). */
  file(filePath: string): ParsedFile | undefined;
  /** One file's facts. */
  factsOf<T>(extractor: FactExtractor<T>, filePath: string): T | undefined;
  /** Facts from every project file that matches the extractor's hint. */
  allFacts<T>(extractor: FactExtractor<T>): Array<{ filePath: string; facts: T }>;
}
