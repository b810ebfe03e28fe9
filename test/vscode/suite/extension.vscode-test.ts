import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SkillActivationResult } from '../../../server/src/lsp/protocol';

/** What client/src/extension.ts exports from activate() (declared here: the test project does not compile the client). */
interface BackendAdvisorApi {
  skillActivation(uri: vscode.Uri): Promise<SkillActivationResult>;
}

const workspace = process.env.BA_WORKSPACE!;
const EXTENSION_ID = 'backend-advisor.backend-advisor';

async function poll<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeout = 60_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  return typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
}

/** The same assertions as test/e2e/vscode.e2e.ts, through the API instead of the DOM. */
export function registerSuite(): void {
  suite('Backend Advisor through the VS Code API', () => {
    let api: BackendAdvisorApi;
    const service = vscode.Uri.file(path.join(workspace, 'orders-service/src/orders/orders.service.ts'));

    suiteSetup(async () => {
      const extension = vscode.extensions.getExtension<BackendAdvisorApi>(EXTENSION_ID);
      assert.ok(extension, 'the extension is installed');
      const started = Date.now();
      api = await extension.activate();
      console.log(`activate() resolved in ${Date.now() - started} ms`);
    });

    test('diagnostics, hover and the timeout quick fix', async () => {
      const document = await vscode.workspace.openTextDocument(service);
      await vscode.window.showTextDocument(document);
      const diagnostics = await poll('remote-call diagnostics', () => {
        const found = vscode.languages.getDiagnostics(service).filter((diagnostic) => diagnostic.source === 'Backend Advisor');
        return found.some((diagnostic) => codeOf(diagnostic) === 'remote-call-no-timeout') ? found : undefined;
      });
      const timeout = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'remote-call-no-timeout')!;
      assert.match(timeout.message, /`fetch` to `\$\{SHIPPING_URL\}\/shipments` has no timeout/);

      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', service, timeout.range.start);
      const hoverText = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
      assert.match(hoverText, /Outbound HTTP or gRPC call without a timeout/);

      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', service, timeout.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((action) => action.title.includes('AbortSignal.timeout'));
      assert.ok(fix?.edit, `a timeout fix among: ${actions.map((action) => action.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(document.getText(), /body: JSON\.stringify\(\{ orderId: order\.id \}\),\s*signal: AbortSignal\.timeout\(5000\),/);
      await document.save();
    });

    test('Scan Workspace puts every rule the sample triggers into the Problems panel', async () => {
      await vscode.commands.executeCommand('backendAdvisor.scanWorkspace');
      const codes = await poll('diagnostics of both remote-call rules', () => {
        const all = new Set(vscode.languages.getDiagnostics().flatMap(([, list]) => list.filter((d) => d.source === 'Backend Advisor').map(codeOf)));
        return all.has('remote-call-no-timeout') && all.has('remote-call-no-breaker') ? all : undefined;
      });
      assert.ok(codes.size >= 2);
    });

    test('skill activation for a TypeORM service and for a .sql file', async () => {
      const forService = await api.skillActivation(service);
      const active = (result: typeof forService) => Object.fromEntries(result.skills.filter((skill) => skill.active).map((skill) => [skill.skill, skill.reasons]));
      const serviceSkills = active(forService);
      assert.deepEqual(serviceSkills['database-optimizer'], ['TypeORM repository calls']);
      assert.match(serviceSkills['microservices-architect']!.join(), /outbound HTTP client/);
      assert.equal(serviceSkills['api-designer'], undefined);
      const sql = vscode.Uri.file(path.join(workspace, 'orders-service/migrations/1714000000000_create_orders.sql'));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(sql));
      assert.deepEqual(active(await api.skillActivation(sql)), { 'database-optimizer': ['SQL file'] });
    });

    test('the circuit-breaker scaffold writes its files and registers its module', async () => {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(service));
      await vscode.commands.executeCommand('backendAdvisor.scaffold.circuitBreaker', { service: 'shipping', library: 'opossum' });
      const client = path.join(workspace, 'orders-service/src/shipping/shipping.client.ts');
      await poll('the client file', () => fs.existsSync(client));
      assert.match(fs.readFileSync(client, 'utf8'), /new CircuitBreaker/);
      assert.match(fs.readFileSync(path.join(workspace, 'orders-service/src/app.module.ts'), 'utf8'), /ShippingClientModule/);
    });
  });
}
