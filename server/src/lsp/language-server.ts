import * as path from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { workspaceConfigLayers } from '../engine/config/workspace-config';
import type { AnyRule } from '../engine/model/rule';
import type { CancellationSignal } from '../engine/run/cancellation';
import { languageOf } from '../engine/source/file-language';
import { codeActionsFor } from './code-actions';
import { ConfigProblems } from './config-problems';
import { DiagnosticsScheduler } from './diagnostics-scheduler';
import { DocumentAnalyser, type AnalysisResult } from './document-analyser';
import { describeError, guard, sendQuietly } from './guard';
import { hoverFor } from './hover';
import { connectionLogger, type Logger } from './logger';
import {
  FIX_ALL_KIND,
  SCAN_WORKSPACE_REQUEST,
  SKILL_ACTIVATION_REQUEST,
  INDEX_FOR_QUERY_REQUEST,
  type IndexForQueryParams,
  VERIFY_WITH_PLANNER_REQUEST,
  type VerifyWithPlannerParams,
  type VerifyWithPlannerResult,
  type IndexForQueryResult,
  STATUS_NOTIFICATION,
  type InitializationOptions,
  type ScanWorkspaceResult,
  type SkillActivationParams,
  type SkillActivationResult,
} from './protocol';
import { SETTINGS_SECTION, splitSettings } from './settings';
import { inactiveSkills, skillActivationFor } from './skill-activation';
import { StatusTracker } from './status';
import type { EditCapabilities } from './to-workspace-edit';
import { filePathOf } from './uri';
import { handleWatchedFileChanges } from './watched-files';
import { WorkspaceFolders, type Folder } from './workspace-folders';
import { scanWorkspace } from './workspace-scan';
import { ensureSqlParser, onSqlParserLoaded, sqlParserLoadError, sqlParserRequested } from '../engine/sql/sql-gate';
import { mayHoldQueries } from '../engine/queries/query-sources';
import { indexForQuery } from './index-for-query';
import { servingIndexMessage } from '../rules/index-advisor/serving-index';
import { PlannerSession } from '../engine/planner/planner-session';
import { loadSchemaCatalog } from '../engine/schema/schema-catalog';
import { plannerCodeActions, plannerFindingAt, verifyFinding } from './verify-with-planner';

export interface ServerOptions {
  /** The rules to run: `RULES` in production, test rules in the protocol tests. */
  rules: readonly AnyRule[];
  logger?: Logger;
}

