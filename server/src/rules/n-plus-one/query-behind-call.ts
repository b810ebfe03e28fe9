import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { RelatedLocation } from '../../engine/model/finding';
import { enclosingClass } from '../../engine/ast/scope';
import type { ParsedFile } from '../../engine/source/parsed-file';
import type { ProjectView } from '../../engine/workspace/project-view';
import { callRefOf, functionSummaries, type CallRef, type QuerySite } from './function-summaries';

/** How deep a chain of project calls is followed (loop -> helper -> service -> query). */
export const MAX_CALL_DEPTH = 5;

export interface QueryBehind {
  filePath: string;
  site: QuerySite;
  /** Functions passed through, first the one called in the loop: `OrdersService.total`. */
  chain: string[];
}

/**
 * Where the query behind a helper call sits, for the message (`loyalty.service.ts:12`) and as a
 * related location naming the chain of calls that reaches it.
 */
export function locateQuery(behind: QueryBehind, from: ParsedFile, project: ProjectView): { where: string; related: RelatedLocation } | undefined {
  const target = project.file(behind.filePath);
  if (!target) return undefined;
  const line = target.lineMap.positionAt(behind.site.start).line;
  return {
    where: `${behind.filePath === from.filePath ? 'this file' : path.basename(behind.filePath)}:${line + 1}`,
    related: {
      filePath: behind.filePath,
      range: target.lineMap.rangeOf({ start: behind.site.start, end: behind.site.end }),
      message: `the query, reached through ${behind.chain.join(' → ')}`,
    },
  };
}

/**
 * The query a call of the project's own code runs on its main path, followed through
 * `this.method()`, injected `this.service.method()` and imported helpers, from cached per-file
 * summaries.
 */
export function queryBehindCall(call: ts.CallExpression, file: ParsedFile, project: ProjectView): QueryBehind | undefined {
  const ref = callRefOf(call, file);
  if (!ref) return undefined;
  const className = enclosingClass(call)?.name?.text;
  return follow(ref, file.filePath, className, project, 0, new Set());
}

function follow(ref: CallRef, fromFile: string, fromClass: string | undefined, project: ProjectView, depth: number, seen: Set<string>): QueryBehind | undefined {
  if (depth >= MAX_CALL_DEPTH) return undefined;
  const target = locate(ref, fromFile, fromClass, project);
  if (!target) return undefined;
  const id = `${target.filePath}#${target.key}`;
  if (seen.has(id)) return undefined;
  seen.add(id);
  const summary = target.summaries.functions[target.key];
  if (!summary) return undefined;
  if (summary.query) return { filePath: target.filePath, site: summary.query, chain: [target.key] };
  const ownerClass = target.key.includes('.') ? target.key.slice(0, target.key.indexOf('.')) : undefined;
  for (const next of summary.calls) {
    const found = follow(next, target.filePath, ownerClass, project, depth + 1, seen);
    if (found) return { ...found, chain: [target.key, ...found.chain] };
  }
  return undefined;
}

function locate(ref: CallRef, fromFile: string, fromClass: string | undefined, project: ProjectView) {
  if (ref.kind === 'this') return fromClass ? lookUp(fromFile, `${fromClass}.${ref.method}`, project, 0) : undefined;
  if (ref.kind === 'member') {
    const filePath = ref.typeModule ? project.resolveImport(fromFile, ref.typeModule) : fromFile;
    return filePath ? lookUp(filePath, `${ref.typeName}.${ref.method}`, project, 0) : undefined;
  }
  const filePath = ref.module ? project.resolveImport(fromFile, ref.module) : fromFile;
  return filePath ? lookUp(filePath, ref.name, project, 0) : undefined;
}

/** A summary by key in `filePath`, or in the files a barrel re-exports. */
function lookUp(filePath: string, key: string, project: ProjectView, depth: number): { filePath: string; key: string; summaries: NonNullable<ReturnType<typeof summariesOf>> } | undefined {
  const summaries = summariesOf(filePath, project);
  if (!summaries) return undefined;
  if (summaries.functions[key]) return { filePath, key, summaries };
  if (depth >= 2) return undefined;
  for (const specifier of summaries.reexports) {
    const next = project.resolveImport(filePath, specifier);
    const found = next && lookUp(next, key, project, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function summariesOf(filePath: string, project: ProjectView) {
  return project.factsOf(functionSummaries, filePath);
}
