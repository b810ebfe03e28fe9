/**
 * `npm run test:vscode`: the same end-to-end assertions as test/e2e, through the VS Code API, in
 * desktop VS Code via @vscode/test-electron. It needs a VS Code it can start: set
 * VSCODE_EXECUTABLE to one (e.g. /usr/share/code/code), or let @vscode/test-electron download
 * one — which needs access to update.code.visualstudio.com (not available on the project's build
 * machines; there, `npm run test:e2e` covers the same ground in code-server). Needs a display
 * (use xvfb-run on a headless Linux).
 */
import { runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

async function main(): Promise<void> {
  const repo = path.resolve(__dirname, '../..');
  const out = path.join(repo, 'out/vscode-test');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'suite/index.ts')],
    outfile: path.join(out, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-vscode-'));
  const workspace = path.join(work, 'examples');
  fs.cpSync(path.join(repo, 'examples'), workspace, { recursive: true });
  try {
    await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      version: process.env.VSCODE_EXECUTABLE ? undefined : '1.100.0',
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(out, 'index.js'),
      extensionTestsEnv: { BA_WORKSPACE: workspace },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(work, 'user-data')],
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error('No VS Code to run: set VSCODE_EXECUTABLE to a desktop VS Code 1.100+ binary (see test/vscode/run.ts).');
  process.exit(1);
});
