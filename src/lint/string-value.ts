import { checkLabelKey, checkLabelValue } from '../scenario/k8s-syntax.js';
import type { Report } from './lint-rule.js';
import type { PathSegment } from './path-text.js';
import { isMap } from './policy-view.js';
import type { PolicySource } from './lint-input.js';

// kubectl reads manifests as YAML 1.1, where these unquoted words are booleans, not strings.
const YAML11_BOOLEAN = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;

/**
 * Why a value that must be a string is not one for the API server: YAML reads unquoted `true` or
 * `1.0` as a boolean or number, and kubectl (YAML 1.1) also `yes`, `on`, `y`. Undefined when it is a
 * string. The YAML 1.1 words only count in manifest files: netseg reads scenarios itself (YAML 1.2).
 */
export function stringProblem(source: PolicySource, value: unknown, at: readonly PathSegment[], what: string): string | undefined {
  const written = source.plainScalarAt(at);
  const text = written ?? (typeof value === 'string' ? value : JSON.stringify(value));
  if (typeof value === 'string') {
    if (written === undefined || source.basePath.length > 0 || !YAML11_BOOLEAN.test(written)) return undefined;
    return `${what} must be a string: kubectl reads the unquoted ${written} as a boolean, so quote it ("${written}")`;
  }
  const kind = value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value === 'object' ? 'map' : typeof value;
  const hint = kind === 'list' || kind === 'map' ? '' : `, so quote it ("${kind === 'null' ? '' : text}")`;
  return `${what} must be a string: YAML reads ${text} as a ${kind}${hint}`;
}

/** Checks a label map (metadata.labels or matchLabels): key syntax, string values, value syntax. */
export function checkLabelMap(source: PolicySource, map: unknown, path: readonly PathSegment[], report: Report): void {
  if (!isMap(map)) return;
  for (const [key, value] of Object.entries(map)) {
    const at = [...path, key];
    const badKey = checkLabelKey(key);
    if (badKey) report(at, badKey);
    const problem = stringProblem(source, value, at, `the value of label "${key}"`) ?? (typeof value === 'string' ? checkLabelValue(value) : undefined);
    if (problem) report(at, problem);
  }
}
