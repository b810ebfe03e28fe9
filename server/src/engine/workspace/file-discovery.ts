import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { ALWAYS_EXCLUDED_DIRECTORIES } from '../config/settings-schema';
import { languageOf } from '../source/file-language';

export interface DiscoveryOptions {
  include: readonly string[];
  exclude: readonly string[];
}

/**
 * Decides which files of a workspace are analysed: known extensions, outside node_modules and
 * build output, not ignored by a .gitignore on the way down, and matching include / exclude.
 */
export class FileFilter {
  private readonly includeMatcher: ((p: string) => boolean) | undefined;
  private readonly excludeMatcher: (p: string) => boolean;

  constructor(
    readonly root: string,
    options: DiscoveryOptions,
  ) {
    this.includeMatcher = options.include.length > 0 ? picomatch([...options.include], { dot: true }) : undefined;
    this.excludeMatcher = options.exclude.length > 0 ? picomatch([...options.exclude], { dot: true }) : () => false;
  }

  /** Whether configuration and location allow analysing this file (ignoring .gitignore). */
  accepts(filePath: string): boolean {
    if (!languageOf(filePath)) return false;
    const relative = toPosix(path.relative(this.root, filePath));
    if (relative.startsWith('../') || path.isAbsolute(relative)) return true;
    if (relative.split('/').some((segment) => ALWAYS_EXCLUDED_DIRECTORIES.includes(segment))) return false;
    if (this.excludeMatcher(relative)) return false;
    return this.includeMatcher ? this.includeMatcher(relative) : true;
  }
}

/** Lists the analysable files under `target` (a folder or a single file). */
export function discoverFiles(target: string, filter: FileFilter): string[] {
  const found: string[] = [];
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return found;
  }
  if (stat.isFile()) {
    if (languageOf(target)) found.push(path.resolve(target));
    return found;
  }
  const directory = path.resolve(target);
  const scopes = ancestorScopes(filter.root, directory);
  // A folder named explicitly is scanned even if an ancestor's .gitignore excludes it: it was asked for.
  walk(directory, isIgnored(scopes, directory, true) ? [] : scopes, filter, found);
  return found.sort();
}

/**
 * The .gitignore files between the workspace root and a scanned sub-folder: `scan src` must skip
 * what the root's .gitignore excludes, as a scan of the whole root would.
 */
function ancestorScopes(root: string, directory: string): IgnoreScope[] {
  const relative = path.relative(root, directory);
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) return [];
  const scopes: IgnoreScope[] = [];
  let current = root;
  for (const segment of ['', ...relative.split(path.sep).slice(0, -1)]) {
    current = segment ? path.join(current, segment) : current;
    if (fs.existsSync(path.join(current, '.gitignore'))) scopes.push(readGitignore(current));
  }
  return scopes;
}

interface IgnoreScope {
  base: string;
  rules: Ignore;
}

function walk(directory: string, scopes: IgnoreScope[], filter: FileFilter, found: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch {
    return;
  }
  const gitignore = entries.find((entry) => entry.isFile() && entry.name === '.gitignore');
  const activeScopes = gitignore ? [...scopes, readGitignore(directory)] : scopes;
  for (const entry of entries) {
    const fullPath = path.join(directory, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      if (ALWAYS_EXCLUDED_DIRECTORIES.includes(entry.name)) continue;
      if (isIgnored(activeScopes, fullPath, true)) continue;
      walk(fullPath, activeScopes, filter, found);
    } else if (entry.isFile()) {
      if (!filter.accepts(fullPath)) continue;
      if (isIgnored(activeScopes, fullPath, false)) continue;
      found.push(fullPath);
    }
  }
}

function readGitignore(directory: string): IgnoreScope {
  const rules = ignore();
  try {
    rules.add(fs.readFileSync(path.join(directory, '.gitignore'), 'utf8'));
  } catch {
    // An unreadable .gitignore ignores nothing.
  }
  return { base: directory, rules };
}

function isIgnored(scopes: IgnoreScope[], fullPath: string, isDirectory: boolean): boolean {
  for (const scope of scopes) {
    const relative = toPosix(path.relative(scope.base, fullPath));
    if (!relative || relative.startsWith('..')) continue;
    if (scope.rules.ignores(isDirectory ? `${relative}/` : relative)) return true;
  }
  return false;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
