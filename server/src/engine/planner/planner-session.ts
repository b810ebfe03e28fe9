import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PlannerProgress, PlannerRequest, PlannerVerdict } from './planner-types';
import type { WorkerReply, WorkerRequest } from './planner-worker';

export interface PlannerSessionOptions {
  /** Milliseconds without a request after which the worker ends and its memory returns. */
  idleMs?: number;
  /** Milliseconds one request may take (the first includes starting Postgres) before the worker is ended. */
  requestTimeoutMs?: number;
  /** The worker script; found next to this module by default (dist/planner-worker.js, or the .ts source). */
  workerPath?: string;
}

interface Pending {
  resolve(verdict: PlannerVerdict): void;
  reject(error: Error): void;
  progress(event: PlannerProgress): void;
  timer: NodeJS.Timeout;
}

/**
 * The planner check from the main thread: starts the worker (and so PGlite) on the first request
 * only, caches verdicts by (schema DDL, query, proposal), and ends the worker when it has been
 * idle, so the memory of the embedded Postgres is not held by an editor that asked once.
 */
export class PlannerSession {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly cache = new Map<string, PlannerVerdict>();
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly idleMs: number;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: PlannerSessionOptions = {}) {
    this.idleMs = options.idleMs ?? 60_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
  }

  /** Whether the worker (and its Postgres) is alive now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  async verify(request: PlannerRequest, onProgress: (event: PlannerProgress) => void = () => {}): Promise<PlannerVerdict> {
    const key = createHash('sha1').update(JSON.stringify([request.ddl, request.querySql, request.createIndexSql ?? '', request.proposedIndexName ?? ''])).digest('hex');
    const cached = this.cache.get(key);
    if (cached) return cached;
    const verdict = await this.send(request, onProgress);
    this.cache.set(key, verdict);
    if (this.cache.size > 200) this.cache.delete(this.cache.keys().next().value!);
    return verdict;
  }

  /** Ends the worker now; a later request starts a new one. */
  async dispose(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error('the planner was stopped'));
      this.pending.delete(id);
    }
    if (worker) await worker.terminate();
  }

  private send(request: PlannerRequest, onProgress: (event: PlannerProgress) => void): Promise<PlannerVerdict> {
    clearTimeout(this.idleTimer);
    const worker = this.ensureWorker();
    worker.ref();
    const id = this.nextId++;
    return new Promise<PlannerVerdict>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the planner did not answer within ${Math.round(this.requestTimeoutMs / 1000)} s`));
        void this.dispose();
      }, this.requestTimeoutMs);
      this.pending.set(id, { resolve, reject, progress: onProgress, timer });
      worker.postMessage({ id, request } satisfies WorkerRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const script = this.options.workerPath ?? workerScript();
    // From source (tests), the worker needs the TypeScript loader the test runner was started with.
    const worker = script.endsWith('.ts') ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true }) : new Worker(script);
    worker.on('message', (reply: WorkerReply) => this.onReply(reply));
    const fail = (error: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const [id, pending] of this.pending) {
        clearTimeout(pending.timer);
        pending.reject(error);
        this.pending.delete(id);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the planner worker exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private onReply(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if (reply.kind === 'progress') {
      pending.progress(reply.progress);
      return;
    }
    clearTimeout(pending.timer);
    this.pending.delete(reply.id);
    if (reply.kind === 'verdict') pending.resolve(reply.verdict);
    else pending.reject(new Error(reply.message));
    if (this.pending.size === 0) this.scheduleIdleEnd();
  }

  private scheduleIdleEnd(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.dispose(), this.idleMs);
    // An idle planner never keeps a process (the CLI, a test) alive.
    this.idleTimer.unref();
    this.worker?.unref();
  }
}

function workerScript(): string {
  const bundled = path.join(__dirname, 'planner-worker.js');
  return fs.existsSync(bundled) ? bundled : path.join(__dirname, 'planner-worker.ts');
}
