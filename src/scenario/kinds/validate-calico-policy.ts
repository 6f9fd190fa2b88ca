import type { CalicoEntityRule, CalicoGlobalNetworkPolicy, CalicoNetworkPolicy, CalicoPort, CalicoProtocol, CalicoRule, CalicoTier, Topology } from '../../model/index.js';
import { CALICO_DEFAULT_TIER_ORDER, CALICO_K8S_POLICY_NAME_PREFIX } from '../../model/index.js';
import { hasLeadingZero, parseCIDR } from '../../model/cidr.js';
import type { DocPath, IssueList } from '../issue-list.js';
import { checkDnsLabel, checkDnsSubdomain } from '../k8s-syntax.js';
import { checkLabels } from '../normalize-topology.js';
import { resolveText } from '../resolve-policy.js';
import { checkCidrLiteral, checkCidrText, checkPolicyNamespace } from '../validate-policy.js';
import type { YamlDocument } from '../yaml-source.js';
import type { LocatedPolicyOf } from './policy-kind-module.js';

// What the Calico API server (libcalico-go validator/v3, the CEL rules of policy_common.go) checks and
// the zod schema cannot say with a clear message, plus netseg's own (namespaces, named ports, pods of
// the topology). docs/calico-policy.md §2 and §6 list each rule with its source.

/** Tiers Calico creates for ClusterNetworkPolicy (3.32) and AdminNetworkPolicy (3.29–3.31): netseg keeps them to ClusterNetworkPolicy. */
export const RESERVED_CALICO_TIERS: readonly string[] = ['kube-admin', 'kube-baseline', 'adminnetworkpolicy', 'baselineadminnetworkpolicy'];

const PORT_PROTOCOLS: readonly CalicoProtocol[] = ['TCP', 'UDP', 'SCTP', 'UDPLite'];

interface Context {
  readonly doc: YamlDocument;
  /** Where the policy document is; `err` takes paths relative to it. */
  readonly base: DocPath;
  readonly issues: IssueList;
  /** Absent (lint of a plain manifest): nothing that needs pods or placeholders resolved is checked. */
  readonly topology: Topology | undefined;
  readonly err: (path: DocPath, message: string) => void;
}

/** The API server's checks of a Calico NetworkPolicy, plus its namespace being in the topology. */
export function validateCalicoNetworkPolicy(located: LocatedPolicyOf<CalicoNetworkPolicy>, topology: Topology, issues: IssueList): void {
  const ctx = contextOf(located, topology, issues);
  checkPolicyNamespace(located.policy.metadata.namespace, [...located.path, 'metadata', 'namespace'], located.doc, issues, topology);
  checkPolicy(located.policy, ctx);
}

/** The API server's checks of a Calico GlobalNetworkPolicy. */
export function validateCalicoGlobalNetworkPolicy(located: LocatedPolicyOf<CalicoGlobalNetworkPolicy>, topology: Topology, issues: IssueList): void {
  checkPolicy(located.policy, contextOf(located, topology, issues));
}

/**
 * The checks of any Calico object that need no topology (lint of plain manifests): what the API
 * server rejects, without namespaces, named ports or placeholders resolved against pods.
 */
export function checkCalicoObject(located: LocatedPolicyOf<CalicoNetworkPolicy | CalicoGlobalNetworkPolicy | CalicoTier>, issues: IssueList): void {
  const { policy } = located;
  if (policy.kind === 'CalicoTier') validateCalicoTier({ ...located, policy }, undefined, issues);
  else checkPolicy(policy, contextOf(located, undefined, issues));
}

/** The checks of a Tier: a DNS label name, not one of the tiers Calico manages itself. */
export function validateCalicoTier(located: LocatedPolicyOf<CalicoTier>, topology: Topology | undefined, issues: IssueList): void {
  const ctx = contextOf(located, topology, issues);
  const { name, labels } = located.policy.metadata;
  if (labels) checkLabels({ ...labels }, [...located.path, 'metadata', 'labels'], located.doc, issues);
  const problem = tierNameProblem(name, 'tier name');
  if (problem) ctx.err(['metadata', 'name'], problem);
  else if (name === 'default') {
    ctx.err(['metadata', 'name'], `the default tier exists in every Calico cluster (order ${CALICO_DEFAULT_TIER_ORDER.toLocaleString('en-US')}, fixed): do not declare it; policies without tier are in it`);
  }
}

/** Why a tier name (of a Tier, or in a policy's `tier`) is not acceptable, or undefined. */
export function tierNameProblem(name: string, what: string): string | undefined {
  if (RESERVED_CALICO_TIERS.includes(name)) return `tier "${name}" is the tier Calico keeps for ClusterNetworkPolicy (AdminNetworkPolicy in older releases): write a ClusterNetworkPolicy, or use a tier of your own`;
  // Tier names are DNS labels: older releases prefixed policy names with "<tier>.", so a tier name holds no dot.
  return checkDnsLabel(name, what);
}

/**
 * The Calico API server refuses a Calico NetworkPolicy named `knp.default.…` ("kubernetes network
 * policies must be managed through the kubernetes API", apiserver `networkpolicy_storage.go`): the
 * prefix is the name Calico gives a converted Kubernetes NetworkPolicy (`K8sNetworkPolicyNamePrefix`).
 */
