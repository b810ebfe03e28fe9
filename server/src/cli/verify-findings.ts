import type { AnalysisEngine } from '../engine/analysis-engine';
import type { Finding } from '../engine/model/finding';
import { catalogDdl } from '../engine/planner/catalog-ddl';
import { PlannerSession } from '../engine/planner/planner-session';
import { verifyDataOf, type PlannerVerdict, type VerifyData } from '../engine/planner/planner-types';
import { loadSchemaCatalog } from '../engine/schema/schema-catalog';
import type { CliIo } from './cli-io';
import type { FileResult } from './scan-report';

export interface Verification {
  data: VerifyData;
  verdict: PlannerVerdict;
}

/**
 * `scan --verify`: every finding that carries a planner check (the index rules' `data.verify`) is
 * explained on an embedded Postgres holding the scanned schema, now and with the proposed index.
 * PGlite is only loaded here, and only when some finding asks for it.
 */
export async function verifyFindings(files: readonly FileResult[], engine: AnalysisEngine, io: CliIo): Promise<Map<Finding, Verification>> {
  const results = new Map<Finding, Verification>();
  const wanted = files.flatMap((file) => file.findings).flatMap((finding) => {
    const data = verifyDataOf(finding.data);
    return data ? [{ finding, data }] : [];
  });
  if (wanted.length === 0) return results;
  const ddl = catalogDdl(await loadSchemaCatalog(engine.index)).statements;
  const session = new PlannerSession();
  const started = Date.now();
  try {
    for (const [i, { finding, data }] of wanted.entries()) {
      let verdict: PlannerVerdict;
      try {
        verdict = await session.verify({ ddl, querySql: data.querySql, createIndexSql: data.createIndexSql, proposedIndexName: data.indexName }, (event) => {
          if (event.stage === 'loading') io.stderr.write(`${event.message}…\n`);
        });
      } catch (error) {
        verdict = { errors: [`the planner check failed: ${error instanceof Error ? error.message : String(error)}`] };
      }
      results.set(finding, { data, verdict });
      if (i === 0 && verdict.errors.some((error) => error.startsWith('skipped'))) {
        io.stderr.write(`note: the planner skipped ${verdict.errors.filter((error) => error.startsWith('skipped')).length} schema statement(s) it could not run; plans of those tables may differ from production.\n`);
      }
    }
  } finally {
    await session.dispose();
  }
  io.stderr.write(`verified ${wanted.length} finding${wanted.length === 1 ? '' : 's'} on the Postgres planner in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return results;
}
