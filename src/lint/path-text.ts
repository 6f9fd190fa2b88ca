import { formatPath } from '../scenario/issue-list.js';

/** One step of a path into a YAML document: a map key or a list index. */
export type PathSegment = string | number;

/** Renders a path the way the scenario loader does, e.g. 'spec.ingress[0].from[1].podSelector.matchLabels["app.kubernetes.io/name"]'. */
export function pathText(path: readonly PathSegment[]): string {
  return formatPath(path);
}
