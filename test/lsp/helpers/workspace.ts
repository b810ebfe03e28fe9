import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A small but realistic backend project, written to a fresh temporary folder per test. */
export const BACKEND_FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'orders-api', version: '1.0.0', dependencies: { express: '^4.19.0', pg: '^8.11.0' } }, null, 2),
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, outDir: 'dist' } }, null, 2),
  '.gitignore': 'dist/\n',
  'src/users.service.ts': [
    "import type { User } from './user';",
    '',
    'export async function loadUser(id: string): Promise<User> {',
    '  const response = await fetch(`https://users.internal/users/${id}`);',
    '  return (await response.json()) as User;',
    '}',
    '',
  ].join('\n'),
  'src/user.ts': 'export interface User {\n  id: string;\n  email: string;\n}\n',
  'src/orders.service.ts': [
    'export async function loadOrders(userId: string) {',
    '  const orders = await fetch(`https://orders.internal/users/${userId}/orders`);',
    '  const invoices = await fetch(`https://billing.internal/users/${userId}/invoices`);',
    '  return { orders: await orders.json(), invoices: await invoices.json() };',
    '}',
    '',
  ].join('\n'),
  'src/health.ts': [
    'export async function ping(url: string): Promise<boolean> {',
    '  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });',
    '  return response.ok;',
    '}',
    '',
  ].join('\n'),
  'db/001_init.sql': 'CREATE TABLE users (id uuid PRIMARY KEY, email text NOT NULL);\nSELECT * FROM users;\n',
  'dist/bundle.js': 'fetch("https://ignored.example");\n',
};

export function makeWorkspace(files: Record<string, string> = BACKEND_FILES): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'backend-advisor-lsp-')));
  for (const [relative, content] of Object.entries(files)) writeFile(root, relative, content);
  return root;
}

export function writeFile(root: string, relative: string, content: string | Buffer): string {
  const full = path.join(root, relative);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  return full;
}

export function removeWorkspace(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}
