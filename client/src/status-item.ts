import * as vscode from 'vscode';
import { DOCUMENT_SELECTOR } from './language-client';
import type { StatusParams } from '../../server/src/lsp/protocol';
import { statusText } from './status-text';

/** The "Backend Advisor" entry in the language status area: state, findings count, Show Output. */
export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('backendAdvisor.status', DOCUMENT_SELECTOR);
    this.item.name = 'Backend Advisor';
    this.item.command = { title: 'Show Output', command: 'backendAdvisor.showOutput' };
    this.starting();
  }

  starting(): void {
    this.item.busy = true;
    this.item.text = 'Backend Advisor';
    this.item.detail = 'starting';
    this.item.severity = vscode.LanguageStatusSeverity.Information;
  }

  stopped(reason: string): void {
    this.item.busy = false;
    this.item.text = '$(error) Backend Advisor';
    this.item.detail = reason;
    this.item.severity = vscode.LanguageStatusSeverity.Error;
  }

  update(status: StatusParams): void {
    const { text, detail } = statusText(status);
    this.item.busy = false;
    this.item.text = text;
    this.item.detail = detail;
    this.item.severity =
      status.state === 'error' ? vscode.LanguageStatusSeverity.Error : status.state === 'warning' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
  }

  dispose(): void {
    this.item.dispose();
  }
}
