import { ts } from 'ts-morph';
import type { ParsedFile } from '../../engine/source/parsed-file';

/** Test files exercise clients against stubs; neither remote-call rule reports in them. */
export function isTestFile(filePath: string): boolean {
  const normalized = filePath.replace(/\\/g, '/');
  return /\.(test|spec)\.[cm]?[jt]sx?$/.test(normalized) || /\/(__tests__|__mocks__)\//.test(normalized);
}

/** One-off scripts and CLIs (under a `scripts/` folder) are not long-running servers. */
export function isScriptFile(filePath: string): boolean {
  return /(^|\/)scripts\//.test(filePath.replace(/\\/g, '/'));
}

const FRONT_END_MODULES = /^(react|react-dom|vue|svelte|@angular\/core|preact|solid-js)(\/|$)/;

/**
 * Browser code: imports a UI framework, is a Next.js client component, or touches `window` /
 * `document` at module level. Circuit breakers belong to the server side.
 */
export function isFrontEndFile(file: ParsedFile): boolean {
  const ast = file.ast;
  if (!ast) return false;
  const first = ast.statements[0];
  if (first && /^\s*['"]use client['"]/.test(file.text.slice(first.getStart(ast), first.end))) return true;
  for (const [, binding] of file.imports.entries()) if (FRONT_END_MODULES.test(binding.module)) return true;
  for (const statement of ast.statements) {
    // Declarations' bodies run later (maybe on a server with a shim); top-level statements run at load.
    if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) continue;
    if (/\b(window|document)\s*\./.test(statement.getText(ast))) return true;
  }
  return false;
}
