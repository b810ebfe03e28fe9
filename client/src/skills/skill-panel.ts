import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SKILL_ACTIVATION_REQUEST, type SkillActivationParams, type SkillActivationResult, type SkillInfo } from '../../../server/src/lsp/protocol';
import { countFindings, isSkillEnabled, skillAccessibleLabel, skillDescription, skillTooltip, toggleSkillRules, type PanelDiagnostic } from './skill-model';

export const SKILLS_VIEW_ID = 'backendAdvisor.skills';
const DIAGNOSTIC_SOURCE = 'Backend Advisor';
const SEVERITY_NAMES = ['error', 'warning', 'info', 'hint'] as const;

type Node =
  | { kind: 'skill'; skill: SkillInfo }
  | { kind: 'note'; text: string; icon: string; tooltip?: string }
  | { kind: 'finding'; diagnostic: vscode.Diagnostic; uri: vscode.Uri }
  | { kind: 'rule'; rule: SkillInfo['rules'][number] };

function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'string') return code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return undefined;
}

/**
 * The "Skills" view: the four skills for the file in the active editor, whether each is active and
 * why (the server's engine answers, from the same detection the rules use), and the findings of
 * its rules in the file and the workspace, from the diagnostics VS Code holds.
 */
export class SkillPanel implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private result: SkillActivationResult = { skills: [] };
  private fileUri: vscode.Uri | undefined;
  private generation = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  readonly view: vscode.TreeView<Node>;

  constructor(private readonly client: LanguageClient) {
    this.view = vscode.window.createTreeView(SKILLS_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      vscode.window.onDidChangeActiveTextEditor(() => this.scheduleRefresh(0)),
      vscode.languages.onDidChangeDiagnostics(() => this.scheduleRefresh(150)),
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('backendAdvisor') && this.scheduleRefresh(300)),
      this.view.onDidChangeVisibility((event) => event.visible && this.scheduleRefresh(0)),
    );
  }

  /** Re-asks the server after `delay` ms; bursts of editor and diagnostic events make one request. */
  scheduleRefresh(delay: number): void {
    if (!this.view.visible) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), delay);
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const editor = vscode.window.activeTextEditor;
    const uri = editor && editor.document.uri.scheme === 'file' ? editor.document.uri : undefined;
    const params: SkillActivationParams = uri ? { uri: uri.toString() } : {};
    try {
      const result = await this.client.sendRequest<SkillActivationResult>(SKILL_ACTIVATION_REQUEST, params);
      if (generation !== this.generation) return;
      this.result = result;
      this.fileUri = uri;
    } catch {
      if (generation !== this.generation) return;
      this.result = { skills: [] };
    }
    const name = uri ? vscode.workspace.asRelativePath(uri, false) : undefined;
    this.view.description = name;
    this.view.message = !uri ? 'Open a file to see which skills watch it.' : this.result.notAnalysed ? `Not analysed: ${this.result.notAnalysed}.` : undefined;
    this.changed.fire(undefined);
  }

  /** Skills in server order, active ones first. */
  skills(): SkillInfo[] {
    return [...this.result.skills].sort((a, b) => Number(b.active) - Number(a.active));
  }

  private panelDiagnostics(): PanelDiagnostic[] {
    const all: PanelDiagnostic[] = [];
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      for (const diagnostic of diagnostics) {
        const ruleId = diagnostic.source === DIAGNOSTIC_SOURCE ? ruleIdOf(diagnostic) : undefined;
        if (ruleId) all.push({ ruleId, uri: uri.toString(), line: diagnostic.range.start.line, message: diagnostic.message, severity: SEVERITY_NAMES[diagnostic.severity] });
      }
    }
    return all;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.skills().map((skill) => ({ kind: 'skill', skill }));
    if (node.kind !== 'skill') return [];
    const skill = node.skill;
    const children: Node[] = [];
    if (skill.active) for (const reason of skill.reasons) children.push({ kind: 'note', text: reason, icon: 'lightbulb', tooltip: `Active because of: ${reason}` });
    else children.push({ kind: 'note', text: 'Nothing in this file for this skill', icon: 'circle-slash' });
    const ids = new Set(skill.rules.map((rule) => rule.id));
    if (this.fileUri) {
      const uri = this.fileUri;
      for (const diagnostic of vscode.languages.getDiagnostics(uri)) {
        const ruleId = diagnostic.source === DIAGNOSTIC_SOURCE ? ruleIdOf(diagnostic) : undefined;
        if (ruleId && ids.has(ruleId)) children.push({ kind: 'finding', diagnostic, uri });
      }
    }
    for (const rule of skill.rules) children.push({ kind: 'rule', rule });
    if (skill.rules.length === 0) children.push({ kind: 'note', text: 'No rules in this skill yet', icon: 'info' });
    return children;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'skill': {
        const { skill } = node;
        const counts = countFindings(skill, this.fileUri?.toString(), this.panelDiagnostics());
        const enabled = isSkillEnabled(skill);
        const item = new vscode.TreeItem(skill.label, skill.active ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `skill:${skill.skill}:${this.fileUri?.toString() ?? ''}:${skill.active}`;
        item.description = skillDescription(skill, counts);
        item.tooltip = skillTooltip(skill);
        item.accessibilityInformation = { label: skillAccessibleLabel(skill, counts), role: 'treeitem' };
        item.iconPath = !enabled
          ? new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('disabledForeground'))
          : skill.active
            ? new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'))
            : new vscode.ThemeIcon('circle-large-outline', new vscode.ThemeColor('disabledForeground'));
        item.contextValue = skill.rules.length === 0 ? 'skill.norules' : enabled ? 'skill.enabled' : 'skill.disabled';
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.tooltip ?? node.text;
        item.contextValue = 'note';
        return item;
      }
      case 'finding': {
        const { diagnostic, uri } = node;
        const line = diagnostic.range.start.line + 1;
        const item = new vscode.TreeItem(diagnostic.message, vscode.TreeItemCollapsibleState.None);
        item.description = `${ruleIdOf(diagnostic)} · line ${line}`;
        item.tooltip = new vscode.MarkdownString().appendText(`${diagnostic.message}\n\n${ruleIdOf(diagnostic)}, line ${line}`);
        const severity = SEVERITY_NAMES[diagnostic.severity];
        item.iconPath =
          severity === 'error'
            ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
            : severity === 'warning'
              ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
              : new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
        item.accessibilityInformation = { label: `${severity} on line ${line}: ${diagnostic.message}` };
        item.command = { title: 'Reveal', command: 'vscode.open', arguments: [uri, { selection: diagnostic.range, preserveFocus: false } satisfies vscode.TextDocumentShowOptions] };
        item.contextValue = 'finding';
        return item;
      }
      case 'rule': {
        const { rule } = node;
        const item = new vscode.TreeItem(rule.id, vscode.TreeItemCollapsibleState.None);
        item.description = rule.severity === 'off' ? 'off' : `${rule.severity}${rule.appliesToFile ? '' : ' · not for this language'}`;
        item.tooltip = `${rule.title}\nSeverity: ${rule.severity}. Click for the rule's documentation.`;
        item.iconPath = new vscode.ThemeIcon(rule.severity === 'off' ? 'circle-slash' : 'law');
        item.command = { title: 'Show Rule Documentation', command: 'backendAdvisor.showRuleDocs', arguments: [rule.id] };
        item.contextValue = 'rule';
        return item;
      }
    }
  }

  /** Writes `off` (or removes it) for every rule of the skill in `backendAdvisor.rules`. */
  async setSkillEnabled(node: Node | undefined, enable: boolean): Promise<void> {
    let skill = node?.kind === 'skill' ? node.skill : undefined;
    if (!skill) {
      const picked = await vscode.window.showQuickPick(
        this.result.skills.filter((candidate) => candidate.rules.length > 0).map((candidate) => ({ label: candidate.label, description: candidate.rules.map((rule) => rule.id).join(', '), skill: candidate })),
        { title: enable ? 'Enable the rules of a skill' : 'Disable the rules of a skill' },
      );
      skill = picked?.skill;
    }
    if (!skill) return;
    const scope = this.fileUri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const configuration = vscode.workspace.getConfiguration('backendAdvisor', scope);
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    const inspected = configuration.inspect<Record<string, unknown>>('rules');
    const current = target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
    await configuration.update('rules', toggleSkillRules(current, skill.rules.map((rule) => rule.id), enable), target);
    void vscode.window.setStatusBarMessage(`Backend Advisor: ${skill.label} rules ${enable ? 'enabled' : 'turned off'} in the workspace settings.`, 4000);
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
