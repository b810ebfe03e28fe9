/**
 * Decides whether a text is worth parsing. Binaries, bundles and huge generated files would
 * cost seconds and memory for findings nobody can act on, so they are skipped with a reason.
 */
export interface InputLimits {
  /** Files larger than this many bytes are skipped. */
  maxFileBytes: number;
  /** A file with a line longer than this is taken for minified output. */
  maxLineLength: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { maxFileBytes: 1_000_000, maxLineLength: 5_000 };

export function skipReason(text: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): string | undefined {
  const probe = text.length > 8192 ? text.slice(0, 8192) : text;
  if (probe.includes('\u0000')) return 'it looks like a binary file (it contains NUL bytes)';
  if (text.length > limits.maxFileBytes) {
    return `it is ${formatSize(text.length)}, over the ${formatSize(limits.maxFileBytes)} limit for analysed files (setting maxFileSize)`;
  }
  let lineStart = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text.charCodeAt(i) === 10) {
      if (i - lineStart > limits.maxLineLength) {
        return `it looks minified or generated (a line of ${i - lineStart} characters); Backend Advisor analyses source, not bundles`;
      }
      lineStart = i + 1;
    }
  }
  return undefined;
}

function formatSize(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.round(bytes / 1000)} kB`;
}