/** Wires every Backend Advisor feature onto a connection; the caller calls `connection.listen()`. */
export function startServer(connection: Connection, options: ServerOptions): void {
  const logger = options.logger ?? connectionLogger(connection);
  const documents = new TextDocuments(TextDocument);
  const client = { configuration: false, workspaceFolders: false, dynamicConfiguration: false };
  let editCapabilities: EditCapabilities = { documentChanges: false, createFiles: false };
  let docsRoot: string | undefined;
  let pushedSettings: unknown;
  let markInitialized: () => void = () => {};
  const initialized = new Promise<void>((resolve) => (markInitialized = resolve));

  const status = new StatusTracker((params) => sendQuietly(() => connection.sendNotification(STATUS_NOTIFICATION, params)));
  // A handler that fails turns the status item red, so the failure is noticed and reported.
  const handlerLogger: Logger = {
    ...logger,
    error: (message) => {
      logger.error(message);
      status.error('An internal error occurred');
    },
  };
  const problems = new ConfigProblems(logger, (message) => sendQuietly(() => connection.window.showWarningMessage(message)));
  let analyser = new DocumentAnalyser(connection, logger, status, undefined);
  const scanned = new Set<string>();
  const justOpened = new Set<string>();

  async function configureFolder(folder: Folder): Promise<void> {
    await initialized;
    try {
      const raw = client.configuration ? await connection.workspace.getConfiguration({ scopeUri: folder.scopeUri, section: SETTINGS_SECTION }) : pushedSettings;
      const { layer, editor, problems: editorProblems } = splitSettings(raw);
      const { layers, problems: fileProblems } = workspaceConfigLayers(folder.root, [layer]);
      const engineProblems = folder.engine.configure(layers);
      folder.editor = editor;
      if (folder.isWorkspaceFolder) folder.engine.discover();
      problems.report(folder.root, [...fileProblems, ...engineProblems, ...editorProblems]);
      status.setConfigProblems(problems.count);
    } catch (error) {
      logger.error(`Loading the settings of ${folder.root} failed; using the defaults: ${describeError(error)}`);
    }
  }
  const folders = new WorkspaceFolders(options.rules, configureFolder);

  function openDocumentAt(filePath: string): TextDocument | undefined {
    return documents.all().find((document) => filePathOf(document.uri) === filePath);
  }

  async function analyseDocument(uri: string, signal: CancellationSignal): Promise<AnalysisResult | undefined> {
    const document = documents.get(uri);
    const filePath = filePathOf(uri);
    if (!document || !filePath) return undefined;
    const version = document.version;
    const folder = folders.forFile(filePath);
    await folder.ready;
    const current = documents.get(uri);
    if (signal.isCancellationRequested || current?.version !== version) return undefined;
    folder.engine.index.setOverlay(filePath, current.getText(), version);
    const outcome = analyser.analyse(folder, filePath, signal);
    // Only an edited SQL file can change which schema files are unreadable; the rest is logged
    // when the parser arrives. Other keystrokes do not pay for the catalog check.
    if (languageOf(filePath) === 'sql') logSchemaFilesNotRead(folder.engine);
    // The document may have changed while settings loaded; an older result is never published.
    if (!outcome || signal.isCancellationRequested || documents.get(uri)?.version !== version) return undefined;
    analyser.publish(uri, version, outcome.findings, outcome.ruleFailure);
    return { version, findings: outcome.findings };
  }

  // A schema file in another dialect (or too large) is never reported: it gets one log line.
  // Syntax errors are left out: a migration being typed has one at nearly every keystroke.
  const schemaNotesLogged = new Set<string>();
  function logSchemaFilesNotRead(engine: { schemaFilesNotRead(): ReadonlyArray<{ filePath: string; reason: string }> }): void {
    for (const { filePath, reason } of engine.schemaFilesNotRead()) {
      const key = `${filePath}\u0000${reason}`;
      if (reason.startsWith('a syntax error') || schemaNotesLogged.has(key)) continue;
      schemaNotesLogged.add(key);
      logger.info(`${filePath} was not read for the schema: ${reason}.`);
    }
  }

  const scheduler = new DiagnosticsScheduler(async (uri, signal) => void (await analyseDocument(uri, signal)), logger);

  function reanalyseOpenDocuments(): void {
    for (const document of documents.all()) scheduler.schedule(document.uri, 0);
  }

  // The first analysis that needs the schema catalog starts loading the SQL parser and reports
  // nothing about indexes meanwhile; when it arrives, everything shown is analysed again.
  onSqlParserLoaded(() => {
    const failure = sqlParserLoadError();
    if (failure) logger.error(`The SQL parser could not be loaded, so the index rules are off: ${failure}`);
    else logger.info('SQL parser loaded; re-analysing open files for the index rules.');
    for (const folder of folders.all()) logSchemaFilesNotRead(folder.engine);
    reanalyseOpenDocuments();
    void refreshScannedFiles().catch((error: unknown) => logger.error(`Refreshing scanned files failed: ${describeError(error)}`));
  });

  let refreshGeneration = 0;
  /** After a configuration change, the closed files a scan published are brought up to date too, one per turn. */
  async function refreshScannedFiles(): Promise<void> {
    const generation = ++refreshGeneration;
    for (const uri of [...scanned]) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (generation !== refreshGeneration) return;
      const filePath = filePathOf(uri);
      if (!filePath || documents.get(uri)) continue;
      const folder = folders.forFile(filePath);
      await folder.ready;
      const outcome = analyser.analyse(folder, filePath, { get isCancellationRequested() { return generation !== refreshGeneration; } });
      if (outcome && !documents.get(uri)) analyser.publish(uri, null, outcome.findings, outcome.ruleFailure);
    }
  }

  /** The findings for what the client shows now, analysing on the spot if a debounced run is still pending. */
  async function currentResult(uri: string): Promise<AnalysisResult | undefined> {
    const document = documents.get(uri);
    const stored = analyser.resultOf(uri);
    if (!document || stored?.version === document.version) return stored;
    scheduler.cancel(uri);
    return analyseDocument(uri, { isCancellationRequested: false });
  }

  function titleOf(ruleId: string): string | undefined {
    return options.rules.find((rule) => rule.meta.id === ruleId)?.meta.title;
  }

  connection.onInitialize((params): InitializeResult => {
    const capabilities = params.capabilities;
    client.configuration = capabilities.workspace?.configuration === true;
    client.workspaceFolders = capabilities.workspace?.workspaceFolders === true;
    client.dynamicConfiguration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    editCapabilities = {
      documentChanges: capabilities.workspace?.workspaceEdit?.documentChanges === true,
      createFiles: capabilities.workspace?.workspaceEdit?.resourceOperations?.includes('create') === true,
    };
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof init.docsRoot === 'string' && path.isAbsolute(init.docsRoot)) docsRoot = init.docsRoot;
    analyser = new DocumentAnalyser(connection, logger, status, docsRoot);
    const roots = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    for (const uri of roots) {
      const root = filePathOf(uri);
      if (root) folders.add(root);
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'Backend Advisor' },
    };
  });

  connection.onInitialized(
    guard(handlerLogger, 'initialized', undefined, async () => {
      markInitialized();
      if (client.configuration && client.dynamicConfiguration) {
        await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
      }
      if (client.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders(
          guard(handlerLogger, 'workspace folder change', undefined, (event) => {
            for (const removed of event.removed) {
              const root = filePathOf(removed.uri);
              if (root) folders.remove(root);
            }
            for (const added of event.added) {
              const root = filePathOf(added.uri);
              if (root) folders.add(root);
            }
            reanalyseOpenDocuments();
          }),
        );
      }
    }),
  );

  connection.onDidChangeConfiguration(
    guard(handlerLogger, 'configuration change', undefined, async (change) => {
      if (!client.configuration) pushedSettings = (change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
      await Promise.all(folders.all().map((folder) => folders.reconfigure(folder)));
      reanalyseOpenDocuments();
      void refreshScannedFiles().catch((error: unknown) => logger.error(`Refreshing scanned files failed: ${describeError(error)}`));
    }),
  );

  connection.onDidChangeWatchedFiles(
    guard(handlerLogger, 'watched file change', undefined, async (params) => {
      const reconfigure = handleWatchedFileChanges(params.changes, folders, {
        isOpen: (uri) => documents.get(uri) !== undefined,
        clear: (uri) => {
          scanned.delete(uri);
          analyser.clear(uri);
        },
      });
      await Promise.all(reconfigure.map((folder) => folders.reconfigure(folder)));
      reanalyseOpenDocuments();
      if (reconfigure.length > 0) void refreshScannedFiles().catch((error: unknown) => logger.error(`Refreshing scanned files failed: ${describeError(error)}`));
    }),
  );

  documents.onDidOpen(guard(handlerLogger, 'open', undefined, (event) => void justOpened.add(event.document.uri)));

  documents.onDidChangeContent(
    guard(handlerLogger, 'document change', undefined, (event) => {
      const { uri } = event.document;
      const filePath = filePathOf(uri);
      if (!filePath) return;
      const folder = folders.forFile(filePath);
      folder.engine.index.setOverlay(filePath, event.document.getText(), event.document.version);
      scheduler.schedule(uri, justOpened.delete(uri) ? 0 : folder.editor.debounce);
    }),
  );

  documents.onDidClose(
    guard(handlerLogger, 'close', undefined, async (event) => {
      const { uri } = event.document;
      scheduler.cancel(uri);
      justOpened.delete(uri);
      const filePath = filePathOf(uri);
      if (!filePath) return;
      const folder = folders.forFile(filePath);
      folder.engine.index.removeOverlay(filePath);
      if (!scanned.has(uri)) {
        analyser.clear(uri);
        return;
      }
      // A scanned file keeps its diagnostics, now for the text on disk rather than the editor's.
      await folder.ready;
      if (documents.get(uri)) return;
      const outcome = analyser.analyse(folder, filePath, { isCancellationRequested: false });
      if (outcome) analyser.publish(uri, null, outcome.findings, outcome.ruleFailure);
    }),
  );

  connection.onHover(
    guard(handlerLogger, 'hover', null, async (params) => {
      const result = await currentResult(params.textDocument.uri);
      return result ? hoverFor(result.findings, params.position, titleOf, docsRoot) : null;
    }),
  );

  connection.onCodeAction(
    guard(handlerLogger, 'code actions', [], async (params) => {
      const uri = params.textDocument.uri;
      const document = documents.get(uri);
      const filePath = filePathOf(uri);
      if (!document || !filePath) return [];
      const result = await currentResult(uri);
      if (!result) return [];
      const lineText = (line: number) => document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
      const only = params.context.only;
      const planner = !only || only.some((kind) => kind === 'quickfix' || 'quickfix'.startsWith(kind)) ? plannerCodeActions(result.findings, params.range, uri) : [];
      return [...codeActionsFor({
        filePath,
        lineText,
        firstLine: lineText(0),
        isSql: languageOf(filePath) === 'sql',
        findings: result.findings,
        range: params.range,
        context: params.context,
        capabilities: editCapabilities,
        versionOf: (target) => openDocumentAt(target)?.version ?? null,
        docsRoot,
      }), ...planner];
    }),
  );

  let scanGeneration = 0;
  const emptyScan: ScanWorkspaceResult = { filesAnalysed: 0, filesWithFindings: 0, findings: 0, skipped: 0, cancelled: true };
  connection.onRequest(
    SCAN_WORKSPACE_REQUEST,
    guard(handlerLogger, 'Scan Workspace', emptyScan, async (_params: unknown, token: CancellationToken) => {
      // A second scan replaces the first rather than running beside it.
      const generation = ++scanGeneration;
      const progress = await connection.window.createWorkDoneProgress();
      const started = Date.now();
      const result = await scanWorkspace(
        {
          folders,
          analyser,
          progress,
          openDocument: (uri) => {
            const document = documents.get(uri);
            return document ? { version: document.version, text: document.getText() } : undefined;
          },
          scanned: (uri) => void scanned.add(uri),
        },
        { get isCancellationRequested() { return token.isCancellationRequested || generation !== scanGeneration; } },
      );
      logger.info(
        `Scan ${result.cancelled ? 'cancelled after' : 'finished:'} ${result.filesAnalysed} files, ${result.findings} findings in ${result.filesWithFindings} files, ${result.skipped} skipped, ${Date.now() - started} ms.`,
      );
      return result;
    }),
  );

  connection.onRequest(
    INDEX_FOR_QUERY_REQUEST,
    guard(handlerLogger, 'index for the query under the cursor', { message: 'Backend Advisor could not compute an index here; see the output for details.' } as IndexForQueryResult, async (params: IndexForQueryParams): Promise<IndexForQueryResult> => {
      const result = await currentResult(params.uri);
      if (!result) return { message: 'Open the file in an editor of a workspace folder first.' };
      const servedBy = (): string | undefined => {
        const filePath = filePathOf(params.uri);
        const project = filePath ? folders.forFile(filePath).engine.index : undefined;
        const file = filePath ? project?.file(filePath) : undefined;
        return file && project ? servingIndexMessage(file, project, file.lineMap.offsetAt(params.position)) : undefined;
      };
      return indexForQuery(result.findings, params.position, editCapabilities, (target) => openDocumentAt(target)?.version ?? null, servedBy);
    }),
  );

  connection.onRequest(
    SKILL_ACTIVATION_REQUEST,
    guard(handlerLogger, 'skill activation', { skills: [] } as SkillActivationResult, async (params: SkillActivationParams): Promise<SkillActivationResult> => {
      const filePath = params.uri ? filePathOf(params.uri) : undefined;
      if (!params.uri || !filePath) {
        const folder = folders.all()[0];
        if (folder) await folder.ready;
        return { skills: inactiveSkills(options.rules, folder) };
      }
      const folder = folders.forFile(filePath);
      await folder.ready;
      const document = documents.get(params.uri);
      if (document) folder.engine.index.setOverlay(filePath, document.getText(), document.version);
      // The index rules' reasons come from the queries and the schema catalog, both of which need
      // the SQL parser: a file that asks for it (schema.prisma, a migration, a query) waits for it,
      // so it does not show as not watched until the next refresh; other files never load it.
      const parsed = folder.engine.index.file(filePath);
      if (parsed && (parsed.language === 'sql' || parsed.language === 'prisma' || mayHoldQueries(parsed))) await ensureSqlParser();
      else await sqlParserRequested();
      const reported = new Set((analyser.resultOf(params.uri)?.findings ?? []).map((finding) => finding.ruleId));
      return skillActivationFor(folder, filePath, params.uri, reported);
    }),
  );

  // The embedded Postgres for "Verify with Postgres Planner": started on the first request, in a
  // worker that ends itself after a minute idle so its memory goes back.
  const planner = new PlannerSession();
  connection.onRequest(
    VERIFY_WITH_PLANNER_REQUEST,
    guard(handlerLogger, 'Verify with Postgres Planner', { message: 'The planner check failed; see the output for details.' } as VerifyWithPlannerResult, async (params: VerifyWithPlannerParams): Promise<VerifyWithPlannerResult> => {
      const filePath = filePathOf(params.uri);
      const result = await currentResult(params.uri);
      if (!filePath || !result) return { message: 'Open the file in an editor of a workspace folder first.' };
      const finding = plannerFindingAt(result.findings, params.position);
      const engineIndex = folders.forFile(filePath).engine.index;
      if (!finding) return verifyFinding(undefined, await loadSchemaCatalog(engineIndex), planner, () => {});
      const progress = await connection.window.createWorkDoneProgress();
      progress.begin('Backend Advisor: Postgres planner', undefined, planner.running ? 'Asking the planner' : 'Starting the embedded Postgres (PGlite)');
      try {
        const answer = await verifyFinding(finding, await loadSchemaCatalog(engineIndex), planner, (event) => progress.report(event.message));
        logger.info(`Verify with Postgres Planner: ${answer.message}`);
        return answer;
      } finally {
        progress.done();
      }
    }),
  );

  connection.onShutdown(() => {
    scheduler.dispose();
    void planner.dispose();
  });
  documents.listen(connection);
}
