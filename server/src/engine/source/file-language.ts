import * as path from 'node:path';

/** `prisma` files are read for the schema catalog only: no rule analyses them. */
export type FileLanguage = 'typescript' | 'javascript' | 'sql' | 'prisma';

const BY_EXTENSION: Record<string, FileLanguage> = {
  '.ts': 'typescript',
  '.tsx': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.sql': 'sql',
  '.prisma': 'prisma',
};

/** The language the engine analyses a file as, or undefined for files it does not read. */
export function languageOf(filePath: string): FileLanguage | undefined {
  if (filePath.endsWith('.d.ts') || filePath.endsWith('.d.mts') || filePath.endsWith('.d.cts')) return undefined;
  return BY_EXTENSION[path.extname(filePath).toLowerCase()];
}

export const ANALYSED_EXTENSIONS = Object.keys(BY_EXTENSION);
