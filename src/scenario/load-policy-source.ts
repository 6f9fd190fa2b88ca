import { dirname, isAbsolute, join } from 'node:path';
import type { PolicyTemplate } from '../model/index.js';
import type { DocPath, IssueList } from './issue-list.js';
import { documentSchemaOf, moduleOfDocument, POLICY_KIND_MODULES, supportedKindsText } from './kinds/policy-kinds.js';
import type { LocatedPolicyOf } from './kinds/policy-kind-module.js';
import { settleNamespace, type PolicyDocument } from './kinds/settle-namespace.js';
import type { PolicyFileInput, PolicySourceInput } from './schema.js';
import { parseYamlFile, type YamlDocument } from './yaml-source.js';
import { reportZodIssues } from './zod-issues.js';

/** A policy with where it was written, so later checks can point at it (possibly in another file). */
export type LocatedPolicy = LocatedPolicyOf<PolicyTemplate>;

/** A document (or a `List` item) of a manifest file, with its path inside the YAML document. */
interface FileObject {
  readonly value: unknown;
  readonly doc: YamlDocument;
  readonly path: DocPath;
}

/**
 * The policies of an `apply`/`replace` value: the inline policy, or every policy document of a file
 * relative to the scenario file (of any supported kind; `List` items too). Objects that are no
 * policy (a Deployment of the bundle) are skipped like `kubectl apply` would apply them elsewhere; a
 * policy kind netseg does not support is an error, never skipped.
 */
export function loadPolicySource(input: PolicySourceInput, path: DocPath, doc: YamlDocument, issues: IssueList): LocatedPolicy[] {
  // A policy document is strict and has no `file` key, so `file` tells an include.
  if (!('file' in input)) {
    const policy = parsePolicy({ value: input, doc, path }, issues, undefined);
    return policy ? [{ policy, doc, path }] : [];
  }
  return loadPolicyFile(input as PolicyFileInput, path, doc, issues);
}

function loadPolicyFile(input: PolicyFileInput, path: DocPath, doc: YamlDocument, issues: IssueList): LocatedPolicy[] {
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
  for (const object of parsed.documents.flatMap((d) => objectsOf(d.value, d, []))) {
    const kind = (object.value as { kind?: unknown } | null)?.kind;
    if (moduleOfDocument(object.value) === undefined) {
      // "…NetworkPolicy" kinds of other API groups (ClusterNetworkPolicy, GlobalNetworkPolicy, CiliumNetworkPolicy …)
      // would change the matrix; other "…Policy" kinds (ValidatingAdmissionPolicy) are not segmentation.
      if (typeof kind === 'string' && /NetworkPolicy$/.test(kind)) issues.error(object.doc, [...object.path, 'kind'], `kind ${JSON.stringify(kind)} is not a supported policy kind; supported: ${supportedKindsText()}`);
      continue;
    }
    found++;
    const policy = parsePolicy(object, issues, input.namespace);
    if (policy) out.push({ policy, doc: object.doc, path: object.path });
  }
  if (found === 0) issues.error(doc, [...path, 'file'], `${file} contains no ${POLICY_KIND_MODULES.map((m) => m.manifestKind).join(' or ')}`);
  return out;
}

/** A document, or the items of a `List` (`kubectl get -o yaml` output). */
function objectsOf(value: unknown, doc: YamlDocument, path: DocPath): FileObject[] {
  const list = value as { kind?: unknown; items?: unknown } | null;
  if (list !== null && typeof list === 'object' && list.kind === 'List' && Array.isArray(list.items)) {
    return list.items.flatMap((item: unknown, i) => objectsOf(item, doc, [...path, 'items', i]));
  }
  return [{ value, doc, path }];
}

function parsePolicy({ value, doc, path }: FileObject, issues: IssueList, namespace: string | undefined): PolicyTemplate | undefined {
  const module = moduleOfDocument(value);
  if (!module) {
    issues.error(doc, [...path, 'kind'], `not a supported policy kind; supported: ${supportedKindsText()}`);
    return undefined;
  }
  const parsed = documentSchemaOf(module).safeParse(value, { reportInput: true });
  if (!parsed.success) {
    reportZodIssues(issues, doc, path, parsed.error.issues);
    return undefined;
  }
  const document = settleNamespace(module, stripNulls(parsed.data) as PolicyDocument, { doc, path, namespace }, issues);
  return document && module.fromDocument(document);
}

/** Drops null-valued keys (Kubernetes reads null as absent). */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, stripNulls(v)]));
  }
  return value;
}
