import type { Diagnostic } from 'vscode-languageserver/node';
import type { Finding } from '../engine/model/finding';
import type { CancellationSignal } from '../engine/run/cancellation';
import { sendQuietly } from './guard';
import type { Logger } from './logger';
import type { StatusTracker } from './status';
import { toDiagnostic } from './to-lsp';
import type { Folder } from './workspace-folders';

export interface AnalysisResult {
  /** The document version analysed; null for text read from disk. */
  version: number | null;
  findings: Finding[];
}

export interface PublishTarget {
  sendDiagnostics(params: { uri: string; version?: number; diagnostics: Diagnostic[] }): Promise<void> | void;
}

/**
 * Runs the engine for one file and publishes the outcome. Keeps the findings last published per
 * URI so hover and code actions answer from exactly what the user sees. Skips and rule failures
 * are logged once per file and reason, not on every keystroke.
 */
export class DocumentAnalyser {
  private readonly results = new Map<string, AnalysisResult>();
  private readonly loggedSkips = new Map<string, string>();
  private readonly loggedFailures = new Map<string, string>();

  constructor(
    private readonly target: PublishTarget,
    private readonly logger: Logger,
    private readonly status: StatusTracker,
    private readonly docsRoot: string | undefined,
  ) {}

  /** Analyses `filePath` with its folder's engine; undefined when the run was cancelled. */
  analyse(folder: Folder, filePath: string, cancellation: CancellationSignal): { findings: Finding[]; ruleFailure?: string; skipped?: string } | undefined {
    if (!folder.editor.enable || !folder.engine.accepts(filePath)) return { findings: [] };
    const analysis = folder.engine.analyze(filePath, cancellation);
    if (analysis.cancelled) return undefined;
    if (analysis.skipped) {
      if (this.loggedSkips.get(filePath) !== analysis.skipped) this.logger.info(`Skipped ${filePath}: ${analysis.skipped}.`);
      this.loggedSkips.set(filePath, analysis.skipped);
    } else this.loggedSkips.delete(filePath);
    let ruleFailure: string | undefined;
    for (const failure of analysis.ruleFailures) {
      const key = `${filePath}\n${failure.ruleId}`;
      const firstLine = failure.reason.split('\n')[0] ?? failure.reason;
      if (this.loggedFailures.get(key) !== firstLine) {
        this.logger.error(`Rule ${failure.ruleId} ${failure.reason}\n  while analysing ${filePath}; its findings for this file were dropped, the other rules' stand.`);
        this.loggedFailures.set(key, firstLine);
      }
      ruleFailure ??= `Rule ${failure.ruleId} failed on ${filePath}`;
    }
    if (analysis.ruleFailures.length === 0) for (const key of this.loggedFailures.keys()) if (key.startsWith(`${filePath}\n`)) this.loggedFailures.delete(key);
    return { findings: analysis.findings, ruleFailure, skipped: analysis.skipped };
  }

  publish(uri: string, version: number | null, findings: Finding[], ruleFailure?: string): void {
    this.results.set(uri, { version, findings });
    const diagnostics = findings.map((finding) => toDiagnostic(finding, this.docsRoot));
    sendQuietly(() => this.target.sendDiagnostics(version === null ? { uri, diagnostics } : { uri, version, diagnostics }));
    this.status.published(uri, findings.length, ruleFailure);
  }

  clear(uri: string): void {
    this.results.delete(uri);
    sendQuietly(() => this.target.sendDiagnostics({ uri, diagnostics: [] }));
    this.status.cleared(uri);
  }

  resultOf(uri: string): AnalysisResult | undefined {
    return this.results.get(uri);
  }

  forget(uri: string): void {
    this.results.delete(uri);
  }
}
