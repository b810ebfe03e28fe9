import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Dependencies declared by the package.json nearest to a file, so a monorepo package gets its
 * own answer. Cached per folder; `forget` drops a folder's entry when its package.json changes.
 */
export class PackageManifests {
  private readonly byDirectory = new Map<string, ReadonlySet<string>>();

  constructor(private readonly stopAt: string) {}

  dependenciesOf(filePath: string): ReadonlySet<string> {
    return this.lookup(path.dirname(filePath));
  }

  forget(): void {
    this.byDirectory.clear();
  }

  private lookup(directory: string): ReadonlySet<string> {
    const cached = this.byDirectory.get(directory);
    if (cached) return cached;
    let result: ReadonlySet<string>;
    const manifest = path.join(directory, 'package.json');
    if (fs.existsSync(manifest)) result = readDependencies(manifest);
    else {
      const parent = path.dirname(directory);
      const stop = parent === directory || !isInside(parent, path.dirname(this.stopAt));
      result = stop ? new Set() : this.lookup(parent);
    }
    this.byDirectory.set(directory, result);
    return result;
  }
}

function readDependencies(manifest: string): ReadonlySet<string> {
  try {
    const json = JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, unknown>;
    const names = new Set<string>();
    for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const block = json[key];
      if (block && typeof block === 'object') for (const name of Object.keys(block)) names.add(name);
    }
    return names;
  } catch {
    return new Set();
  }
}

function isInside(candidate: string, root: string): boolean {
  const relative = path.relative(root, candidate);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}
