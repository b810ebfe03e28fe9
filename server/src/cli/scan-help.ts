/** Shown after `scan --help`: the decisions a CI author needs to know. */
export const SCAN_HELP_NOTES = `
Scan root:
  --root when given; otherwise the current directory when every path is inside it, else the
  deepest folder that holds all the paths. .backend-advisor.json is read from the root,
  include/exclude globs are relative to it, and reports show paths relative to it (SARIF uses
  uriBaseId %SRCROOT%). .gitignore files, node_modules and build output are never scanned.

Configuration:
  .backend-advisor.json at the root (or --config FILE), then --rule flags, which win.
  Unknown settings, rule ids and rule options are warnings on stderr and are ignored.
  A configuration file that is missing (with --config), not valid JSON or not an object, or
  that sets a known key to an invalid value, is a configuration error (exit code 2).

Exit codes:
  0  nothing at or above --fail-on (default: error); --fail-on never always gives 0
  1  at least one finding at or above --fail-on
  2  usage or configuration error: unknown option or value, a path that does not exist,
     a broken or invalid configuration file, an unwritable --output

Formats:
  stylish  findings grouped by file (line:col  severity  message  rule-id) and a summary line;
           colours only on a terminal and when NO_COLOR is unset
  json     { reportVersion: 1, tool, root, summary, files: [{ filePath, findings: [{ ruleId,
           severity, line, column, endLine, endColumn, message, docsUrl, related, fixes }],
           skipped?, ruleFailures? }] }; positions 1-based, end exclusive, UTF-16 columns
  sarif    SARIF 2.1.0 with rules, fixes, related locations and partialFingerprints

Planner check (--verify):
  index findings are explained on an embedded Postgres (PGlite, no server, no network) holding
  the schema the scan read: the plan now and with the proposed index, with enable_seqscan and
  enable_sort off and parameters kept as parameters. stylish prints a "planner:" line under the
  finding; json adds findings[].planner and sarif results[].properties.planner.

Skipped files (binary, minified, too large) and rule failures are listed on stderr.
With --output, the report goes to the file and stdout gets the summary line.
`;
