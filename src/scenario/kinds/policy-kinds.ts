import { z } from 'zod';
import { POLICY_KINDS, type PolicyKind, type PolicyObject, type Topology } from '../../model/index.js';
import { ciliumClusterwideNetworkPolicyKind } from './cilium-clusterwide-network-policy-kind.js';
import { ciliumNetworkPolicyKind } from './cilium-network-policy-kind.js';
import { calicoGlobalNetworkPolicyKind } from './calico-global-network-policy-kind.js';
import { calicoNetworkPolicyKind } from './calico-network-policy-kind.js';
import { calicoTierKind } from './calico-tier-kind.js';
import { authorizationPolicyKind } from './istio-authorization-policy-kind.js';
import { clusterNetworkPolicyKind } from './cluster-network-policy-kind.js';
import { networkPolicyKind } from './network-policy-kind.js';
import type { IssueList } from '../issue-list.js';
import type { LocatedPolicyOf, PolicyKindModule, Requirement } from './policy-kind-module.js';

// The one list of policy kinds the input side supports. A mapped type, so a member added to
// `PolicyObject` without a decision here is a compile error; `null` = not loadable yet (a document of
// that kind is an input error listing the supported kinds).
const MODULES: { readonly [K in PolicyKind]: PolicyKindModule<K> | null } = {
  NetworkPolicy: networkPolicyKind,
  ClusterNetworkPolicy: clusterNetworkPolicyKind,
  CalicoNetworkPolicy: calicoNetworkPolicyKind,
  CalicoGlobalNetworkPolicy: calicoGlobalNetworkPolicyKind,
  CalicoTier: calicoTierKind,
  CiliumNetworkPolicy: ciliumNetworkPolicyKind,
  CiliumClusterwideNetworkPolicy: ciliumClusterwideNetworkPolicyKind,
  AuthorizationPolicy: authorizationPolicyKind,
};

/** Every kind module, in `POLICY_KINDS` order. */
export const POLICY_KIND_MODULES: readonly PolicyKindModule[] = POLICY_KINDS.flatMap((k) => {
  const module = MODULES[k];
  return module ? [module as PolicyKindModule] : [];
});

/** The module of a kind. */
export function kindModule<K extends PolicyKind>(kind: K): PolicyKindModule<K> {
  const module = MODULES[kind];
  // Unreachable for loaded input: a kind without a module never loads.
  if (!module) throw new Error(`no scenario module for policy kind ${kind}`);
  return module;
}

/** The module of a policy object's kind. */
export function moduleOfPolicy<P extends PolicyObject>(policy: P): PolicyKindModule<P['kind']> {
  return kindModule(policy.kind as P['kind']);
}

/** "NetworkPolicy (networking.k8s.io/v1), …": what messages list as supported. */
export function supportedKindsText(): string {
  return POLICY_KIND_MODULES.map((m) => `${m.manifestKind} (${m.apiVersions.join(', ')})`).join(', ');
}

/**
 * The module for a document's (apiVersion, kind): an exact match, else the first module of that
 * kind name (its schema then reports the apiVersion); undefined when no module has the kind.
 */
export function moduleOfDocument(value: unknown): PolicyKindModule | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { apiVersion, kind } = value as { apiVersion?: unknown; kind?: unknown };
  const named = POLICY_KIND_MODULES.filter((m) => m.manifestKind === kind);
  // Several modules of one kind name (Kubernetes' and Calico's NetworkPolicy) and no apiVersion match: the
  // first (Kubernetes') schema reports the apiVersion, as it did before Calico's kind was added.
  return named.find((m) => typeof apiVersion === 'string' && m.apiVersions.includes(apiVersion)) ?? named[0];
}

/** A module's document schema whose `kind` error lists every supported kind (used by check and the JSON Schema). */
export function documentSchemaOf(module: PolicyKindModule): z.ZodObject {
  const message = (issue: { input?: unknown }): string =>
    `${issue.input === undefined ? 'kind is missing' : `kind ${JSON.stringify(issue.input)} is not a supported policy kind`}; supported: ${supportedKindsText()}`;
  return module.schema.extend({ kind: z.literal(module.manifestKind, { error: message }) });
}

/**
 * The names a `delete: { kind }` accepts: every kind, and the manifest kind where only one module
 * has it (`GlobalNetworkPolicy`, `Tier`). Calico's `NetworkPolicy` shares its manifest kind with
 * Kubernetes', so it is deleted as `CalicoNetworkPolicy`.
 */
export function deleteKindNames(): readonly string[] {
  return [...POLICY_KIND_MODULES.map((m) => m.kind), ...POLICY_KIND_MODULES.filter(isOnlyOfManifestKind).map((m) => m.manifestKind)].filter((n, i, all) => all.indexOf(n) === i);
}

/** The kind a `delete: { kind }` name means (see `deleteKindNames`). */
export function kindOfDeleteName(name: string): PolicyKind | undefined {
  return POLICY_KIND_MODULES.find((m) => m.kind === name)?.kind ?? POLICY_KIND_MODULES.filter(isOnlyOfManifestKind).find((m) => m.manifestKind === name)?.kind;
}

function isOnlyOfManifestKind(module: PolicyKindModule): boolean {
  return module.manifestKind !== module.kind && POLICY_KIND_MODULES.filter((m) => m.manifestKind === module.manifestKind).length === 1;
}

/** The objects a policy needs to exist while it exists (a Calico policy's Tier). */
export function requirementsOf(policy: PolicyObject): readonly Requirement[] {
  return moduleOfPolicy(policy).requires?.(policy as never) ?? [];
}

/** Runs the semantic checks of a located policy's kind module. */
export function validatePolicyObject(located: LocatedPolicyOf<PolicyObject>, topology: Topology, issues: IssueList): void {
  moduleOfPolicy(located.policy).validate(located as LocatedPolicyOf<never>, topology, issues);
}

/** Resolves the address placeholders of any policy object through its kind module. */
export function resolvePolicyObject<P extends PolicyObject>(policy: P, topology: Topology): P {
  return moduleOfPolicy(policy).resolve(policy as never, topology) as unknown as P;
}
