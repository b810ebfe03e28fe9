import * as path from 'node:path';
import { resolveConfig, type ActiveRule, type ConfigLayer, type ResolvedConfig } from './config/resolve-config';
import type { EngineSettings } from './config/settings-schema';
import type { AnyRule } from './model/rule';
import { analyzeFile, type FileAnalysis } from './run/analyze-file';
import type { CancellationSignal } from './run/cancellation';
import { discoverFiles, FileFilter } from './workspace/file-discovery';
import { ProjectIndex } from './workspace/project-index';
import { schemaCatalogOf } from './schema/schema-catalog';
import { sqlParserLoaded } from './sql/sql-gate';

/**
 * The engine for one workspace folder. The language server and the CLI each hold one per
 * folder and differ only in where text, settings and results come from and go to.
 */
export class AnalysisEngine {
  readonly index: ProjectIndex;
  private resolved: ResolvedConfig;
  private filter: FileFilter;

  constructor(
    readonly root: string,
    private readonly allRules: readonly AnyRule[],
  ) {
    this.root = path.resolve(root);
    this.index = new ProjectIndex(this.root);
    this.resolved = resolveConfig([], allRules);
    this.filter = new FileFilter(this.root, this.resolved.settings);
  }

  /** Applies configuration layers (later wins); returns the problems found in them. */
  configure(layers: ConfigLayer[]): string[] {
    this.resolved = resolveConfig(layers, this.allRules);
    this.filter = new FileFilter(this.root, this.resolved.settings);
    this.index.limits = { ...this.index.limits, maxFileBytes: this.resolved.settings.maxFileSize };
    return this.resolved.problems;
  }

  get settings(): EngineSettings {
    return this.resolved.settings;
  }

  get activeRules(): readonly ActiveRule[] {
    return this.resolved.rules;
  }

  get rules(): readonly AnyRule[] {
    return this.allRules;
  }

  /** Lists the workspace's analysable files and makes them the project the rules can see. */
  discover(targets: readonly string[] = [this.root]): string[] {
    const files = new Set<string>();
    for (const target of targets) for (const file of discoverFiles(path.resolve(this.root, target), this.filter)) files.add(file);
    const list = [...files].sort();
    this.index.setFiles(list);
    return list;
  }

  /** Whether settings and location allow analysing this file. */
  accepts(filePath: string): boolean {
    return this.filter.accepts(path.resolve(filePath));
  }

  analyze(filePath: string, cancellation?: CancellationSignal): FileAnalysis {
    const resolved = path.resolve(filePath);
    return analyzeFile(this.index, resolved, this.resolved.rules, { cancellation, ruleTimeout: this.resolved.settings.ruleTimeout });
  }

  /**
   * Schema files the index rules could not read, and why (another SQL dialect, a syntax error, too
   * large): the CLI and the server say so once per file, since such a file is never reported.
   * Empty until the SQL parser has loaded (asking never loads it: a folder without SQL never
   * pays for it), and when no active rule reads the schema.
   */
  schemaFilesNotRead(): ReadonlyArray<{ filePath: string; reason: string }> {
    if (!sqlParserLoaded() || !this.resolved.rules.some((active) => active.rule.meta.skill === 'database-optimizer')) return [];
    return schemaCatalogOf(this.index)?.skipped ?? [];
  }
}
