import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A throwaway folder with the given files (path -> text or bytes); removed by `dispose`. */
export interface TempWorkspace {
  root: string;
  path(relative: string): string;
  write(relative: string, content: string | Uint8Array): void;
  dispose(): void;
}

export function tempWorkspace(files: Record<string, string | Uint8Array> = {}): TempWorkspace {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ba-cli-')));
  const workspace: TempWorkspace = {
    root,
    path: (relative) => path.join(root, relative),
    write(relative, content) {
      const full = path.join(root, relative);
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, content);
    },
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
  for (const [relative, content] of Object.entries(files)) workspace.write(relative, content);
  return workspace;
}
