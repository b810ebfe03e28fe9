import { readFileSync } from 'node:fs';

/**
 * Polls /proc/<pid>/status for VmHWM (the kernel's peak resident set) while a child runs.
 * VmHWM only grows, so the last successful read is the peak up to a poll interval before exit.
 */
export function watchPeakRss(pid, intervalMs = 20) {
  let peakKb = 0;
  const read = () => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // The process has exited; keep the last reading.
    }
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    sample: read,
    stop() {
      read();
      clearInterval(timer);
      return peakKb / 1024;
    },
  };
}
