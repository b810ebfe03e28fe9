import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { FileChange, Finding } from '../../engine/model/finding';
import type { Range } from '../../engine/model/location';
import type { AnyRule } from '../../engine/model/rule';
import type { Severity } from '../../engine/model/severity';
import { SKILLS } from '../../engine/model/skills';
import { verdictJson } from '../../engine/planner/verdict-text';
import { ruleDocsUrl } from '../../engine/rule-docs';
import type { Verification } from '../verify-findings';
import { isOutsideRoot, relativeToRoot, type ScanReport } from '../scan-report';
import { TOOL_INFORMATION_URI, TOOL_NAME } from '../tool-version';
import { FINGERPRINT_KEY, FingerprintMaker } from './sarif-fingerprint';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

/** SARIF 2.1.0 for code scanning: one run, every rule described, paths relative to %SRCROOT%. */
export function formatSarif(report: ScanReport): string {
  const ruleIndex = new Map(report.rules.map((rule, i) => [rule.meta.id, i]));
  const activeSeverity = new Map(report.activeRules.map((active) => [active.rule.meta.id, active.severity]));
  const fingerprints = new FingerprintMaker();
  const results: Sarif.Result[] = [];
  for (const file of report.files) {
    for (const finding of file.findings) {
      const verification = report.verifications?.get(finding);
      results.push(resultOf(report.root, finding, verification, ruleIndex.get(finding.ruleId), fingerprints.make(finding.ruleId, file.relativePath, file.lineTexts.get(finding.range.start.line) ?? '')));
    }
  }
  const log: Sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: report.toolVersion,
            semanticVersion: report.toolVersion,
            informationUri: TOOL_INFORMATION_URI,
            rules: report.rules.map((rule) => descriptorOf(rule, activeSeverity.get(rule.meta.id))),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(report.root) } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notificationsOf(report) }],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function descriptorOf(rule: AnyRule, configured: Severity | undefined): Sarif.ReportingDescriptor {
  return {
    id: rule.meta.id,
    name: pascalCase(rule.meta.id),
    shortDescription: { text: rule.meta.title },
    fullDescription: { text: `${rule.meta.title} (${SKILLS[rule.meta.skill]}).` },
    helpUri: ruleDocsUrl(rule.meta.id),
    help: { text: `See ${ruleDocsUrl(rule.meta.id)}`, markdown: `See [${rule.meta.id}](${ruleDocsUrl(rule.meta.id)}).` },
    defaultConfiguration: { enabled: configured !== undefined, level: levelOf(configured ?? rule.meta.defaultSeverity) },
    properties: { tags: ['backend-advisor', rule.meta.skill, ...(rule.meta.fixable ? ['fixable'] : [])] },
  };
}

function resultOf(root: string, finding: Finding, verification: Verification | undefined, ruleIndex: number | undefined, fingerprint: string): Sarif.Result {
  const result: Sarif.Result = {
    ruleId: finding.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: levelOf(finding.severity),
    message: { text: finding.message },
    locations: [{ physicalLocation: { artifactLocation: artifactOf(root, finding.filePath), region: regionOf(finding.range) } }],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
  };
  if (finding.related.length > 0) {
    result.relatedLocations = finding.related.map((related, id) => ({
      id,
      physicalLocation: { artifactLocation: artifactOf(root, related.filePath), region: regionOf(related.range) },
      message: { text: related.message },
    }));
  }
  if (verification) result.properties = { planner: verdictJson(verification.verdict, verification.data) };
  if (finding.fixes.length > 0) {
    result.fixes = finding.fixes.map((fix) => ({ description: { text: fix.title }, artifactChanges: fix.changes.map((change) => artifactChangeOf(root, change)) }));
  }
  return result;
}

function artifactChangeOf(root: string, change: FileChange): Sarif.ArtifactChange {
  if (change.kind === 'create') {
    // A new file: insert the whole content at 1:1 of an empty artifact.
    return {
      artifactLocation: artifactOf(root, change.filePath),
      replacements: [{ deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, insertedContent: { text: change.content } }],
    };
  }
  return {
    artifactLocation: artifactOf(root, change.filePath),
    replacements: change.edits.map((edit) => ({ deletedRegion: regionOf(edit.range), insertedContent: { text: edit.newText } })),
  };
}

/** Relative to %SRCROOT% when inside the root; an absolute file URI otherwise. */
function artifactOf(root: string, filePath: string): Sarif.ArtifactLocation {
  const relative = relativeToRoot(root, filePath);
  if (isOutsideRoot(relative)) return { uri: pathToFileURL(filePath).href };
  return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** SARIF regions are 1-based, end column exclusive, columns in UTF-16 code units. */
function regionOf(range: Range): Sarif.Region {
  return { startLine: range.start.line + 1, startColumn: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1 };
}

export function levelOf(severity: Severity): Sarif.Result.level {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

function notificationsOf(report: ScanReport): Sarif.Notification[] {
  const notifications: Sarif.Notification[] = [];
  for (const file of report.files) {
    const locations = [{ physicalLocation: { artifactLocation: artifactOf(report.root, file.filePath) } }];
    if (file.skipped) notifications.push({ level: 'note', message: { text: `skipped ${file.relativePath}: ${file.skipped}` }, locations });
    for (const failure of file.ruleFailures) {
      notifications.push({
        level: 'warning',
        message: { text: `rule ${failure.ruleId} ${failure.reason.split('\n')[0]} on ${file.relativePath}` },
        descriptor: { id: failure.ruleId },
        locations,
      });
    }
  }
  return notifications;
}

function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
}
