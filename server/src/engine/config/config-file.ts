import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import type { ConfigLayer } from './resolve-config';

export const CONFIG_FILE_NAME = '.backend-advisor.json';

/**
 * Reads a configuration file. JSON with comments and trailing commas is accepted, as in
 * tsconfig.json. A file that cannot be read or parsed yields a problem naming the file and the
 * line, and no layer: the defaults stay in force.
 */
export function readConfigFile(filePath: string): { layer?: ConfigLayer; problem?: string } {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    return { problem: `Could not read ${filePath}: ${(error as Error).message}; using the defaults.` };
  }
  return parseConfigText(filePath, text);
}

export function parseConfigText(filePath: string, text: string): { layer?: ConfigLayer; problem?: string } {
  const parsed = ts.parseConfigFileTextToJson(filePath, text);
  if (parsed.error) {
    const message = ts.flattenDiagnosticMessageText(parsed.error.messageText, ' ');
    const where = parsed.error.file && parsed.error.start !== undefined ? parsed.error.file.getLineAndCharacterOfPosition(parsed.error.start) : undefined;
    const at = where ? ` at line ${where.line + 1}, column ${where.character + 1}` : '';
    return { problem: `${filePath} is not valid JSON${at}: ${message}. Using the defaults until it is fixed.` };
  }
  return { layer: { source: filePath, values: parsed.config } };
}

/** The configuration file at a workspace root, if there is one. */
export function findConfigFile(root: string): string | undefined {
  const candidate = path.join(root, CONFIG_FILE_NAME);
  return fs.existsSync(candidate) ? candidate : undefined;
}
