/**
 * Istio's `security.istio.io/v1` AuthorizationPolicy (docs/l7-policy.md), as written: values stay
 * strings here (each oracle compiles them its own way: the engine with `model/l7` matchers, the netns
 * datapath to its proxy's ACLs). Absent lists are absent (not empty): an empty list is rejected at
 * load, as istiod rejects it.
 */
import type { PolicyRef } from './network-policy.js';

/** The namespace whose policies apply to workloads of every namespace (Istio's default root namespace). */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';

/** The annotation that makes a policy evaluated and logged, never enforced. */
export const ISTIO_DRY_RUN_ANNOTATION = 'istio.io/dry-run';

/**
 * netseg's annotation stating what a CUSTOM policy's external authorizer answers for the requests its rules
 * match: `allow` or `deny`. Without it a CUSTOM policy's cells are unsupported (netseg runs no authorizer).
 */
export const ISTIO_CUSTOM_VERDICT_ANNOTATION = 'netseg.io/custom-verdict';

/** The verdict a CUSTOM policy's annotation states, or undefined when it states none. */
export function customVerdictOf(policy: AuthorizationPolicy): 'allow' | 'deny' | undefined {
  const v = policy.metadata.annotations?.[ISTIO_CUSTOM_VERDICT_ANNOTATION];
  return v === 'allow' || v === 'deny' ? v : undefined;
}

/** An AuthorizationPolicy action; absent in the input = ALLOW. */
export type IstioAction = 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';

/** `rules[].from[].source`: every field given must match (list values ORed); `not*` fields must not. */
export interface IstioSource {
  readonly principals?: readonly string[];
  readonly notPrincipals?: readonly string[];
  readonly requestPrincipals?: readonly string[];
  readonly notRequestPrincipals?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly notNamespaces?: readonly string[];
  readonly serviceAccounts?: readonly string[];
  readonly notServiceAccounts?: readonly string[];
  readonly ipBlocks?: readonly string[];
  readonly notIpBlocks?: readonly string[];
  readonly remoteIpBlocks?: readonly string[];
  readonly notRemoteIpBlocks?: readonly string[];
}

/** `rules[].to[].operation`: hosts, ports, methods and paths (HTTP-only except ports). */
export interface IstioOperation {
  readonly hosts?: readonly string[];
  readonly notHosts?: readonly string[];
  readonly ports?: readonly string[];
  readonly notPorts?: readonly string[];
  readonly methods?: readonly string[];
  readonly notMethods?: readonly string[];
  readonly paths?: readonly string[];
  readonly notPaths?: readonly string[];
}

/** `rules[].when[]`: the attribute `key` must have one of `values` and none of `notValues`. */
export interface IstioCondition {
  readonly key: string;
  readonly values?: readonly string[];
  readonly notValues?: readonly string[];
}

/** One rule: matches when one `from` source, one `to` operation and every `when` condition match (an absent part matches). */
export interface IstioRule {
  readonly from?: readonly { readonly source: IstioSource }[];
  readonly to?: readonly { readonly operation: IstioOperation }[];
  readonly when?: readonly IstioCondition[];
}

/** A `targetRefs` entry (gateways, waypoints, Services); netseg reports policies using them unsupported. */
export interface IstioTargetRef {
  readonly group?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** An AuthorizationPolicy. `rules` absent matches nothing; `[{}]` matches every request. */
export interface AuthorizationPolicy {
  readonly apiVersion: 'security.istio.io/v1' | 'security.istio.io/v1beta1';
  readonly kind: 'AuthorizationPolicy';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: {
    /** `matchLabels` only, as Istio's WorkloadSelector; absent = every workload of the namespace (of the mesh, in the root namespace). */
    readonly selector?: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly targetRefs?: readonly IstioTargetRef[];
    /** Settled at load: ALLOW when not written. */
    readonly action: IstioAction;
    /** CUSTOM only: the external authorizer's name. */
    readonly provider?: { readonly name: string };
    readonly rules?: readonly IstioRule[];
  };
}

/** True when the policy carries `istio.io/dry-run: "true"` (evaluated, not enforced). */
export function isDryRun(policy: AuthorizationPolicy): boolean {
  return policy.metadata.annotations?.[ISTIO_DRY_RUN_ANNOTATION] === 'true';
}

/** Provenance reference: "AuthorizationPolicy/ns/name". */
export function authorizationPolicyRefOf(policy: AuthorizationPolicy): PolicyRef {
  return `AuthorizationPolicy/${policy.metadata.namespace}/${policy.metadata.name}`;
}
