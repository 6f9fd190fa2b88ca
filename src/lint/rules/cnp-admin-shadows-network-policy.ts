import type { ClusterNetworkPolicy, ClusterNetworkPolicySubject, Labels } from '../../model/index.js';
import { matchesSelector } from '../../model/label-selector.js';
import { clusterPolicyOf, clusterRulesOf, coverageOf, ruleLabel, selectsAll, type ClusterRuleView } from '../cluster-policy-view.js';
import type { LintTopology, PolicySource, PolicyUse } from '../lint-input.js';
import type { LintFinding, LintRule } from '../lint-rule.js';
import { isolatesEgress, nameOf, specOf } from '../policy-view.js';
import { asLabelSelector } from '../selector-view.js';

type Direction = 'ingress' | 'egress';

/**
 * An Admin ClusterNetworkPolicy whose first all-pods rule (no Pass before it, in it or in an earlier
 * Admin policy) accepts or denies every pod's traffic of a direction for all the pods a NetworkPolicy
 * selects: the Admin tier decides that traffic, so the NetworkPolicy's rules for it are dead.
 */
export const cnpAdminShadowsNetworkPolicy: LintRule = {
  id: 'cnp-admin-shadows-network-policy',
  description: 'an Admin ClusterNetworkPolicy rule (e.g. Accept from all pods) that decides a direction for every pod a NetworkPolicy selects, so that NetworkPolicy is dead for it',
  severity: 'warning',
  kinds: ['ClusterNetworkPolicy', 'NetworkPolicy'],
  check(input) {
    const findings: LintFinding[] = [];
    for (const scope of input.scopes) {
      const admins = new Map<string, ClusterNetworkPolicy>();
      const sources = new Map<ClusterNetworkPolicy, PolicySource>();
      const nps = new Map<string, PolicyUse>();
      for (const event of scope.events) {
        if (event.kind === 'delete') {
          (event.policyKind === 'NetworkPolicy' ? nps : admins).delete(event.ref);
          continue;
        }
        const { source } = event.use;
        if (source.kind === 'NetworkPolicy') {
          const name = nameOf(source.value);
          if (name !== undefined && event.use.namespace !== undefined) nps.set(`${event.use.namespace}/${name}`, event.use);
        } else {
          const policy = clusterPolicyOf(source);
          if (policy?.spec.tier !== 'Admin') continue;
          admins.set(policy.metadata.name, policy);
          sources.set(policy, source);
        }
        for (const admin of admins.values()) {
          for (const direction of ['ingress', 'egress'] as const) {
            const decider = deciderOf(admin, direction, [...admins.values()]);
            if (!decider) continue;
            for (const [ref, np] of nps) {
              if (!hasDirection(np, direction) || !selectedPodsInSubject(np, admin.spec.subject, scope.topology)) continue;
              const coverage = coverageOf(decider);
              const what = coverage.v4 && coverage.v6 ? `its ${direction} rules never decide anything` : direction === 'ingress' ? 'its ingress rules decide only traffic from outside the cluster' : 'its egress rules decide only traffic leaving the cluster';
              const message = `${ruleLabel(decider)} (${decider.rule.action}) decides ${direction} for every pod NetworkPolicy ${ref} selects, on all pod traffic, before the NetworkPolicy tier: ${what}`;
              findings.push({ source: sources.get(admin) as PolicySource, path: [...decider.path, 'action'], message });
            }
          }
        }
      }
    }
    // Re-checked after every event: one finding per (rule, NetworkPolicy).
    return findings.filter((f, i) => findings.findIndex((g) => g.source === f.source && g.message === f.message) === i);
  },
};

/** The rule that takes all pod traffic of a direction, unless a Pass (here or in an Admin policy at this priority or before) gives some away first. */
function deciderOf(admin: ClusterNetworkPolicy, direction: Direction, admins: readonly ClusterNetworkPolicy[]): ClusterRuleView | undefined {
  const earlierPass = admins.some((a) => a !== admin && a.spec.priority <= admin.spec.priority && clusterRulesOf(a, direction).some((r) => r.rule.action === 'Pass'));
  if (earlierPass) return undefined;
  for (const view of clusterRulesOf(admin, direction)) {
    if (view.rule.action === 'Pass') return undefined;
    if (coverageOf(view).pods) return view;
  }
  return undefined;
}

function hasDirection(np: PolicyUse, direction: Direction): boolean {
  if (direction === 'egress') return isolatesEgress(np.source.value);
  const types = specOf(np.source.value).policyTypes;
  return !Array.isArray(types) || types.length === 0 || types.includes('Ingress');
}

/** True when the subject holds every pod the NetworkPolicy selects (at the scenario's start), or every pod at all. */
function selectedPodsInSubject(np: PolicyUse, subject: ClusterNetworkPolicySubject, topology: LintTopology | undefined): boolean {
  const everyPod = 'namespaces' in subject ? selectsAll(subject.namespaces) : selectsAll(subject.pods.namespaceSelector) && selectsAll(subject.pods.podSelector);
  if (everyPod) return true;
  const rawSelector = specOf(np.source.value).podSelector;
  const podSelector = rawSelector === undefined || rawSelector === null ? {} : asLabelSelector(rawSelector);
  if (!topology || !podSelector) return false;
  const nsLabels: Labels = topology.namespaces.get(np.namespace as string)?.[0] ?? {};
  const selected = topology.pods.filter((p) => p.namespace === np.namespace && matchesSelector(podSelector, p.labelStates[0] ?? {}));
  const inSubject = (labels: Labels): boolean =>
    'namespaces' in subject
      ? matchesSelector(subject.namespaces, nsLabels)
      : matchesSelector(subject.pods.namespaceSelector ?? {}, nsLabels) && matchesSelector(subject.pods.podSelector, labels);
  return selected.length > 0 && selected.every((p) => inSubject(p.labelStates[0] ?? {}));
}
