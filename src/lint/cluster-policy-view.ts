import type { ClusterNetworkPolicy, ClusterNetworkPolicyEgressRule, ClusterNetworkPolicyIngressRule, ClusterNetworkPolicyPeer, LabelSelector } from '../model/index.js';
import { parseCIDR } from '../model/cidr.js';
import { kindModule, documentSchemaOf } from '../scenario/kinds/policy-kinds.js';
import type { PolicyKindModule } from '../scenario/kinds/policy-kind-module.js';
import { IssueList } from '../scenario/issue-list.js';
import { checkClusterNetworkPolicy } from '../scenario/kinds/validate-cluster-network-policy.js';
import { stripNulls } from '../scenario/load-policy-source.js';
import type { YamlDocument } from '../scenario/yaml-source.js';
import type { LintInput, PolicySource } from './lint-input.js';
import { findingsPerPolicy, type LintFinding, type Report } from './lint-rule.js';
import type { PathSegment } from './path-text.js';

// The semantic ClusterNetworkPolicy rules read parsed, valid objects, not raw maps: a document the
// schema or the CEL rules reject is bad-cluster-network-policy's finding, and the other rules skip it
// (they may then rely on "exactly one field" peers and protocol entries).

const SCHEMA = documentSchemaOf(kindModule('ClusterNetworkPolicy') as PolicyKindModule);
const parsed = new WeakMap<PolicySource, ClusterNetworkPolicy | null>();

/** The ClusterNetworkPolicy a source holds when its document passes the schema and the CEL rules; undefined otherwise. */
export function clusterPolicyOf(source: PolicySource): ClusterNetworkPolicy | undefined {
  let policy = parsed.get(source);
  if (policy === undefined) {
    const result = SCHEMA.safeParse(source.value);
    const candidate = result.success ? (stripNulls(result.data) as ClusterNetworkPolicy) : undefined;
    const issues = new IssueList();
    if (candidate) checkClusterNetworkPolicy({ policy: candidate, doc: documentOf(source), path: [] }, { placeholders: true }, issues);
    policy = candidate && !issues.hasErrors ? candidate : null;
    parsed.set(source, policy);
  }
  return policy ?? undefined;
}

/** The source seen as the YAML document the scenario loader's checks expect (paths relative to the policy). */
export function documentOf(source: PolicySource): YamlDocument {
  return {
    file: source.file,
    index: 0,
    value: source.value,
    positionOf: (path) => source.positionOf(path),
    positionInString: (path, line, column) => source.positionInString?.(path, line, column) ?? source.positionOf(path),
    plainScalarAt: (path) => source.plainScalarAt(path),
  };
}

/** One rule of a ClusterNetworkPolicy, either direction, with its peers and path. */
export interface ClusterRuleView {
  readonly direction: 'ingress' | 'egress';
  readonly index: number;
  readonly path: readonly PathSegment[];
  readonly rule: ClusterNetworkPolicyIngressRule | ClusterNetworkPolicyEgressRule;
  readonly peers: readonly ClusterNetworkPolicyPeer[];
}

/** The rules of one direction, in order (first match wins). */
export function clusterRulesOf(policy: ClusterNetworkPolicy, direction: 'ingress' | 'egress'): ClusterRuleView[] {
  const rules = direction === 'ingress' ? (policy.spec.ingress ?? []) : (policy.spec.egress ?? []);
  return rules.map((rule, index) => ({ direction, index, path: ['spec', direction, index], rule, peers: 'from' in rule ? rule.from : rule.to }));
}

/** How a rule is named in messages: its name, else its position. */
export function ruleLabel(view: ClusterRuleView): string {
  return view.rule.name === undefined ? `${view.direction} rule ${view.index + 1}` : `${view.direction} rule "${view.rule.name}"`;
}

/** The traffic an unrestricted rule (no protocols) matches in full: every pod, every IPv4 / IPv6 address. */
export interface Coverage {
  readonly pods: boolean;
  readonly v4: boolean;
  readonly v6: boolean;
}

const NONE: Coverage = { pods: false, v4: false, v6: false };

/** A selector that matches everything (absent or `{}`). */
export function selectsAll(selector: LabelSelector | undefined): boolean {
  return selector === undefined || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

/** What traffic a rule matches whatever its protocol and port; nothing when it restricts protocols. */
export function coverageOf(view: ClusterRuleView): Coverage {
  if (view.rule.protocols !== undefined) return NONE;
  return view.peers.reduce<Coverage>((c, peer) => {
    if ('namespaces' in peer) return { ...c, pods: c.pods || selectsAll(peer.namespaces) };
    if ('pods' in peer) return { ...c, pods: c.pods || (selectsAll(peer.pods.namespaceSelector) && selectsAll(peer.pods.podSelector)) };
    if (!('networks' in peer)) return c;
    const zero = peer.networks.map(parseCIDR).filter((n) => n?.prefix === 0);
    return { ...c, v4: c.v4 || zero.some((n) => n?.family === 4), v6: c.v6 || zero.some((n) => n?.family === 6) };
  }, NONE);
}

/** The union of two coverages. */
export function unionCoverage(a: Coverage, b: Coverage): Coverage {
  return { pods: a.pods || b.pods, v4: a.v4 || b.v4, v6: a.v6 || b.v6 };
}

/** Whether a coverage includes all traffic a peer can match (pod IPs are in 0.0.0.0/0 and ::/0 too). */
export function covers(c: Coverage, peer: ClusterNetworkPolicyPeer): boolean {
  const everything = c.v4 && c.v6;
  if ('namespaces' in peer || 'pods' in peer) return c.pods || everything;
  if (!('networks' in peer)) return everything;
  return peer.networks.every((text) => {
    const family = parseCIDR(text)?.family;
    return family === 4 ? c.v4 : family === 6 ? c.v6 : everything;
  });
}

/** Runs `visit` on every schema-valid ClusterNetworkPolicy of the input with a `report` bound to it. */
export function findingsPerClusterPolicy(input: LintInput, visit: (policy: ClusterNetworkPolicy, report: Report) => void): LintFinding[] {
  return findingsPerPolicy(input, (source, report) => {
    const policy = clusterPolicyOf(source);
    if (policy) visit(policy, report);
  });
}
