import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { ProjectView } from '../../engine/workspace/project-view';

export { isTestFile } from '../../engine/source/test-files';

/** One-off scripts and CLIs (under a `scripts/` folder) are not long-running servers. */
export function isScriptFile(filePath: string): boolean {
  return /(^|\/)scripts\//.test(filePath.replace(/\\/g, '/'));
}

const FRONT_END_MODULES = /^(react|react-dom|vue|svelte|@angular\/core|preact|solid-js)(\/|$)/;
const FRONT_END_PACKAGES = ['react', 'react-dom', 'vue', 'svelte', '@angular/core', 'preact', 'solid-js', 'next', 'nuxt', '@sveltejs/kit', 'vite'];

/** Modules whose import marks a file as running in a server process: frameworks, queue workers, RPC servers. */
const SERVER_MODULES =
  /^(@nestjs\/(?!testing)|express$|express\/|fastify$|@fastify\/|koa$|koa-router$|@koa\/|@hapi\/|hono$|hono\/|@hono\/|restify$|bull$|bullmq$|kafkajs$|amqplib$|amqp-connection-manager$|next\/server$|@trpc\/server|@apollo\/server|apollo-server|graphql-yoga$|type-graphql$|moleculer$|@temporalio\/(worker|activity)$|firebase-functions|@google-cloud\/functions-framework$)/;
/** A `server/` or `backend/` folder: full-stack repositories keep their server code there. */
const SERVER_FOLDER = /\/(server|backend)\//;
const SERVER_PACKAGES = ['@nestjs/core', 'express', 'fastify', 'koa', '@hapi/hapi', 'hono', 'restify', 'bullmq', 'bull', '@apollo/server', 'apollo-server-express', 'kafkajs', 'moleculer', 'firebase-functions', '@temporalio/worker'];

/**
 * Browser code: imports a UI framework, is a Next.js client component, or touches `window` /
 * `document` at module level. Circuit breakers belong to the server side.
 */
export function isFrontEndFile(file: ParsedFile): boolean {
  const ast = file.ast;
  if (!ast) return false;
  if (hasDirective(file, 'use client')) return true;
  for (const [, binding] of file.imports.entries()) if (FRONT_END_MODULES.test(binding.module)) return true;
  for (const statement of ast.statements) {
    // Declarations' bodies run later (maybe on a server with a shim); top-level statements run at load.
    if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) continue;
    if (/\b(window|document)\s*\./.test(statement.getText(ast))) return true;
  }
  return false;
}

/**
 * Code that runs in a browser, judged from the strongest evidence down: the file itself (UI
 * imports, `'use client'`, module-level DOM), then server imports or a server entry path, then its
 * package (UI framework and no server framework), then a `server/` or `backend/` folder, then a
 * tsconfig that compiles JSX (a UI project, even in a monorepo with one package.json).
 */
export function isBrowserCode(file: ParsedFile, project: ProjectView): boolean {
  if (isFrontEndFile(file)) return true;
  for (const [, binding] of file.imports.entries()) if (SERVER_MODULES.test(binding.module)) return false;
  if (isServerEntryPath(file)) return false;
  const dependencies = project.dependenciesOf(file.filePath);
  const uiPackage = FRONT_END_PACKAGES.some((name) => dependencies.has(name));
  if (uiPackage && !SERVER_PACKAGES.some((name) => dependencies.has(name))) return true;
  if (inServerFolder(file, project)) return false;
  const jsx = project.compilerOptionsOf(file.filePath).jsx;
  return jsx !== undefined && jsx !== ts.JsxEmit.None;
}

/**
 * Positive evidence that a file runs in a server process: it imports a server framework or a
 * worker library, it is a Next.js route handler or server action, or its package depends on a
 * server framework and on no UI framework. A CLI, a build tool or a browser bundle shows none of
 * these, and the breaker advice is not for them.
 */
export function isServerSideFile(file: ParsedFile, project: ProjectView): boolean {
  if (isBrowserCode(file, project)) return false;
  for (const [, binding] of file.imports.entries()) if (SERVER_MODULES.test(binding.module)) return true;
  if (isServerEntryPath(file)) return true;
  const dependencies = project.dependenciesOf(file.filePath);
  if (FRONT_END_PACKAGES.some((name) => dependencies.has(name))) return false;
  return SERVER_PACKAGES.some((name) => dependencies.has(name));
}

/** Judged on the path inside the workspace: the folders above the workspace say nothing about it. */
function inServerFolder(file: ParsedFile, project: ProjectView): boolean {
  const relative = path.relative(project.root, file.filePath).replace(/\\/g, '/');
  return SERVER_FOLDER.test(`/${relative}`);
}

/** Next.js API routes, route handlers and server actions. */
function isServerEntryPath(file: ParsedFile): boolean {
  const normalized = file.filePath.replace(/\\/g, '/');
  return /\/pages\/api\/|\/app\/(.+\/)?route\.[cm]?[jt]s$/.test(normalized) || hasDirective(file, 'use server');
}

function hasDirective(file: ParsedFile, directive: string): boolean {
  const first = file.ast?.statements[0];
  return !!first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === directive;
}
