import { parentPort } from 'node:worker_threads';
import { PlannerDatabase } from './planner-database';
import type { PlannerProgress, PlannerRequest, PlannerVerdict } from './planner-types';
import { createPglite, pgliteAssetDir } from './pglite-assets';

/**
 * The planner worker: one embedded Postgres, started on the first request, answering requests one
 * at a time. Its memory (several hundred MB of WebAssembly) goes back when the session ends the
 * worker after an idle spell. Bundled as dist/planner-worker.js.
 */
export type WorkerRequest = { id: number; request: PlannerRequest };
export type WorkerReply =
  | { id: number; kind: 'progress'; progress: PlannerProgress }
  | { id: number; kind: 'verdict'; verdict: PlannerVerdict }
  | { id: number; kind: 'failed'; message: string };

let database: Promise<PlannerDatabase> | undefined;
let queue: Promise<void> = Promise.resolve();

parentPort?.on('message', (message: WorkerRequest) => {
  queue = queue.then(() => answer(message));
});

async function answer({ id, request }: WorkerRequest): Promise<void> {
  const post = (reply: WorkerReply): void => parentPort!.postMessage(reply);
  const progress = (event: PlannerProgress): void => post({ id, kind: 'progress', progress: event });
  try {
    if (!database) {
      progress({ stage: 'loading', message: 'Starting the embedded Postgres (PGlite)' });
      const dir = pgliteAssetDir();
      if (!dir) throw new Error('the PGlite files (pglite.wasm, pglite.data) were not found next to the planner');
      database = PlannerDatabase.open(() => createPglite(dir));
      database.catch(() => (database = undefined));
    }
    const verdict = await (await database).verify(request, progress);
    post({ id, kind: 'verdict', verdict });
  } catch (error) {
    post({ id, kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}
