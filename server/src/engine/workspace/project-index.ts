import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ts } from 'ts-morph';
import { languageOf } from '../source/file-language';
import { skipReason, type InputLimits, DEFAULT_INPUT_LIMITS } from '../source/input-guard';
import { ParsedFile } from '../source/parsed-file';
import { ImportResolver } from './import-resolver';
import { WorkspacePackages } from './workspace-packages';
import { PackageManifests } from './package-manifest';
import type { FactExtractor, ProjectView } from './project-view';

const PARSED_CACHE_SIZE = 64;

interface TextEntry {
  text: string;
  /** Editor version for open documents, -1 for disk. */
  version: number;
}

/**
 * The project as the engine knows it: which files exist, their current text (open editors
 * first), small per-file facts, and a bounded cache of parsed files. Parsed trees are not kept
 * for every file: facts are, which is what makes a 5,000-file workspace fit in memory.
 */
export class ProjectIndex implements ProjectView {
  private files = new Set<string>();
  private readonly overlays = new Map<string, TextEntry>();
  private readonly diskTexts = new Map<string, { text: string; stamp: string } | null>();
  private diskReads = 0;
  /** Bumped on every change, so whole-project answers can be reused until something changes. */
  private generation = 0;
  private readonly allFactsCache = new Map<string, { generation: number; byFile: Map<string, unknown>; value: unknown[] }>();
  /** Which file each generation changed (null: the file list itself), so whole-project answers update per file. */
  private changeLog: Array<{ generation: number; filePath: string | null }> = [];
  private readonly parsed = new Map<string, { stamp: string; file: ParsedFile }>();
  /** Texts the parser could not handle (nesting deep enough to overflow its stack), by stamp. */
  private readonly parseFailures = new Map<string, { stamp: string; reason: string }>();
  private readonly guardVerdicts = new Map<string, { stamp: string; limits: InputLimits; reason: string | undefined }>();
  private readonly facts = new Map<string, Map<string, { stamp: string; value: unknown }>>();
  private readonly manifests: PackageManifests;
  private readonly resolver: ImportResolver;
  limits: InputLimits = DEFAULT_INPUT_LIMITS;

  get revision(): number {
    return this.generation;
  }

  constructor(readonly root: string) {
    this.manifests = new PackageManifests(root);
    this.resolver = new ImportResolver((f) => this.exists(f), new WorkspacePackages(root, () => this.files));
  }

  setFiles(files: Iterable<string>): void {
    this.files = new Set([...files].map((f) => path.resolve(f)));
    this.bump(null);
    this.resolver.forget();
  }

  listFiles(): string[] {
    return [...this.files];
  }

  hasFile(filePath: string): boolean {
    return this.files.has(path.resolve(filePath));
  }

  addFile(filePath: string): void {
    this.files.add(path.resolve(filePath));
    this.changed(filePath);
    this.resolver.forget();
  }

  removeFile(filePath: string): void {
    this.files.delete(path.resolve(filePath));
    this.changed(filePath);
    this.resolver.forget();
  }

  /** An editor opened or changed a document: its text wins over disk until closed. */
  setOverlay(filePath: string, text: string, version: number): void {
    this.overlays.set(path.resolve(filePath), { text, version });
    this.bump(path.resolve(filePath));
  }

  removeOverlay(filePath: string): void {
    this.overlays.delete(path.resolve(filePath));
    this.diskTexts.delete(path.resolve(filePath));
    this.bump(path.resolve(filePath));
  }

  private bump(filePath: string | null): void {
    this.generation++;
    this.changeLog.push({ generation: this.generation, filePath });
    if (this.changeLog.length > 2000) this.changeLog = [{ generation: this.generation, filePath: null }];
  }

  /** The file changed on disk (or a config it depends on did). */
  changed(filePath: string): void {
    const resolved = path.resolve(filePath);
    this.diskTexts.delete(resolved);
    // A package.json or tsconfig can change any file's facts (dependencies, import resolution).
    const base = path.basename(resolved);
    this.bump(base === 'package.json' || base.startsWith('tsconfig') ? null : resolved);
    if (path.basename(resolved) === 'package.json') this.manifests.forget();
    if (path.basename(resolved).startsWith('tsconfig')) this.resolver.forget();
  }

  textOf(filePath: string): string | undefined {
    return this.entryOf(path.resolve(filePath))?.text;
  }

  /** The current text of a file and a stamp that changes whenever the text may have changed. */
  private entryOf(resolved: string): { text: string; stamp: string } | undefined {
    const overlay = this.overlays.get(resolved);
    if (overlay) return { text: overlay.text, stamp: `v${overlay.version}:${overlay.text.length}` };
    const cached = this.diskTexts.get(resolved);
    if (cached !== undefined) return cached ?? undefined;
    let entry: { text: string; stamp: string } | null;
    try {
      entry = { text: fs.readFileSync(resolved, 'utf8'), stamp: `d${++this.diskReads}` };
    } catch {
      entry = null;
    }
    this.diskTexts.set(resolved, entry);
    return entry ?? undefined;
  }

  /** Why a file is not analysed (binary, too large, minified), or undefined when it is. */
  skipReasonOf(filePath: string): string | undefined {
    const resolved = path.resolve(filePath);
    const entry = this.entryOf(resolved);
    if (!entry) return 'it could not be read';
    const failure = this.parseFailures.get(resolved);
    if (failure && failure.stamp === entry.stamp) return failure.reason;
    return this.guard(resolved, entry);
  }

