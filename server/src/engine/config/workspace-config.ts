import { findConfigFile, readConfigFile } from './config-file';
import type { ConfigLayer } from './resolve-config';

/**
 * The configuration layers for one workspace folder, in precedence order: the editor's or the
 * command line's settings first, then the folder's `.backend-advisor.json`, which wins so that
 * the editor agrees with CI, which only sees the file.
 */
export function workspaceConfigLayers(root: string, before: ConfigLayer[] = [], explicitFile?: string): { layers: ConfigLayer[]; problems: string[] } {
  const problems: string[] = [];
  const layers = [...before];
  const file = explicitFile ?? findConfigFile(root);
  if (file) {
    const { layer, problem } = readConfigFile(file);
    if (problem) problems.push(problem);
    if (layer) layers.push(layer);
  }
  return { layers, problems };
}
