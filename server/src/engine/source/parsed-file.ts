import { ts } from 'ts-morph';
import { LineMap } from '../text/line-map';
import type { FileLanguage } from './file-language';
import { ImportTable } from './import-table';

/**
 * One file as the rules see it. TypeScript and JavaScript files carry a raw compiler AST
 * (parent pointers set): rules walk it directly, because ts-morph's wrapped nodes are about
 * thirty times slower to traverse (see ARCHITECTURE.md, "Why raw AST").
 */
export class ParsedFile {
  readonly lineMap: LineMap;
  private importTable: ImportTable | undefined;

  private constructor(
    readonly filePath: string,
    readonly text: string,
    readonly language: FileLanguage,
    readonly ast: ts.SourceFile | undefined,
  ) {
    this.lineMap = new LineMap(text);
  }

  static parse(filePath: string, text: string, language: FileLanguage): ParsedFile {
    const ast = language === 'sql' || language === 'prisma' ? undefined : ts.createSourceFile(filePath, text, ts.ScriptTarget.Latest, true, scriptKindOf(filePath));
    return new ParsedFile(filePath, text, language, ast);
  }

  /** The file's imports and requires, keyed by the local name they bind. */
  get imports(): ImportTable {
    this.importTable ??= this.ast ? ImportTable.of(this.ast) : ImportTable.empty();
    return this.importTable;
  }

  /** Syntax errors the TypeScript parser reported; the rules still run on the recovered tree. */
  get syntaxErrorCount(): number {
    const diagnostics = (this.ast as unknown as { parseDiagnostics?: unknown[] } | undefined)?.parseDiagnostics;
    return diagnostics?.length ?? 0;
  }
}

function scriptKindOf(filePath: string): ts.ScriptKind {
  if (filePath.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (filePath.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/.test(filePath)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}
