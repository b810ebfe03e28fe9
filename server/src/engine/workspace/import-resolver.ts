import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { WorkspacePackages } from './workspace-packages';

/**
 * Resolves an import specifier to a file of the project, honouring tsconfig `paths` and
 * `baseUrl` when a tsconfig.json governs the importing file. Packages in node_modules resolve to
 * undefined: rules follow the project's own code, and must work before `npm install`.
 */
export class ImportResolver {
  private readonly optionsByDirectory = new Map<string, ts.CompilerOptions>();
  private readonly cache = new Map<string, string | undefined>();

  constructor(
    private readonly fileExists: (filePath: string) => boolean,
    /** Packages of a monorepo, followed into their source; none when not given. */
    private readonly workspacePackages?: WorkspacePackages,
  ) {}

  resolve(fromFile: string, specifier: string): string | undefined {
    const key = `${path.dirname(fromFile)}\u0000${specifier}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const resolved = this.compute(fromFile, specifier);
    this.cache.set(key, resolved);
    return resolved;
  }

  /** Called when files appear or disappear, or a tsconfig changes. */
  forget(): void {
    this.cache.clear();
    this.workspacePackages?.forget();
    this.optionsByDirectory.clear();
  }

  private compute(fromFile: string, specifier: string): string | undefined {
    const options = this.compilerOptionsFor(path.dirname(fromFile));
    const isRelative = specifier.startsWith('.') || path.isAbsolute(specifier);
    const viaPaths = isRelative || options.paths || options.baseUrl ? this.resolveWith(fromFile, specifier, options) : undefined;
    if (viaPaths || isRelative) return viaPaths;
    const inWorkspace = this.workspacePackages?.target(specifier);
    return inWorkspace ? this.resolveWith(fromFile, inWorkspace, {}) : undefined;
  }

  private resolveWith(fromFile: string, specifier: string, options: ts.CompilerOptions): string | undefined {
    const host: ts.ModuleResolutionHost = {
      fileExists: (f) => this.fileExists(f),
      readFile: (f) => ts.sys.readFile(f),
      directoryExists: (d) => ts.sys.directoryExists(d),
      realpath: (p) => p,
    };
    const result = ts.resolveModuleName(specifier, fromFile, { ...options, moduleResolution: ts.ModuleResolutionKind.Bundler, allowJs: true }, host);
    const resolved = result.resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport || resolved.resolvedFileName.includes('/node_modules/')) return undefined;
    if (resolved.resolvedFileName.endsWith('.d.ts')) return undefined;
    return path.resolve(resolved.resolvedFileName);
  }

  /** The compiler options of the tsconfig.json nearest to a folder ({} when there is none). */
  compilerOptionsFor(directory: string): ts.CompilerOptions {
    const cached = this.optionsByDirectory.get(directory);
    if (cached) return cached;
    let options: ts.CompilerOptions = {};
    const configPath = ts.findConfigFile(directory, ts.sys.fileExists, 'tsconfig.json');
    if (configPath && !configPath.includes('/node_modules/')) {
      try {
        const read = ts.readConfigFile(configPath, ts.sys.readFile);
        if (!read.error) {
          // Options only: listing the project's files here would walk the whole tree for nothing.
          const optionsOnlyHost: ts.ParseConfigHost = { ...ts.sys, readDirectory: () => [] };
          const parsed = ts.parseJsonConfigFileContent(read.config, optionsOnlyHost, path.dirname(configPath), undefined, configPath);
          options = parsed.options;
        }
      } catch {
        // A tsconfig we cannot read leaves relative imports working, which is most of them.
      }
    }
    this.optionsByDirectory.set(directory, options);
    return options;
  }
}
