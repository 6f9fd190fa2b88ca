import { CALICO_DEFAULT_TIER_ORDER, matchesCalicoSelector, matchesSelector, type CalicoGlobalNetworkPolicy, type CalicoNetworkPolicy, type Labels } from '../../model/index.js';
import { CALICO_KINDS, calicoObjectOf } from '../calico-policy-view.js';
import { inAnyState, usesOf, type LintInput, type LintPod, type LintTopology, type PolicySource, type PolicyScope } from '../lint-input.js';
import type { LintFinding, LintRule } from '../lint-rule.js';
import { asLabelSelector } from '../selector-view.js';

type CalicoPolicy = CalicoNetworkPolicy | CalicoGlobalNetworkPolicy;
type Direction = 'ingress' | 'egress';

/** A policy of a later tier (or a Kubernetes NetworkPolicy, in the default tier) that allows some traffic of a direction. */
interface LaterAllow {
  readonly what: string;
  readonly selects: (pod: LintPod, topology: LintTopology) => boolean;
}

/**
 * A tier with defaultAction Deny whose policies for a direction hold no Allow and no Pass rule:
 * every packet of that direction at a pod they select ends in the tier's drop, so a later tier's
 * Allow (or a Kubernetes NetworkPolicy's, in the default tier) for the same pod never takes effect.
 * Reported only when such a later allow exists, and (with a scenario topology) selects a pod the
 * tier's policies select too: a tier that denies on purpose, with nothing after it, is not a finding.
 */
export const calicoTierSwallows: LintRule = {
  id: 'calico-tier-swallows',
  description: 'a Calico tier with defaultAction Deny and no Allow or Pass rule for a direction drops traffic a later tier or a Kubernetes NetworkPolicy allows',
  severity: 'warning',
  kinds: [...CALICO_KINDS, 'NetworkPolicy'],
  check(input: LintInput) {
    return input.scopes.flatMap((scope) => findingsOfScope(scope));
  },
};

function findingsOfScope(scope: PolicyScope): LintFinding[] {
  const sources = new Map<string, PolicySource>();
  for (const use of usesOf(scope)) sources.set(`${use.source.kind}:${use.namespace ?? ''}/${String((use.source.value.metadata as { name?: unknown } | undefined)?.name)}`, use.source);
  const tiers = new Map<string, { order: number; defaultAction: 'Deny' | 'Pass' }>([['default', { order: CALICO_DEFAULT_TIER_ORDER, defaultAction: 'Deny' }]]);
  const policies: { policy: CalicoPolicy; source: PolicySource }[] = [];
  const networkPolicies: PolicySource[] = [];
  for (const source of sources.values()) {
    if (source.kind === 'NetworkPolicy') networkPolicies.push(source);
    const object = calicoObjectOf(source);
    if (object?.kind === 'CalicoTier') tiers.set(object.metadata.name, { order: object.spec.order ?? Number.POSITIVE_INFINITY, defaultAction: object.spec.defaultAction });
    else if (object) policies.push({ policy: object, source });
  }
  const findings: LintFinding[] = [];
  for (const [name, tier] of tiers) {
    if (name === 'default' || tier.defaultAction !== 'Deny') continue;
    for (const direction of ['ingress', 'egress'] as const) {
      const inTier = policies.filter((p) => p.policy.spec.tier === name && p.policy.spec.types.includes(direction === 'ingress' ? 'Ingress' : 'Egress'));
      const first = inTier[0];
      if (!first || inTier.some((p) => p.policy.spec[direction].some((r) => r.action === 'Allow' || r.action === 'Pass'))) continue;
      const later = laterAllows(name, tier.order, direction, policies, networkPolicies, tiers);
      const hit = later.find((l) => !scope.topology || scope.topology.pods.some((pod) => l.selects(pod, scope.topology!) && inTier.some((p) => selectsPod(p.policy, pod, scope.topology!))));
      if (!hit) continue;
      findings.push({
        source: first.source,
        path: ['spec', 'tier'],
        message: `tier ${name} (defaultAction Deny) has no Allow or Pass rule for ${direction} in ${inTier.map((p) => p.policy.metadata.name).join(', ')}: all ${direction} traffic of the pods selected is dropped at the end of the tier, so ${hit.what} never allows any of it there; add a Pass rule (or defaultAction: Pass on the Tier) if later tiers should decide`,
      });
    }
  }
  return findings;
}

function laterAllows(tier: string, order: number, direction: Direction, policies: readonly { policy: CalicoPolicy }[], networkPolicies: readonly PolicySource[], tiers: ReadonlyMap<string, { order: number }>): LaterAllow[] {
  const isLater = (other: string): boolean => {
    const o = tiers.get(other)?.order;
    return o !== undefined && other !== tier && (o > order || (o === order && other > tier));
  };
  const calico = policies
    .filter((p) => isLater(p.policy.spec.tier) && p.policy.spec[direction].some((r) => r.action === 'Allow'))
    .map((p): LaterAllow => ({ what: `policy ${p.policy.metadata.name} (tier ${p.policy.spec.tier})`, selects: (pod, topology) => selectsPod(p.policy, pod, topology) }));
  const kubernetes = isLater('default') ? networkPolicies.flatMap((source) => kubernetesAllow(source, direction)) : [];
  return [...calico, ...kubernetes];
}

/** A Kubernetes NetworkPolicy with a rule of the direction: it allows something there (default tier, order 1000). */
function kubernetesAllow(source: PolicySource, direction: Direction): LaterAllow[] {
  const { metadata, spec } = source.value as { metadata?: { name?: unknown; namespace?: unknown }; spec?: Record<string, unknown> };
  const rules = spec?.[direction];
  const podSelector = asLabelSelector(spec?.podSelector);
  if (!Array.isArray(rules) || rules.length === 0 || !podSelector) return [];
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : undefined;
  return [{ what: `Kubernetes NetworkPolicy ${String(metadata?.name)} (default tier)`, selects: (pod) => (namespace === undefined || pod.namespace === namespace) && inAnyState(pod.labelStates, (l) => matchesSelector(podSelector, l)) }];
}

/** Whether a Calico policy applies to a pod in any of its label states, with the labels Calico adds. */
function selectsPod(policy: CalicoPolicy, pod: LintPod, topology: LintTopology): boolean {
  if (policy.kind === 'CalicoNetworkPolicy' && policy.metadata.namespace !== pod.namespace) return false;
  const nsSelector = policy.kind === 'CalicoGlobalNetworkPolicy' ? policy.spec.namespaceSelector : undefined;
  if (nsSelector && !inAnyState(topology.namespaces.get(pod.namespace) ?? [{}], (l) => matchesCalicoSelector(nsSelector, { ...l, 'projectcalico.org/name': pod.namespace }))) return false;
  return inAnyState(pod.labelStates, (l: Labels) => matchesCalicoSelector(policy.spec.selector, { ...l, 'projectcalico.org/namespace': pod.namespace, 'projectcalico.org/orchestrator': 'k8s' }));
}
