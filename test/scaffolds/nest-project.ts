import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import type { ProjectReader } from '../../client/src/scaffolds/model';

export const repo = path.resolve(__dirname, '../..');

/** The compiler options `nest new` writes, made strict. */
export const NEST_COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  target: ts.ScriptTarget.ES2021,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
  declaration: true,
  emitDecoratorMetadata: true,
  experimentalDecorators: true,
  allowSyntheticDefaultImports: true,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
};

/** A temporary NestJS project whose node_modules is the repository's (the real @nestjs/* packages). */
export function tempNestProject(dependencies: string[], files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-scaffold-'));
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const all: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'app', private: true, dependencies: Object.fromEntries(dependencies.map((name) => [name, '*'])) }, null, 2),
    'src/app.module.ts': `import { Module } from '@nestjs/common';\n\n@Module({\n  imports: [],\n  controllers: [],\n  providers: [],\n})\nexport class AppModule {}\n`,
    ...files,
  };
  for (const [file, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** Every .ts file of the project except node_modules, relative. */
export function projectFiles(root: string, directory = root, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) projectFiles(root, full, found);
    else found.push(path.relative(root, full).split(path.sep).join('/'));
  }
  return found.sort();
}

export function diskReader(root: string): ProjectReader {
  return {
    readText: async (file) => (fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), 'utf8') : undefined),
    exists: async (file) => fs.existsSync(path.join(root, file)),
    find: async (glob) => {
      const suffix = glob.replace('**/*', '');
      return projectFiles(root).filter((file) => file.endsWith(suffix));
    },
  };
}
