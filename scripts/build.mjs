// Bundles the extension client, the language server and the CLI with esbuild.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/lsp/server-main.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/cli-main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // The planner check's worker: PGlite's JavaScript lives only here, loaded when a check is asked for.
  esbuild.build({ ...common, entryPoints: ['server/src/engine/planner/planner-worker.ts'], outfile: 'dist/planner-worker.js' }),
]);
chmodSync('dist/cli.js', 0o755);

// WebAssembly and data files the bundles read at run time, next to them (see ARCHITECTURE.md,
// "Bundling"): libpg-query's Emscripten loader looks for its .wasm in the bundle's own folder;
// the planner hands PGlite's files to it from dist/pglite/ (engine/planner/pglite-assets.ts).
const require = createRequire(import.meta.url);
copyFileSync(path.join(path.dirname(require.resolve('libpg-query')), 'libpg-query.wasm'), 'dist/libpg-query.wasm');
const pglite = path.dirname(require.resolve('@electric-sql/pglite'));
mkdirSync('dist/pglite', { recursive: true });
for (const file of ['pglite.wasm', 'pglite.data', 'initdb.wasm', 'pg_trgm.tar.gz']) copyFileSync(path.join(pglite, file), path.join('dist/pglite', file));
