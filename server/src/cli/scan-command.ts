import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisEngine } from '../engine/analysis-engine';
import { ensureSqlParser } from '../engine/sql/sql-gate';
import type { AnyRule } from '../engine/model/rule';
import { LineMap } from '../engine/text/line-map';
import { useColour, type CliIo } from './cli-io';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from './exit-codes';
import { formatJson } from './formats/json';
import { formatSarif } from './formats/sarif';
import { formatStylish, summaryLine } from './formats/stylish';
import { loadScanConfig } from './load-config';
import { MemoryRelief } from './memory-relief';
import { Progress } from './progress';
import { countFindings, relativeToRoot, type FileResult, type ScanReport } from './scan-report';
import { failsOn, type ScanOptions } from './scan-options';
import { resolveScanPaths, scanRoot } from './scan-root';
import { toolVersion } from './tool-version';
import { verifyFindings } from './verify-findings';

/** Runs a scan and writes its report; returns the exit code. Throws UsageError for exit 2. */
export async function runScan(options: ScanOptions, rules: readonly AnyRule[], io: CliIo): Promise<number> {
  const targets = resolveScanPaths(io.cwd, options.paths);
  const root = scanRoot(io.cwd, targets, options.root);
  const config = loadScanConfig(root, io.cwd, options.config, options.ruleOverrides, rules);
  for (const warning of config.warnings) io.stderr.write(`warning: ${warning}\n`);

  const engine = new AnalysisEngine(root, rules);
  const problems = engine.configure(config.layers);
  if (problems.length > 0) {
    throw new UsageError(`the configuration is invalid:\n${problems.map((problem) => `  ${problem}`).join('\n')}\nFix these settings and run again.`);
  }

  const files = engine.discover(targets);
  // The schema catalog needs the SQL parser (WASM, loaded once); the editor re-analyses when it
  // arrives, a scan simply waits for it so its report is complete.
  await ensureSqlParser();
  const report: ScanReport = { root, toolVersion: toolVersion(), rules, activeRules: engine.activeRules, files: [] };
  const progress = new Progress(io.stderr, io.stderr.isTTY === true);
  const memory = new MemoryRelief();
  files.forEach((filePath, i) => {
    progress.update(i, files.length);
    report.files.push(analyseOne(engine, root, filePath));
    memory.fileDone();
  });
  progress.finish();
  if (options.verify) report.verifications = await verifyFindings(report.files, engine, io);

  writeDiagnosticsNotes(report.files, io);
  for (const notRead of engine.schemaFilesNotRead()) io.stderr.write(`note: ${relativeToRoot(root, notRead.filePath)} was not read for the schema: ${notRead.reason}.\n`);
  writeReport(report, options, io);
  const failed = report.files.some((file) => file.findings.some((finding) => failsOn(options.failOn, finding.severity)));
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

function analyseOne(engine: AnalysisEngine, root: string, filePath: string): FileResult {
  const relativePath = relativeToRoot(root, filePath);
  const base: FileResult = { filePath, relativePath, findings: [], ruleFailures: [], syntaxErrors: 0, lineTexts: new Map() };
  let analysis;
  try {
    analysis = engine.analyze(filePath);
  } catch (error) {
    // The runner isolates rules; this catches what happens before them (reading, parsing).
    return { ...base, skipped: `it could not be analysed (${error instanceof Error ? error.message : String(error)})` };
  }
  const result: FileResult = { ...base, findings: analysis.findings, skipped: analysis.skipped, ruleFailures: analysis.ruleFailures };
  if (!analysis.skipped) result.syntaxErrors = engine.index.file(filePath)?.syntaxErrorCount ?? 0;
  if (analysis.findings.length > 0) {
    const text = engine.index.textOf(filePath) ?? '';
    const lines = new LineMap(text);
    for (const finding of analysis.findings) result.lineTexts.set(finding.range.start.line, lines.lineText(finding.range.start.line));
  }
  return result;
}

/** Skipped files, rule failures and syntax errors, one line each on stderr, naming the file. */
function writeDiagnosticsNotes(files: readonly FileResult[], io: CliIo): void {
  for (const file of files) {
    if (file.skipped) io.stderr.write(`skipped ${file.relativePath}: ${file.skipped}\n`);
    for (const failure of file.ruleFailures) {
      const firstLine = failure.reason.split('\n')[0];
      io.stderr.write(`${file.relativePath}: rule ${failure.ruleId} ${firstLine}; its findings for this file are missing.\n`);
    }
    if (file.syntaxErrors > 0) {
      io.stderr.write(`note: ${file.relativePath} has ${file.syntaxErrors} syntax error${file.syntaxErrors === 1 ? '' : 's'}; it was analysed as far as it parses, so findings there may be incomplete.\n`);
    }
  }
}

function writeReport(report: ScanReport, options: ScanOptions, io: CliIo): void {
  const toFile = options.output !== undefined;
  const colour = !toFile && useColour(io.stdout, io.env);
  let text: string;
  switch (options.format) {
    case 'stylish':
      text = formatStylish(report, { colour });
      break;
    case 'json':
      text = formatJson(report);
      break;
    case 'sarif':
      text = formatSarif(report);
      break;
  }
  if (!toFile) {
    io.stdout.write(text);
    return;
  }
  const outputPath = path.resolve(io.cwd, options.output!);
  try {
    fs.mkdirSync(path.dirname(outputPath), { recursive: true });
    fs.writeFileSync(outputPath, text);
  } catch (error) {
    throw new UsageError(`--output ${options.output}: could not write the report (${(error as Error).message}).`);
  }
  const counts = countFindings(report.files);
  io.stdout.write(`${summaryLine(counts, report.files.length, useColour(io.stdout, io.env))}\nwrote the ${options.format} report to ${options.output}\n`);
}
