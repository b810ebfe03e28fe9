import * as path from 'node:path';
import { AnalysisEngine } from '../engine/analysis-engine';
import type { AnyRule } from '../engine/model/rule';
import { DEFAULT_EDITOR_SETTINGS, type EditorSettings } from './settings';
import { uriOf } from './uri';

/** One analysis engine and the settings it runs with. */
export interface Folder {
  root: string;
  /** The URI settings are requested for (the folder, or the file for a stray file). */
  scopeUri: string;
  /** False for the engine of a file outside every workspace folder. */
  isWorkspaceFolder: boolean;
  engine: AnalysisEngine;
  editor: EditorSettings;
  /** Settles once the folder's settings are loaded; analyses wait for it. */
  ready: Promise<void>;
}

/**
 * One engine per workspace folder, so each folder's `.backend-advisor.json`, package.json and
 * tsconfig paths apply to its own files. A file outside every folder gets an engine rooted at
 * its directory (it sees only itself, so nothing is walked that the user did not open).
 */
export class WorkspaceFolders {
  private readonly folders = new Map<string, Folder>();
  private readonly strays = new Map<string, Folder>();

  constructor(
    private readonly rules: readonly AnyRule[],
    private readonly configure: (folder: Folder) => Promise<void>,
  ) {}

  add(root: string): Folder {
    const resolved = path.resolve(root);
    const existing = this.folders.get(resolved);
    if (existing) return existing;
    const folder = this.create(resolved, uriOf(resolved), true);
    this.folders.set(resolved, folder);
    // A stray engine for a file now inside this folder would shadow the folder's settings.
    for (const directory of [...this.strays.keys()]) if (contains(resolved, directory)) this.strays.delete(directory);
    return folder;
  }

  remove(root: string): Folder | undefined {
    const resolved = path.resolve(root);
    const folder = this.folders.get(resolved);
    this.folders.delete(resolved);
    return folder;
  }

  /** The folder whose engine analyses `filePath`: the innermost workspace folder containing it. */
  forFile(filePath: string): Folder {
    let best: Folder | undefined;
    for (const folder of this.folders.values()) {
      if (contains(folder.root, filePath) && (!best || folder.root.length > best.root.length)) best = folder;
    }
    if (best) return best;
    const directory = path.dirname(path.resolve(filePath));
    let stray = this.strays.get(directory);
    if (!stray) {
      stray = this.create(directory, uriOf(filePath), false);
      this.strays.set(directory, stray);
    }
    return stray;
  }

  all(): Folder[] {
    return [...this.folders.values(), ...this.strays.values()];
  }

  workspaceFolders(): Folder[] {
    return [...this.folders.values()];
  }

  reconfigure(folder: Folder): Promise<void> {
    // Analyses already waiting keep the old promise, which settles; new ones wait for this one.
    folder.ready = this.configure(folder);
    return folder.ready;
  }

  private create(root: string, scopeUri: string, isWorkspaceFolder: boolean): Folder {
    const folder: Folder = {
      root,
      scopeUri,
      isWorkspaceFolder,
      engine: new AnalysisEngine(root, this.rules),
      editor: { ...DEFAULT_EDITOR_SETTINGS },
      ready: Promise.resolve(),
    };
    folder.ready = this.configure(folder);
    return folder;
  }
}

function contains(root: string, filePath: string): boolean {
  const relative = path.relative(root, path.resolve(filePath));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
