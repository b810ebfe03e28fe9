import type { ProjectLayout, ProjectReader } from './model';

/** Reads src/, the NestJS modules, the dependencies and the migrations folder of a project. */
export async function detectLayout(reader: ProjectReader): Promise<ProjectLayout> {
  const manifest = await reader.readText('package.json');
  const dependencies = new Set<string>();
  if (manifest) {
    try {
      const parsed = JSON.parse(manifest) as Record<string, Record<string, string> | undefined>;
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) for (const name of Object.keys(parsed[field] ?? {})) dependencies.add(name);
    } catch {
      // A broken package.json: scaffold as if nothing were installed.
    }
  }
  const sourceDir = (await reader.exists('src')) ? 'src' : '';
  const modules = (await reader.find('**/*.module.ts')).filter((file) => !file.includes('node_modules/')).sort();
  const rootModule = modules.find((file) => file === `${sourceDir ? `${sourceDir}/` : ''}app.module.ts`) ?? modules.find((file) => file.endsWith('/app.module.ts') || file === 'app.module.ts');
  let migrationsDir: string | undefined;
  for (const candidate of ['migrations', 'src/migrations', 'db/migrations', 'src/database/migrations', 'database/migrations']) {
    if (await reader.exists(candidate)) {
      migrationsDir = candidate;
      break;
    }
  }
  return { sourceDir, rootModule, modules, dependencies, migrationsDir };
}

/** Which packages the generated code needs that the project does not declare. */
export function missing(layout: ProjectLayout, packages: readonly string[]): string[] {
  return packages.filter((name) => !layout.dependencies.has(name));
}
