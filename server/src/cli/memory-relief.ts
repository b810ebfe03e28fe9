import * as v8 from 'node:v8';
import * as vm from 'node:vm';

const CHECK_EVERY_FILES = 25;
const HEAP_CEILING_BYTES = 128 * 1024 * 1024;

/**
 * Keeps a long scan's memory near what it actually uses. Each file's syntax tree becomes garbage
 * once analysed, and V8 lets that garbage pile up to several hundred MB before collecting it,
 * which CI runners with small memory limits feel. When the heap passes a ceiling, a full
 * collection runs; with a live set well below the ceiling this happens only a few times per
 * thousand files. Without access to the collector it does nothing.
 */
export class MemoryRelief {
  private readonly collect: (() => void) | undefined = obtainCollector();
  private sinceCheck = 0;

  fileDone(): void {
    if (!this.collect || ++this.sinceCheck < CHECK_EVERY_FILES) return;
    this.sinceCheck = 0;
    if (process.memoryUsage().heapUsed > HEAP_CEILING_BYTES) this.collect();
  }
}

function obtainCollector(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    // --expose-gc only affects contexts created after it is set, hence the fresh context.
    v8.setFlagsFromString('--expose-gc');
    const collector = vm.runInNewContext('gc') as unknown;
    return typeof collector === 'function' ? (collector as () => void) : undefined;
  } catch {
    return undefined;
  }
}
