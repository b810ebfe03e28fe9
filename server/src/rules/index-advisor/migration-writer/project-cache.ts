import type { ProjectView } from '../../../engine/workspace/project-view';

/**
 * A value computed from the whole project, kept until any file changes (`revision`). Fixes are
 * built for every finding; the migration folders they read are the same for all of them.
 */
export function perRevision<T>(compute: (project: ProjectView) => T): (project: ProjectView) => T {
  const cache = new WeakMap<ProjectView, { revision: number; value: T }>();
  return (project) => {
    const cached = cache.get(project);
    if (cached && cached.revision === project.revision) return cached.value;
    const value = compute(project);
    cache.set(project, { revision: project.revision, value });
    return value;
  };
}