  /** The input guard's verdict, computed once per file version: it scans every character. */
  private guard(resolved: string, entry: { text: string; stamp: string }): string | undefined {
    const cached = this.guardVerdicts.get(resolved);
    if (cached && cached.stamp === entry.stamp && cached.limits === this.limits) return cached.reason;
    const reason = skipReason(entry.text, this.limits);
    this.guardVerdicts.set(resolved, { stamp: entry.stamp, limits: this.limits, reason });
    return reason;
  }

  file(filePath: string): ParsedFile | undefined {
    const resolved = path.resolve(filePath);
    const language = languageOf(resolved);
    const entry = this.entryOf(resolved);
    if (!language || !entry) return undefined;
    const { text, stamp } = entry;
    const cached = this.parsed.get(resolved);
    if (cached && cached.stamp === stamp) {
      // Refresh recency for the LRU.
      this.parsed.delete(resolved);
      this.parsed.set(resolved, cached);
      return cached.file;
    }
    if (this.guard(resolved, entry)) return undefined;
    if (this.parseFailures.get(resolved)?.stamp === stamp) return undefined;
    let file: ParsedFile;
    try {
      file = ParsedFile.parse(resolved, text, language);
    } catch (error) {
      // The parser recurses per nesting level; tens of thousands of levels overflow the stack.
      const why = error instanceof RangeError ? '; its code is nested too deeply for the parser' : '';
      const reason = `it could not be parsed (${error instanceof Error ? error.message : String(error)})${why}`;
      this.parseFailures.set(resolved, { stamp, reason });
      return undefined;
    }
    this.parsed.set(resolved, { stamp, file });
    if (this.parsed.size > PARSED_CACHE_SIZE) {
      const oldest = this.parsed.keys().next().value;
      if (oldest !== undefined && !this.overlays.has(oldest)) this.parsed.delete(oldest);
      else if (oldest !== undefined) {
        const entry = this.parsed.get(oldest)!;
        this.parsed.delete(oldest);
        this.parsed.set(oldest, entry);
        this.evictOneClosed();
      }
    }
    return file;
  }

  private evictOneClosed(): void {
    for (const key of this.parsed.keys()) {
      if (!this.overlays.has(key)) {
        this.parsed.delete(key);
        return;
      }
    }
  }

  dependenciesOf(filePath: string): ReadonlySet<string> {
    return this.manifests.dependenciesOf(path.resolve(filePath));
  }

  compilerOptionsOf(filePath: string): ts.CompilerOptions {
    return this.resolver.compilerOptionsFor(path.dirname(path.resolve(filePath)));
  }

  resolveImport(fromFile: string, specifier: string): string | undefined {
    return this.resolver.resolve(path.resolve(fromFile), specifier);
  }

  factsOf<T>(extractor: FactExtractor<T>, filePath: string): T | undefined {
    const resolved = path.resolve(filePath);
    const entry = this.entryOf(resolved);
    if (!entry) return undefined;
    let byFile = this.facts.get(extractor.id);
    if (!byFile) this.facts.set(extractor.id, (byFile = new Map()));
    const cached = byFile.get(resolved);
    if (cached && cached.stamp === entry.stamp) return cached.value as T | undefined;
    let value: T | undefined;
    if (!extractor.textHint || extractor.textHint.test(entry.text)) {
      const file = this.file(resolved);
      value = file ? extractor.extract(file, this) : undefined;
    }
    byFile.set(resolved, { stamp: entry.stamp, value });
    return value;
  }

  /**
   * Kept per extractor and brought up to date file by file from the change log: a keystroke in one
   * file re-extracts that file's facts, not the workspace's.
   */
  allFacts<T>(extractor: FactExtractor<T>): Array<{ filePath: string; facts: T }> {
    let cached = this.allFactsCache.get(extractor.id);
    if (cached && cached.generation === this.generation) return cached.value as Array<{ filePath: string; facts: T }>;
    const since = cached?.generation ?? -1;
    const changes = this.changeLog.filter((change) => change.generation > since);
    const complete = cached !== undefined && (this.changeLog[0]?.generation ?? Infinity) <= since + 1 && changes.every((change) => change.filePath !== null);
    if (!cached || !complete) {
      cached = { generation: this.generation, byFile: new Map(), value: [] };
      for (const filePath of this.files) cached.byFile.set(filePath, this.factsOf(extractor, filePath));
    } else {
      for (const { filePath } of changes) {
        if (filePath === null) continue;
        if (this.files.has(filePath)) cached.byFile.set(filePath, this.factsOf(extractor, filePath));
        else cached.byFile.delete(filePath);
      }
      cached.generation = this.generation;
    }
    const value: Array<{ filePath: string; facts: T }> = [];
    for (const [filePath, facts] of cached.byFile) if (facts !== undefined) value.push({ filePath, facts: facts as T });
    cached.value = value;
    this.allFactsCache.set(extractor.id, cached);
    return value;
  }

  private exists(filePath: string): boolean {
    const resolved = path.resolve(filePath);
    if (this.overlays.has(resolved) || this.files.has(resolved)) return true;
    return fs.existsSync(resolved);
  }
}
