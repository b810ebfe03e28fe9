import * as vscode from 'vscode';
import { breakerLibraryOf, circuitBreakerScaffold } from './circuit-breaker';
import { dataLoaderScaffold, entityClassesIn } from './data-loader';
import { errorContractScaffold } from './error-contract';
import { jwtAuthScaffold, userEntityShape } from './jwt-auth';
import { detectLayout } from './layout';
import type { ProjectLayout, ProjectReader, ScaffoldPlan } from './model';
import { registerInModule } from './module-registration';
import { validName } from './names';
import { resourceScaffold } from './resource';

const EXCLUDE = '{**/node_modules/**,**/dist/**,**/.git/**}';

function reader(root: vscode.Uri): ProjectReader {
  return {
    readText: async (file) => {
      try {
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, file)));
      } catch {
        return undefined;
      }
    },
    exists: async (file) => {
      try {
        await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, file));
        return true;
      } catch {
        return false;
      }
    },
    find: async (glob) => {
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(root, glob), EXCLUDE, 500);
      return found.map((uri) => uri.path.slice(root.path.length + 1));
    },
  };
}

/**
 * The project to scaffold into: the package.json folder nearest the active file, else the one
 * package.json in the workspace, else the user picks among them.
 */
async function projectRoot(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('Backend Advisor: open the folder of your project to scaffold into it.');
    return undefined;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = active && vscode.workspace.getWorkspaceFolder(active);
  if (active && folder) {
    for (let dir = vscode.Uri.joinPath(active, '..'); dir.path.length >= folder.uri.path.length; dir = vscode.Uri.joinPath(dir, '..')) {
      if (await reader(dir).exists('package.json')) return dir;
      if (dir.path === folder.uri.path) break;
    }
  }
  const manifests = (await vscode.workspace.findFiles('**/package.json', EXCLUDE, 50)).map((uri) => vscode.Uri.joinPath(uri, '..'));
  if (manifests.length === 1) return manifests[0];
  if (manifests.length === 0) return folders[0]!.uri;
  const picked = await vscode.window.showQuickPick(
    manifests.map((uri) => ({ label: vscode.workspace.asRelativePath(uri, true) || uri.path, uri })),
    { title: 'Which project?', placeHolder: 'The folder of the package.json to scaffold into' },
  );
  return picked?.uri;
}

async function askName(title: string, prompt: string, value: string): Promise<string | undefined> {
  const answer = await vscode.window.showInputBox({ title, prompt, value, validateInput: (text) => validName(text) });
  return answer?.trim() || undefined;
}

/**
 * Writes the plan: asks before replacing any file, registers modules through the editor (so the
 * change can be undone), opens the new files and offers to install missing packages.
 */
export async function writePlan(root: vscode.Uri, plan: ScaffoldPlan): Promise<boolean> {
  const files = reader(root);
  const existing = [];
  for (const file of plan.files) if (await files.exists(file.path)) existing.push(file.path);
  let skip = new Set<string>();
  if (existing.length > 0) {
    const choice = await vscode.window.showWarningMessage(
      `${existing.length} file${existing.length === 1 ? '' : 's'} of the ${plan.title} already exist: ${existing.join(', ')}.`,
      { modal: true },
      'Overwrite',
      'Keep Existing',
    );
    if (!choice) return false;
    if (choice === 'Keep Existing') skip = new Set(existing);
  }
  for (const file of plan.files) {
    if (skip.has(file.path)) continue;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, file.path), new TextEncoder().encode(file.content));
  }
  for (const registration of plan.registrations) {
    const uri = vscode.Uri.joinPath(root, registration.moduleFile);
    const document = await vscode.workspace.openTextDocument(uri);
    const updated = registerInModule(document.getText(), registration);
    if (updated === undefined) {
      void vscode.window.showWarningMessage(`Backend Advisor: add ${registration.className} to the ${registration.array} of your module; ${registration.moduleFile} has no @Module(…) to extend.`);
      continue;
    }
    if (updated === document.getText()) continue;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), updated);
    await vscode.workspace.applyEdit(edit);
    await document.save();
  }
  for (const [index, file] of [...plan.open].reverse().entries()) {
    await vscode.window.showTextDocument(vscode.Uri.joinPath(root, file), { preview: false, preserveFocus: index < plan.open.length - 1 });
  }
  if (plan.missingDependencies.length > 0) {
    const command = `npm install ${plan.missingDependencies.join(' ')}`;
    void vscode.window.showInformationMessage(`Backend Advisor: the ${plan.title} needs ${plan.missingDependencies.join(', ')}.`, 'Install').then((choice) => {
      if (choice !== 'Install') return;
      const terminal = vscode.window.createTerminal({ name: 'Backend Advisor', cwd: root });
      terminal.show();
      terminal.sendText(command);
    });
  }
  return true;
}

