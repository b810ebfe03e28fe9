import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'backend-advisor';
let cached: string | undefined;

/**
 * The version in the product's package.json. Looked up from this file's folder upwards, which
 * finds it both from dist/cli.js and from the sources under tsx.
 */
export function toolVersion(): string {
  if (cached) return cached;
  let directory = __dirname;
  for (;;) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === PACKAGE_NAME && typeof manifest.version === 'string') return (cached = manifest.version);
    } catch {
      // No readable package.json here; keep climbing.
    }
    const parent = path.dirname(directory);
    if (parent === directory) return (cached = '0.0.0');
    directory = parent;
  }
}

export const TOOL_NAME = 'Backend Advisor';
export const TOOL_INFORMATION_URI = 'https://github.com/backend-advisor/backend-advisor';
