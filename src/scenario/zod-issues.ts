import type { z } from 'zod';
import { printable } from '../model/index.js';
import type { IssueList, DocPath } from './issue-list.js';
import type { YamlDocument } from './yaml-source.js';

type ZodIssue = z.core.$ZodIssue;

// Hints for the classic mistakes Kubernetes would silently accept-and-drop.
const MISPLACED_HINTS: Record<string, string> = {
  ports: 'ports belong inside an ingress or egress rule',
  from: 'from belongs inside an ingress rule',
  to: 'to belongs inside an egress rule',
  matchLabels: 'matchLabels belongs inside a podSelector or namespaceSelector',
  namespaceSelector: 'namespaceSelector belongs inside a from/to peer',
  // ClusterNetworkPolicy: ingress peers are namespaces or pods only.
  networks: 'networks peers exist in egress rules only',
  nodes: 'nodes peers exist in egress rules only',
  domainNames: 'domainNames peers exist in egress rules only',
};

/** Adds zod issues to `issues`, located through the document's positions. */
export function reportZodIssues(issues: IssueList, doc: YamlDocument, base: DocPath, zodIssues: readonly ZodIssue[]): void {
  for (const issue of zodIssues) reportOne(issues, doc, [...base, ...issue.path.map(toSegment)], issue);
}

function toSegment(seg: PropertyKey): string | number {
  return typeof seg === 'number' ? seg : String(seg);
}

function reportOne(issues: IssueList, doc: YamlDocument, path: DocPath, issue: ZodIssue): void {
  switch (issue.code) {
    case 'unrecognized_keys':
      for (const key of issue.keys) {
        const hint = MISPLACED_HINTS[key] && path.length > 0 ? ` (${MISPLACED_HINTS[key]})` : '';
        issues.error(doc, [...path, key], `unknown key "${printable(key, 80)}"${hint}`);
      }
      return;
    case 'invalid_union': {
      const branch = bestBranch(issue.errors);
      if (branch) {
        for (const sub of branch) reportOne(issues, doc, [...path, ...sub.path.map(toSegment)], sub);
      } else {
        const custom = issue.errors.flat().find((i) => i.path.length === 0 && !i.message.startsWith('Invalid'));
        issues.error(doc, path, custom ? `${custom.message}, got ${describeInput(issue.input)}` : `invalid value: ${describeInput(issue.input)}`);
      }
      return;
    }
    case 'invalid_type':
      if (issue.input === undefined) {
        const key = path[path.length - 1];
        issues.error(doc, path, `missing required key "${String(key)}"`);
      } else {
        issues.error(doc, path, cleanMessage(issue.message, issue.expected, issue.input));
      }
      return;
    case 'custom': {
      // A check inside a string (a Calico selector) says where in the string: 1-based `params.column`.
      const column = (issue.params as { column?: unknown } | undefined)?.column;
      issues.error(doc, path, issue.message, typeof column === 'number' ? doc.positionInString(path, 0, column - 1) : undefined);
      return;
    }
    default:
      issues.error(doc, path, cleanMessage(issue.message));
  }
}

/**
 * The union branch the author most likely meant: branches failing on the value's very type are out;
 * among the rest the one with the fewest problems wins. Undefined when every branch rejects the type.
 */
function bestBranch(branches: readonly (readonly ZodIssue[])[]): readonly ZodIssue[] | undefined {
  const plausible = branches.filter((b) => !b.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value')));
  if (plausible.length === 0) return undefined;
  return plausible.reduce((best, b) => (b.length < best.length ? b : best));
}

function cleanMessage(message: string, expected?: string, input?: unknown): string {
  if (message.startsWith('Invalid input: expected') && expected) return `expected ${expected}, got ${describeInput(input)}`;
  return message.replace(/^Invalid input: /, '');
}

function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'an object';
  // Cut here, not only when printing, so the rest of the message (what was expected) is never cut off.
  if (typeof input === 'string') return `string "${printable(input, 80)}"`;
  return `${typeof input} ${String(input)}`;
}
