import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MigrationFacts } from '../../../engine/schema/migration-sources';
import type { FactExtractor, ProjectView } from '../../../engine/workspace/project-view';
import { nextTimestamp } from './migration-clock';
import { perRevision } from './project-cache';

/** A folder of JavaScript / TypeScript migration modules (Knex, Sequelize) and how its files are written. */
export interface JsMigrationFolder {
  dir: string;
  /** `.js`, `.ts`, `.cjs`, `.mjs`: the extension most of its files have. */
  extension: string;
  /** `export async function up` / `export default { … }` rather than `exports.up` / `module.exports`. */
  esm: boolean;
  /** Between the timestamp and the name: Knex writes `_`, sequelize-cli `-`. */
  separator: string;
  /** Existing timestamp prefixes, and their digit count. */
  prefixes: string[];
  width: number;
  indent: string;
  quote: string;
  semicolons: boolean;
  /** The newest migration's text, for the writer's own questions (how it imports its types). */
  sample: string;
  /** Whether any migration opts out of the runner's transaction (Knex's `config = { transaction: false }`). */
  nonTransactional: boolean;
  count: number;
}

const FILE = /^(\d{8,17})([_-])(.+)\.([cm]?[jt]s)$/;

/**
 * The folders holding the migrations `extractor` reads (only files it found schema changes in
 * vote), the fullest first. File names on disk count too: a data migration still takes a timestamp.
 */
export function jsMigrationFolders(extractor: FactExtractor<MigrationFacts>): (project: ProjectView) => JsMigrationFolder[] {
  return perRevision((project: ProjectView): JsMigrationFolder[] => {
    const byDir = new Map<string, string[]>();
    for (const { filePath, facts } of project.allFacts(extractor)) {
      if (facts.ops.length === 0 || !FILE.test(path.basename(filePath))) continue;
      const dir = path.dirname(filePath);
      byDir.set(dir, [...(byDir.get(dir) ?? []), filePath]);
    }
    const folders: JsMigrationFolder[] = [];
    for (const [dir, files] of byDir) {
      let names: string[] = [];
      try {
        names = fs.readdirSync(dir);
      } catch {
        // not on disk yet: the project's files only
      }
      const all = [...new Set([...names, ...files.map((f) => path.basename(f))])].map((name) => FILE.exec(name)).filter((m): m is RegExpExecArray => m !== null);
      const vote = (values: string[]): string => [...values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
      const texts = [...files].sort().map((f) => project.file(f)?.text ?? '');
      const sample = texts[texts.length - 1] ?? '';
      const prefixes = all.map((m) => m[1]!);
      folders.push({
        dir,
        extension: `.${vote(files.map((f) => FILE.exec(path.basename(f))![4]!))}`,
        esm: /^\s*export\s+(?:default\b|(?:async\s+)?function\s+up\b|const\s+up\b)/m.test(sample),
        separator: vote(all.map((m) => m[2]!)),
        prefixes,
        width: Number(vote(prefixes.map((p) => String(p.length)))),
        indent: /\n([ \t]+)\S/.exec(sample)?.[1] ?? '  ',
        quote: (sample.match(/"/g)?.length ?? 0) > (sample.match(/'/g)?.length ?? 0) ? '"' : "'",
        semicolons: !/\S\n/.test(sample) || /;\s*\n/.test(sample),
        sample,
        nonTransactional: texts.some((text) => /\btransaction\s*:\s*false\b/.test(text)),
        count: files.length,
      });
    }
    return folders.sort((a, b) => b.count - a.count || a.dir.localeCompare(b.dir));
  });
}

/** `<timestamp><separator><name><extension>` in the folder, the name hyphenated where the folder hyphenates. */
export function jsMigrationPath(folder: JsMigrationFolder, slug: string, now: Date): { filePath: string; label: string } {
  const prefix = nextTimestamp(now, folder.width, folder.prefixes);
  const name = folder.separator === '-' ? slug.replace(/_/g, '-') : slug;
  const label = `${prefix}${folder.separator}${name}`;
  return { filePath: path.join(folder.dir, `${label}${folder.extension}`), label };
}

/** A JS string literal in the folder's quote. */
export function jsString(text: string, quote: string): string {
  return `${quote}${text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').split(quote).join(`\\${quote}`)}${quote}`;
}

/** Whether the folder's modules are TypeScript. */
export function isTypeScript(folder: JsMigrationFolder): boolean {
  return /ts$/.test(folder.extension);
}

/** A `/** … *\/` comment body that cannot close early. */
export function commentText(text: string): string {
  return text.replace(/\*\//g, '* /');
}
