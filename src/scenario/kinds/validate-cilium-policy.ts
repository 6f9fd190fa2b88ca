import type { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, LabelSelector, Topology } from '../../model/index.js';
import { cidrContains, parseCIDR } from '../../model/cidr.js';
import type { DocPath, IssueList } from '../issue-list.js';
import { checkDnsSubdomain } from '../k8s-syntax.js';
import { checkLabels } from '../normalize-topology.js';
import { resolveText } from '../resolve-policy.js';
import { checkCidrText, checkSelector } from '../validate-policy.js';
import type { YamlDocument } from '../yaml-source.js';
import { ciliumCidrText, ciliumRulePath } from './cilium-policy-document.js';
import type { LocatedPolicyOf } from './policy-kind-module.js';

type Raw = Readonly<Record<string, unknown>>;
type Policy = CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy;

/**
 * The checks of a Cilium policy that need the written document or the topology (the schema made the
 * agent's own): spec or specs present, label syntax of the selectors (prefixes stripped), CIDRs and
 * their placeholders, every except inside its CIDR once placeholders resolve, and named ports some pod declares.
 */
export function validateCiliumPolicy({ policy, doc, path }: LocatedPolicyOf<Policy>, topology: Topology, issues: IssueList): void {
  const raw = valueAt(doc.value, path) as Raw;
  const nameProblem = checkDnsSubdomain(policy.metadata.name, 'policy name');
  if (nameProblem) issues.error(doc, [...path, 'metadata', 'name'], nameProblem);
  if (policy.metadata.labels) checkLabels({ ...policy.metadata.labels }, [...path, 'metadata', 'labels'], doc, issues);
  if (policy.specs.length === 0) issues.error(doc, path, `a ${policy.kind} needs spec or specs`);
  policy.specs.forEach((rule, i) => {
    const at = [...path, ...ciliumRulePath(raw, i)];
    checkSelector(rule.endpointSelector, [...at, 'endpointSelector'], doc, issues);
    const rawRule = valueAt(raw, ciliumRulePath(raw, i)) as Raw;
    for (const section of ['ingress', 'ingressDeny', 'egress', 'egressDeny'] as const) {
      const entries = (rawRule[section] as Raw[] | undefined) ?? [];
      const peers = section.startsWith('ingress') ? 'from' : 'to';
      entries.forEach((entry, j) => {
        const model = rule[section]?.[j] as Readonly<Record<string, unknown>> | undefined;
        checkEntry(entry, peers, model?.[`${peers}Endpoints`] as LabelSelector[] | undefined, [...at, section, j], { doc, issues, topology });
      });
    }
  });
}

interface Ctx {
  readonly doc: YamlDocument;
  readonly issues: IssueList;
  readonly topology: Topology;
}

function checkEntry(entry: Raw, peers: 'from' | 'to', selectors: readonly LabelSelector[] | undefined, path: DocPath, ctx: Ctx): void {
  selectors?.forEach((s, k) => checkSelector(s, [...path, `${peers}Endpoints`, k], ctx.doc, ctx.issues));
  ((entry[`${peers}CIDR`] as string[] | undefined) ?? []).forEach((c, k) => checkCidrText(ciliumCidrText(c), [...path, `${peers}CIDR`, k], ctx.doc, ctx.issues, ctx.topology));
  ((entry[`${peers}CIDRSet`] as { cidr?: string; except?: string[] }[] | undefined) ?? []).forEach((set, k) => {
    const at = [...path, `${peers}CIDRSet`, k];
    if (set.cidr === undefined) return;
    checkCidrText(set.cidr, [...at, 'cidr'], ctx.doc, ctx.issues, ctx.topology);
    (set.except ?? []).forEach((e, m) => {
      checkCidrText(e, [...at, 'except', m], ctx.doc, ctx.issues, ctx.topology);
      checkInside(set.cidr!, e, [...at, 'except', m], ctx);
    });
  });
  ((entry.toPorts as { ports: { port: string | number; protocol?: string }[] }[] | undefined) ?? []).forEach((r, k) =>
    r.ports.forEach((p, m) => {
      const name = String(p.port);
      if (/^\d+$/.test(name)) return;
      const protocol = p.protocol ?? 'ANY';
      const declared = ctx.topology.pods.some((pod) => pod.ports.some((c) => c.name === name.toLowerCase() && (protocol === 'ANY' || c.protocol === protocol)));
      if (!declared) ctx.issues.error(ctx.doc, [...path, 'toPorts', k, 'ports', m, 'port'], `named port "${name}"${protocol === 'ANY' ? '' : ` (${protocol})`} is declared by no pod`);
    }),
  );
}

/** CIDRRule.sanitize: the agent rejects an except outside its CIDR (or of the other family). */
function checkInside(cidr: string, except: string, path: DocPath, ctx: Ctx): void {
  let outer: ReturnType<typeof parseCIDR>;
  let inner: ReturnType<typeof parseCIDR>;
  try {
    outer = parseCIDR(resolveText(cidr, ctx.topology));
    inner = parseCIDR(resolveText(except, ctx.topology));
  } catch {
    return; // a bad placeholder is reported by checkCidrText
  }
  if (!outer || !inner) return;
  if (outer.family !== inner.family || inner.prefix < outer.prefix || !cidrContains(outer, inner.network)) ctx.issues.error(ctx.doc, path, `except ${except} is not inside ${cidr}: Cilium rejects the rule`);
}

/** The value at a path of a parsed YAML document (undefined when some step is missing). */
export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const seg of path) v = (v as Record<string | number, unknown> | undefined)?.[seg];
  return v;
}