function reservedNameProblem(policy: CalicoNetworkPolicy | CalicoGlobalNetworkPolicy): string | undefined {
  if (policy.kind !== 'CalicoNetworkPolicy' || !policy.metadata.name.startsWith(CALICO_K8S_POLICY_NAME_PREFIX)) return undefined;
  return `a Calico NetworkPolicy cannot be named "${CALICO_K8S_POLICY_NAME_PREFIX}…": Calico names converted Kubernetes NetworkPolicies so, and its API server refuses it ("kubernetes network policies must be managed through the kubernetes API"); choose another name`;
}

function contextOf<P>(located: LocatedPolicyOf<P>, topology: Topology | undefined, issues: IssueList): Context {
  return { doc: located.doc, base: located.path, issues, topology, err: (p, msg) => issues.error(located.doc, [...located.path, ...p], msg) };
}

function checkPolicy(policy: CalicoNetworkPolicy | CalicoGlobalNetworkPolicy, ctx: Context): void {
  // Calico 3.32 no longer requires "<tier>." in front of the name of a policy in a non-default tier
  // (projectcalico/calico#11232); any DNS subdomain is a name.
  const nameProblem = checkDnsSubdomain(policy.metadata.name, 'policy name') ?? reservedNameProblem(policy);
  if (nameProblem) ctx.err(['metadata', 'name'], nameProblem);
  if (policy.metadata.labels) checkLabels({ ...policy.metadata.labels }, [...ctx.base, 'metadata', 'labels'], ctx.doc, ctx.issues);
  const tierProblem = tierNameProblem(policy.spec.tier, 'tier');
  if (tierProblem) ctx.err(['spec', 'tier'], tierProblem);
  policy.spec.ingress.forEach((rule, i) => checkRule(rule, ['spec', 'ingress', i], ctx));
  policy.spec.egress.forEach((rule, i) => checkRule(rule, ['spec', 'egress', i], ctx));
}

function checkRule(rule: CalicoRule, path: DocPath, ctx: Context): void {
  const families = new Set<4 | 6>();
  for (const side of ['source', 'destination'] as const) {
    const entity = rule[side];
    if (!entity) continue;
    checkEntity(entity, rule, [...path, side], ctx, families);
  }
  if (rule.ipVersion !== undefined) {
    const other = rule.ipVersion === 4 ? 6 : 4;
    if (families.has(other)) ctx.err([...path, 'ipVersion'], `ipVersion is ${rule.ipVersion} but the rule has IPv${other} nets`);
  } else if (families.size > 1) {
    ctx.err(path, 'the rule mixes IPv4 and IPv6 nets: Calico rejects that (split it into one rule per family, or set ipVersion)');
  }
}

function checkEntity(entity: CalicoEntityRule, rule: CalicoRule, path: DocPath, ctx: Context, families: Set<4 | 6>): void {
  for (const field of ['nets', 'notNets'] as const) {
    entity[field]?.forEach((net, i) => {
      const family = checkNet(net, [...path, field, i], ctx);
      if (family) families.add(family);
    });
  }
  for (const field of ['ports', 'notPorts'] as const) {
    const ports = entity[field];
    if (ports && path.at(-1) === 'source') {
      ctx.err([...path, field], `source.${field} cannot be evaluated by netseg: a probe's source port is ephemeral, so no cell could say whether it matches; remove it (or match on destination ports)`);
      continue;
    }
    if (!ports || ports.length === 0) continue;
    if (rule.protocol === undefined || !PORT_PROTOCOLS.includes(rule.protocol)) {
      ctx.err([...path, field], `${field} needs the rule's protocol to be TCP, UDP, SCTP or UDPLite${rule.protocol === undefined ? ' (the rule has no protocol)' : `, not ${rule.protocol}`}`);
      continue;
    }
    ports.forEach((port, i) => checkNamedPort(port, rule.protocol as CalicoProtocol, [...path, field, i], ctx));
  }
  entity.serviceAccounts?.names?.forEach((name, i) => {
    const bad = checkDnsSubdomain(name, 'service account name');
    if (bad) ctx.err([...path, 'serviceAccounts', 'names', i], bad);
  });
}

/** Checks a `nets` entry (CIDR or placeholder); returns its family when known. */
function checkNet(text: string, path: DocPath, ctx: Context): 4 | 6 | undefined {
  if (hasLeadingZero(text)) {
    ctx.err(path, `"${text}" writes a part with a leading zero, which Calico's CIDR parser rejects: write it without`);
    return undefined;
  }
  if (!ctx.topology) return text.includes('{{') ? undefined : checkCidrLiteral(text, [...ctx.base, ...path], ctx.doc, ctx.issues)?.family;
  const literal = checkCidrText(text, [...ctx.base, ...path], ctx.doc, ctx.issues, ctx.topology);
  if (literal) return literal.family;
  try {
    return parseCIDR(resolveText(text, ctx.topology))?.family;
  } catch {
    return undefined; // a bad placeholder was reported by checkCidrText
  }
}

function checkNamedPort(port: CalicoPort, protocol: CalicoProtocol, path: DocPath, ctx: Context): void {
  if (!('name' in port) || !ctx.topology) return;
  if (!ctx.topology.pods.some((p) => p.ports.some((c) => c.name === port.name && c.protocol === protocol))) ctx.err(path, `named port "${port.name}" (${String(protocol)}) is declared by no pod`);
}
