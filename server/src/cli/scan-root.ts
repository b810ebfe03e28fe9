import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from './exit-codes';

/**
 * The folder the scan is relative to: where `.backend-advisor.json` is looked for, what
 * include/exclude globs and report paths are relative to. `--root` when given; otherwise the
 * current directory when every path is inside it, else the deepest folder holding all paths.
 */
export function scanRoot(cwd: string, absolutePaths: readonly string[], explicitRoot: string | undefined): string {
  if (explicitRoot !== undefined) {
    const root = path.resolve(cwd, explicitRoot);
    if (!isDirectory(root)) throw new UsageError(`--root ${explicitRoot}: no such folder (looked at ${root}).`);
    return root;
  }
  if (absolutePaths.every((p) => isInside(cwd, p))) return cwd;
  return commonAncestor(absolutePaths.map((p) => (isDirectory(p) ? p : path.dirname(p))));
}

/** Resolves the paths to scan against cwd; a missing one is a usage error naming it. */
export function resolveScanPaths(cwd: string, paths: readonly string[]): string[] {
  return paths.map((p) => {
    const absolute = path.resolve(cwd, p);
    if (!fs.existsSync(absolute)) throw new UsageError(`${p}: no such file or folder (looked at ${absolute}). Check the path passed to "scan".`);
    return absolute;
  });
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function commonAncestor(directories: readonly string[]): string {
  let common = directories[0] ?? path.parse(process.cwd()).root;
  for (const directory of directories.slice(1)) {
    while (!isInside(common, directory)) {
      const parent = path.dirname(common);
      if (parent === common) break;
      common = parent;
    }
  }
  return common;
}
