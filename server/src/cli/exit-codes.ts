/**
 * The CLI's exit codes, the contract CI pipelines rely on:
 * 0 nothing at or above `--fail-on`, 1 something is, 2 the scan could not be run as asked
 * (bad option, missing path, broken or invalid configuration).
 */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A problem with how the CLI was invoked or configured; reported on stderr, exit 2. */
export class UsageError extends Error {}
