import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Where PGlite's WebAssembly, its file-system image and the contrib extensions we load are. The
 * bundles (dist/server.js, dist/cli.js, dist/planner-worker.js) find them in dist/pglite/, where
 * scripts/build.mjs copies them; from source they are in the installed package.
 */
export const PGLITE_ASSETS = ['pglite.wasm', 'pglite.data', 'initdb.wasm', 'pg_trgm.tar.gz'] as const;

export function pgliteAssetDir(): string | undefined {
  const candidates = [path.join(__dirname, 'pglite')];
  try {
    candidates.push(path.dirname(require.resolve('@electric-sql/pglite')));
  } catch {
    // Not installed next to us: the packaged extension, which has dist/pglite/.
  }
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'pglite.wasm')));
}

/**
 * Starts an in-memory PGlite from the files in `dir`, handing it the compiled modules and the
 * file-system image itself, so it never resolves them relative to its own (bundled) script.
 */
export async function createPglite(dir: string): Promise<PGlite> {
  // `require`, not `import()`: the bundler then takes PGlite's CommonJS build, which finds its
  // own files from `__filename`; the ESM build reads `import.meta.url`, which a CommonJS bundle lacks.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
  const read = (name: string): Promise<Buffer> => fs.promises.readFile(path.join(dir, name));
  const [wasm, initdb, data] = await Promise.all([read('pglite.wasm'), read('initdb.wasm'), read('pglite.data')]);
  // The server's lib has no DOM types; WebAssembly is a Node global all the same.
  const wasmApi = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<never> } }).WebAssembly;
  const [pgliteWasmModule, initdbWasmModule] = await Promise.all([wasmApi.compile(wasm), wasmApi.compile(initdb)]);
  const trgm = path.join(dir, 'pg_trgm.tar.gz');
  return PGlite.create({
    pgliteWasmModule,
    initdbWasmModule,
    fsBundle: new Blob([data]),
    ...(fs.existsSync(trgm) ? { extensions: { pg_trgm: pathToFileURL(trgm) } } : {}),
  });
}