async function withLayout(run: (root: vscode.Uri, layout: ProjectLayout) => Promise<ScaffoldPlan | undefined>): Promise<void> {
  try {
    const root = await projectRoot();
    if (!root) return;
    const layout = await detectLayout(reader(root));
    const plan = await run(root, layout);
    if (plan && (await writePlan(root, plan))) void vscode.window.setStatusBarMessage(`Backend Advisor: created the ${plan.title}.`, 5000);
  } catch (error) {
    void vscode.window.showErrorMessage(`Backend Advisor: the scaffold failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function registerScaffoldCommands(context: vscode.ExtensionContext): void {
  const title = (name: string) => `Backend Advisor: ${name}`;
  context.subscriptions.push(
    // Arguments, when given (from a keybinding, a task or a test), replace the questions.
    vscode.commands.registerCommand('backendAdvisor.scaffold.circuitBreaker', (args?: { service?: string; library?: 'opossum' | 'cockatiel' }) =>
      withLayout(async (_root, layout) => {
        const service = args?.service ?? (await askName(title('Circuit-breaker client'), 'The service this client calls (e.g. payments)', 'payments'));
        if (!service) return undefined;
        let library = args?.library ?? breakerLibraryOf(layout);
        if (!library) {
          const picked = await vscode.window.showQuickPick(
            [
              { label: 'opossum', description: 'circuit breaker with timeout, error threshold and fallback', library: 'opossum' as const },
              { label: 'cockatiel', description: 'retry with backoff plus circuit breaker policies', library: 'cockatiel' as const },
            ],
            { title: title('Circuit-breaker library'), placeHolder: 'The project has neither; the scaffold offers to install the one you pick' },
          );
          library = picked?.library;
        }
        return library ? circuitBreakerScaffold(layout, { service, library }) : undefined;
      }),
    ),
    vscode.commands.registerCommand('backendAdvisor.scaffold.errorContract', () => withLayout(async (_root, layout) => errorContractScaffold(layout))),
    vscode.commands.registerCommand('backendAdvisor.scaffold.resource', (args?: { resource?: string; parent?: string }) =>
      withLayout(async (root, layout) => {
        const resource = args?.resource ?? (await askName(title('NestJS resource'), 'The collection, plural (e.g. orders)', 'orders'));
        if (!resource) return undefined;
        const parent = args?.resource ? (args.parent ?? '') : await vscode.window.showInputBox({
          title: title('NestJS resource'),
          prompt: 'The owning collection for nested routes like GET /users/:userId/orders; leave empty for none',
          value: '',
          validateInput: (text) => (text.trim() ? validName(text) : undefined),
        });
        if (parent === undefined) return undefined;
        const files = reader(root);
        const existing = new Set<string>();
        for (const candidate of ['src/common/errors/error-response.ts', 'common/errors/error-response.ts']) if (await files.exists(candidate)) existing.add(candidate);
        return resourceScaffold(layout, { resource, parent: parent.trim() || undefined }, (file) => existing.has(file));
      }),
    ),
    vscode.commands.registerCommand('backendAdvisor.scaffold.dataLoader', () =>
      withLayout(async (root, layout) => {
        const files = reader(root);
        const candidates = (await files.find('**/*.entity.ts')).sort();
        const entities: Array<{ label: string; description: string; file: string; text: string }> = [];
        for (const file of candidates) {
          const text = (await files.readText(file)) ?? '';
          for (const name of entityClassesIn(text)) entities.push({ label: name, description: file, file, text });
        }
        if (entities.length === 0) {
          void vscode.window.showInformationMessage('Backend Advisor: no TypeORM @Entity classes found in *.entity.ts files.');
          return undefined;
        }
        const picked = entities.length === 1 ? entities[0] : await vscode.window.showQuickPick(entities, { title: title('DataLoader for an entity'), placeHolder: 'The entity to batch-load' });
        if (!picked) return undefined;
        const key = await askName(title('DataLoader for an entity'), `The ${picked.label} property to load by`, 'id');
        return key ? dataLoaderScaffold(layout, { entityFile: picked.file, entityText: picked.text, key }) : undefined;
      }),
    ),
    vscode.commands.registerCommand('backendAdvisor.scaffold.jwtAuth', () =>
      withLayout(async (root, layout) => {
        if (!layout.dependencies.has('typeorm')) {
          void vscode.window.showInformationMessage('Backend Advisor: the JWT auth scaffold stores hashed refresh tokens with TypeORM; this project does not depend on typeorm.');
          return undefined;
        }
        const files = reader(root);
        const users: Array<{ label: string; description: string; file: string; text: string }> = [];
        for (const file of (await files.find('**/*.entity.ts')).sort()) {
          const text = (await files.readText(file)) ?? '';
          const shape = userEntityShape(text);
          if (!('problem' in shape)) users.push({ label: shape.className, description: `${file} · ${shape.emailField}, ${shape.passwordField}`, file, text });
        }
        if (users.length === 0) {
          void vscode.window.showInformationMessage('Backend Advisor: JWT auth needs a TypeORM user entity with an email and a password hash property (e.g. passwordHash); none was found.');
          return undefined;
        }
        users.sort((a, b) => Number(/user|account/i.test(b.label)) - Number(/user|account/i.test(a.label)));
        const picked = users.length === 1 ? users[0] : await vscode.window.showQuickPick(users, { title: title('JWT auth'), placeHolder: 'The entity people sign in as' });
        return picked ? jwtAuthScaffold(layout, { userEntityFile: picked.file, userEntityText: picked.text }) : undefined;
      }),
    ),
  );
}
