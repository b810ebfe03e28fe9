/** What a scaffold writes, relative to the project folder, with forward slashes. */
export interface ScaffoldFile {
  path: string;
  content: string;
}

/** A class to add to an `@Module({ … })` array of an existing module file. */
export interface ModuleRegistration {
  moduleFile: string;
  array: 'imports' | 'providers';
  className: string;
  /** The file that declares the class, relative to the project folder. */
  classFile: string;
}

export interface ScaffoldPlan {
  title: string;
  files: ScaffoldFile[];
  registrations: ModuleRegistration[];
  /** Files to open once written; the first gets the focus. */
  open: string[];
  /** npm packages the generated code imports that the project does not declare. */
  missingDependencies: string[];
}

/** What the scaffolds need to know about the project, read by the command layer (or a test). */
export interface ProjectLayout {
  /** 'src' when the project keeps its code there, else ''. */
  sourceDir: string;
  /** The root NestJS module (e.g. src/app.module.ts), when there is one. */
  rootModule?: string;
  /** Every *.module.ts file, relative. */
  modules: string[];
  dependencies: ReadonlySet<string>;
  /** e.g. 'migrations' or 'src/migrations', when one exists. */
  migrationsDir?: string;
}

/** The minimal reads layout detection needs, so it runs on vscode.workspace.fs or node:fs alike. */
export interface ProjectReader {
  readText(relativePath: string): Promise<string | undefined>;
  exists(relativePath: string): Promise<boolean>;
  /** Relative paths of files matching the glob, excluding node_modules. */
  find(glob: string): Promise<string[]>;
}
