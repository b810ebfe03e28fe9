import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The packages a monorepo holds (`packages/db/package.json` named `@acme/db`), so an import of
 * `@acme/db` or `@acme/db/client` is followed into the project's own source like a relative one.
 * Without this, the database client a service imports from a sibling package is unknown, and
 * every rule that identifies a library by its handle goes quiet in monorepos.
 */
export class WorkspacePackages {
  private byName: Map<string, string> | undefined;

  constructor(
    private readonly root: string,
    private readonly listFiles: () => Iterable<string>,
  ) {}

  forget(): void {
    this.byName = undefined;
  }

  /**
   * The file a bare specifier names inside a workspace package, as a path to resolve like a
   * relative import (without extension when the manifest gives none), or undefined.
   */
  target(specifier: string): string | undefined {
    if (specifier.startsWith('.') || path.isAbsolute(specifier)) return undefined;
    const parts = specifier.split('/');
    const nameLength = specifier.startsWith('@') ? 2 : 1;
    const name = parts.slice(0, nameLength).join('/');
    const folder = this.packages().get(name);
    if (!folder) return undefined;
    const subpath = parts.slice(nameLength).join('/');
    if (subpath) return path.join(folder, subpath);
    return path.join(folder, entryOf(folder));
  }

  private packages(): Map<string, string> {
    if (this.byName) return this.byName;
    const byName = new Map<string, string>();
    const seen = new Set<string>();
    for (const file of this.listFiles()) {
      // The package a file belongs to is the nearest folder with a package.json above it.
      for (let dir = path.dirname(file); !seen.has(dir) && isWithin(dir, this.root); dir = path.dirname(dir)) {
        seen.add(dir);
        const name = packageName(dir);
        if (name && !byName.has(name)) byName.set(name, dir);
      }
    }
    this.byName = byName;
    return byName;
  }
}

function isWithin(dir: string, root: string): boolean {
  const relative = path.relative(root, dir);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function readManifest(dir: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function packageName(dir: string): string | undefined {
  if (dir.includes(`${path.sep}node_modules`)) return undefined;
  const name = readManifest(dir)?.name;
  return typeof name === 'string' && name.length > 0 ? name : undefined;
}

/** The source entry of a package: `types`/`main`/`exports['.']` when they point at source, else `src/index` or `index`. */
function entryOf(dir: string): string {
  const manifest = readManifest(dir) ?? {};
  const exportsField = manifest.exports;
  const dot = exportsField && typeof exportsField === 'object' ? (exportsField as Record<string, unknown>)['.'] : exportsField;
  const fromExports = typeof dot === 'string' ? dot : dot && typeof dot === 'object' ? firstString(dot as Record<string, unknown>, ['types', 'import', 'default', 'require']) : undefined;
  for (const candidate of [manifest.types, manifest.typings, fromExports, manifest.main]) {
    if (typeof candidate !== 'string') continue;
    const source = candidate.replace(/^\.\//, '');
    // A built entry (`dist/index.js`) is not in the project: its source usually is `src/index`.
    if (/\.(d\.ts|js|cjs|mjs)$/.test(source) || /^(dist|build|lib)\//.test(source)) continue;
    return source.replace(/\.(ts|tsx|mts|cts)$/, '');
  }
  return fs.existsSync(path.join(dir, 'src')) ? 'src/index' : 'index';
}

function firstString(object: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = object[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}
