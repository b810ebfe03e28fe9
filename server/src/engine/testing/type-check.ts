import * as path from 'node:path';
import ts from 'typescript';

export interface TypeDiagnostic {
  filePath: string;
  line: number;
  message: string;
}

/** Compiler options the rule fixtures are written for: a strict NestJS/Node service. */
export const FIXTURE_COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
  skipLibCheck: true,
  esModuleInterop: true,
  noEmit: true,
};

// Library and package declarations do not change between checks; parsing them once keeps each
// program cheap.
const sharedSourceFiles = new Map<string, ts.SourceFile>();

/**
 * Type-checks many virtual files in one program. Paths must lie inside the repository so their
 * imports resolve against the real packages in node_modules; files not given are read from disk.
 */
export function typeCheck(files: ReadonlyMap<string, string>, options: ts.CompilerOptions = FIXTURE_COMPILER_OPTIONS): TypeDiagnostic[] {
  const virtual = new Map([...files].map(([filePath, text]) => [path.resolve(filePath), text]));
  const host = ts.createCompilerHost(options, true);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (fileName) => virtual.get(path.resolve(fileName)) ?? readFile(fileName);
  host.fileExists = (fileName) => virtual.has(path.resolve(fileName)) || fileExists(fileName);
  host.getSourceFile = (fileName, languageVersion) => {
    const resolved = path.resolve(fileName);
    const text = virtual.get(resolved);
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
    const cached = sharedSourceFiles.get(resolved);
    if (cached) return cached;
    const diskText = readFile(fileName);
    if (diskText === undefined) return undefined;
    const sourceFile = ts.createSourceFile(fileName, diskText, languageVersion, true);
    sharedSourceFiles.set(resolved, sourceFile);
    return sourceFile;
  };
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const filePath of virtual.keys()) {
    const sourceFile = program.getSourceFile(filePath);
    if (sourceFile) diagnostics.push(...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile));
  }
  return diagnostics.map((diagnostic) => ({
    filePath: diagnostic.file?.fileName ?? '(options)',
    line: diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line : -1,
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
  }));
}

/** Diagnostics rendered one per line, for assertion messages. */
export function formatDiagnostics(diagnostics: readonly TypeDiagnostic[], root: string): string {
  return diagnostics.map((d) => `${path.relative(root, d.filePath)}:${d.line + 1}: ${d.message}`).join('\n');
}
