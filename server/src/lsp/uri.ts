import { URI } from 'vscode-uri';

/** The file path of a `file:` URI; other schemes (untitled, git, vscode-notebook) are not analysed. */
export function filePathOf(uri: string): string | undefined {
  try {
    const parsed = URI.parse(uri);
    return parsed.scheme === 'file' ? parsed.fsPath : undefined;
  } catch {
    return undefined;
  }
}

export function uriOf(filePath: string): string {
  return URI.file(filePath).toString();
}
