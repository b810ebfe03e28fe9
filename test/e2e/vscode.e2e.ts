/**
 * The packaged extension in a real VS Code 1.100 (code-server), driven through Chromium the way a
 * user meets it: install the .vsix, open the sample backend, see the squiggle, read the hover,
 * apply the quick fix. Run with `npm run test:e2e`; it installs code-server on first use.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';

const repo = path.resolve(__dirname, '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-e2e-'));
const workspace = path.join(work, 'examples');
const screenshots = path.join(repo, 'docs/images');
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer`);
}

async function openFile(relativePath: string): Promise<void> {
  const segments = relativePath.split('/');
  for (const [index, segment] of segments.entries()) {
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^${segment.replace(/\./g, '\\.')}$`) }).first();
    await row.waitFor({ timeout: 30_000 });
    const expanded = await row.getAttribute('aria-expanded');
    if (index < segments.length - 1 && expanded === 'true') continue;
    await row.click();
  }
  await page.locator(`.tab[aria-label^="${segments.at(-1)}"]`).first().waitFor({ timeout: 30_000 });
}

before(async () => {
  const codeServer = execFileSync('bash', [path.join(repo, 'scripts/install-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1)!;
  const vsix = path.join(work, 'backend-advisor.vsix');
  execFileSync(path.join(repo, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--out', vsix], { cwd: repo, stdio: 'pipe' });
  fs.cpSync(path.join(repo, 'examples'), workspace, { recursive: true });
  const userData = path.join(work, 'user-data');
  const extensions = path.join(work, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User/settings.json'),
    JSON.stringify({ 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'files.autoSave': 'off' }),
  );
  execFileSync(codeServer, ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', vsix], { stdio: 'pipe' });
  const port = await freePort();
  server = spawn(codeServer, ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--user-data-dir', userData, '--extensions-dir', extensions, workspace], {
    stdio: 'ignore',
  });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, Date.now() + 60_000);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  server?.kill();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('Backend Advisor in VS Code 1.100 (code-server)', { timeout: 300_000 }, () => {
  it('underlines a fetch without a signal, explains it on hover, and its quick fix adds AbortSignal.timeout', async () => {
    await openFile('orders-service/src/orders/orders.service.ts');
    const squiggle = page.locator('.monaco-editor .squiggly-warning').first();
    await squiggle.waitFor({ timeout: 60_000 });

    // Hover the `fetch` in `ship()`: the line that declares `const response = await fetch(`${SHIPPING_URL}/shipments`.
    const line = page.locator('.monaco-editor .view-line', { hasText: 'await fetch(`${SHIPPING_URL}/shipments`, {' }).first();
    await line.scrollIntoViewIfNeeded();
    const fetchToken = line.locator('span', { hasText: /^fetch$/ }).first();
    const box = (await fetchToken.boundingBox())!;
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await page.waitForFunction(() => [...document.querySelectorAll('.monaco-hover-content')].some((el) => (el as HTMLElement).innerText.includes('remote-call-no-timeout')), null, { timeout: 30_000 });
    const hover = await page.evaluate(() => [...document.querySelectorAll('.monaco-hover-content')].map((el) => (el as HTMLElement).innerText).join('\n'));
    assert.match(hover, /`fetch` to `\$\{SHIPPING_URL\}\/shipments` has no timeout/);
    assert.match(hover, /Backend Advisor: Outbound HTTP or gRPC call without a timeout/);
    await page.screenshot({ path: path.join(screenshots, 'hover.png') });

    // Quick fix from the light bulb menu (Ctrl+.), then save and read the file from disk.
    await page.keyboard.press('Escape');
    await fetchToken.click();
    await page.keyboard.press('Control+.');
    const fixItem = page.locator('.action-widget .monaco-list-row', { hasText: 'AbortSignal.timeout' }).first();
    await fixItem.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(screenshots, 'quick-fix.png') });
    // The menu takes the keyboard: move the focus to the fix and accept it.
    for (let step = 0; step < 10; step++) {
      const focused = await page.locator('.action-widget .monaco-list-row.focused').innerText().catch(() => '');
      if (focused.includes('AbortSignal.timeout')) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+S');
    const servicePath = path.join(workspace, 'orders-service/src/orders/orders.service.ts');
    const deadline = Date.now() + 30_000;
    while (!fs.readFileSync(servicePath, 'utf8').includes('signal: AbortSignal.timeout(5000)') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    assert.match(fs.readFileSync(servicePath, 'utf8'), /body: JSON\.stringify\(\{ orderId: order\.id \}\),\s*signal: AbortSignal\.timeout\(5000\),/);

    // The Problems panel lists both remote-call rules for the sample.
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: 30_000 });
    const problems = await page.locator('.markers-panel').innerText();
    assert.match(problems, /remote-call-no-breaker/);
    await page.screenshot({ path: path.join(screenshots, 'problems.png') });
  });
});
