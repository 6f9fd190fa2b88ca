/** One step of a path into a YAML document: a map key or a list index. */
export type PathSegment = string | number;

/** Renders a path the way InputIssue expects it, e.g. "spec.ingress[0].from[1]". */
export function pathText(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}
