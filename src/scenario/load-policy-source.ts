import { dirname, isAbsolute, join } from 'node:path';
import type { NetworkPolicy, PolicyTemplate } from '../model/index.js';
import type { DocPath, IssueList } from './issue-list.js';
import { networkPolicySchema, type NetworkPolicyInput } from './network-policy-schema.js';
import type { PolicySourceInput } from './schema.js';
import { parseYamlFile, type YamlDocument } from './yaml-source.js';
import { reportZodIssues } from './zod-issues.js';

/** A policy with where it was written, so later checks can point at it (possibly in another file). */
export interface LocatedPolicy {
  readonly policy: PolicyTemplate;
  readonly doc: YamlDocument;
  readonly path: DocPath;
}

/**
 * The policies of an `apply`/`replace` value: the inline policy, or every NetworkPolicy document of
 * a file relative to the scenario file (other kinds are skipped, like `kubectl apply` of a bundle).
 */
export function loadPolicySource(input: PolicySourceInput, path: DocPath, doc: YamlDocument, issues: IssueList): LocatedPolicy[] {
  if ('file' in input) {
    const file = isAbsolute(input.file) ? input.file : join(dirname(doc.file), input.file);
    const parsed = parseYamlFile(file);
    if (parsed.issues.length > 0) {
      // An unreadable file is reported at the include; syntax errors inside it at their own place.
      const unreadable = parsed.documents.length === 0 && parsed.issues.some((i) => i.position.line === 1 && i.position.column === 1 && !i.message.startsWith('YAML'));
      if (unreadable) issues.error(doc, [...path, 'file'], `${parsed.issues[0]?.message ?? 'cannot read'}: ${file}`);
      else issues.add(...parsed.issues);
      return [];
    }
    const out: LocatedPolicy[] = [];
    let found = 0;
    for (const d of parsed.documents) {
      const kind = (d.value as { kind?: unknown } | null)?.kind;
      if (kind !== 'NetworkPolicy') continue;
      found++;
      const policy = parsePolicy(d.value, [], d, issues, input.namespace);
      if (policy) out.push({ policy, doc: d, path: [] });
    }
    if (found === 0) issues.error(doc, [...path, 'file'], `${file} contains no NetworkPolicy`);
    return out;
  }
  const policy = parsePolicy(input, path, doc, issues, undefined);
  return policy ? [{ policy, doc, path }] : [];
}

function parsePolicy(value: unknown, path: DocPath, doc: YamlDocument, issues: IssueList, namespace: string | undefined): PolicyTemplate | undefined {
  const parsed = networkPolicySchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    reportZodIssues(issues, doc, path, parsed.error.issues);
    return undefined;
  }
  const p = stripNulls(parsed.data) as NetworkPolicyInput;
  const ns = p.metadata.namespace ?? namespace;
  if (ns === undefined) {
    issues.error(doc, [...path, 'metadata'], `policy "${p.metadata.name}" has no metadata.namespace${path.length === 0 ? ' (or set it with { file, namespace })' : ''}`);
    return undefined;
  }
  if (namespace !== undefined && p.metadata.namespace !== undefined && p.metadata.namespace !== namespace) {
    issues.error(doc, [...path, 'metadata', 'namespace'], `policy namespace "${p.metadata.namespace}" differs from the include's namespace "${namespace}"`);
  }
  return { ...p, metadata: { ...p.metadata, namespace: ns } } as NetworkPolicy;
}

/** Drops null-valued keys (Kubernetes reads null as absent). */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, stripNulls(v)]));
  }
  return value;
}
