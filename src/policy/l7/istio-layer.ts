import { serviceAccountOf, type L7Explanation, type PeerRef, type PodSpec, type PolicyRef, type Topology } from '../../model/index.js';
import { DEFAULT_TRUST_DOMAIN, type SourceIdentity } from '../../model/l7/index.js';
import type { CompiledAuthorizationPolicy, IstioAttributes } from './compile-authorization-policies.js';
import { policyMatch } from './istio-rule-match.js';
import type { L7Flow, L7Layer } from './l7-layer.js';

/** The layer's name in explanations and reports. */
export const ISTIO_LAYER = 'AuthorizationPolicy';

type Stage = { readonly decision: 'deny'; readonly policy: CompiledAuthorizationPolicy; readonly reason: string } | { readonly decision: 'unsupported'; readonly policies: readonly PolicyRef[]; readonly reason: string } | undefined;

/**
 * Istio's sidecar at the destination pod (docs/l7-policy.md): the AuthorizationPolicies selecting the
 * workload, evaluated CUSTOM → DENY → ALLOW. A cell is denied when any stage surely denies, unsupported
 * when none does but one cannot be evaluated (a CUSTOM provider without a stated verdict, a JWT or
 * forwarded-address attribute, a policy attached by targetRefs), else allowed; AUDIT never decides and
 * dry-run policies are evaluated and shown, not enforced. Every non-system pod is in the mesh (a sidecar
 * and an identity from its service account); system pods and externals are not: no sidecar judges
 * traffic to them, and an external source has no identity (only ipBlocks can match it).
 */
export class IstioLayer implements L7Layer {
  readonly name = ISTIO_LAYER;
  /** The destination's sidecar: after source-side proxies (none for Istio: a sidecar authorizes inbound only). */
  readonly rank = 100;
  readonly #pods = new Map<PeerRef, PodSpec>();
  readonly #selecting = new Map<PeerRef, readonly CompiledAuthorizationPolicy[]>();
  readonly #trustDomain = DEFAULT_TRUST_DOMAIN;

  constructor(
    readonly policies: readonly CompiledAuthorizationPolicy[],
    topology: Topology,
  ) {
    for (const pod of topology.pods) this.#pods.set(`${pod.namespace}/${pod.name}`, pod);
  }

  judge(flow: L7Flow): L7Explanation | undefined {
    const pod = this.#pods.get(flow.destination);
    if (!pod || pod.system) return undefined;
    const selecting = this.#selectingOf(flow.destination, pod);
    if (selecting.length === 0) return undefined;
    if (flow.http && flow.request === undefined) {
      return { layer: ISTIO_LAYER, decision: 'no-decision', policies: selecting.map((p) => p.ref), reason: `the sidecar accepts HTTP connections on ${flow.port} and authorizes each request (${refs(selecting)})` };
    }
    const source = this.#pods.get(flow.source);
    const identity: SourceIdentity | undefined = source && !source.system ? { trustDomain: this.#trustDomain, namespace: source.namespace, serviceAccount: serviceAccountOf(source) } : undefined;
    const attributes: IstioAttributes = {
      sourceIp: flow.sourceIp,
      identity,
      destinationIp: flow.destinationIp,
      port: flow.port,
      ...(flow.request && { request: { method: flow.request.method, path: flow.request.path, host: flow.host ?? '', headers: flow.request.headers } }),
    };
    const what = flow.request ? flow.request.id : `the TCP connection to ${flow.port}`;
    const tcp = flow.request === undefined;
    const enforced = selecting.filter((p) => !p.dryRun);
    const outcome = decide(enforced, attributes, tcp, what);
    const dryRun = dryRunText(selecting.filter((p) => p.dryRun), attributes, tcp, what);
    return { ...outcome, reason: outcome.reason + dryRun };
  }

  #selectingOf(ref: PeerRef, pod: PodSpec): readonly CompiledAuthorizationPolicy[] {
    let selecting = this.#selecting.get(ref);
    if (!selecting) {
      selecting = this.policies.filter((p) => (p.meshWide || p.namespace === pod.namespace) && selects(p, pod));
      this.#selecting.set(ref, selecting);
    }
    return selecting;
  }
}

/** matchLabels ⊆ the pod's labels; absent selector = every workload in scope. A targetRefs policy is scoped by its namespace alone. */
function selects(p: CompiledAuthorizationPolicy, pod: PodSpec): boolean {
  return p.matchLabels === undefined || Object.entries(p.matchLabels).every(([k, v]) => pod.labels[k] === v);
}

/** The three stages over the enforced policies; any sure deny wins over what could not be evaluated. */
function decide(policies: readonly CompiledAuthorizationPolicy[], a: IstioAttributes, tcp: boolean, what: string): Omit<L7Explanation, 'layer'> & { layer: string } {
  const stages = [customStage(policies, a, tcp, what), denyStage(policies, a, tcp, what)];
  const allows = policies.filter((p) => p.action === 'ALLOW');
  const allowMatch = allows.map((p) => ({ p, m: policyMatch(p, a, tcp) }));
  const allowed = allowMatch.find((x) => x.m !== false && 'rule' in x.m);
  const allowUnknown = allowMatch.find((x) => x.m !== false && 'unknown' in x.m);
  if (allows.length > 0 && !allowed && !allowUnknown) {
    stages.push({ decision: 'deny', policy: allows[0]!, reason: `${allows.length === 1 ? `ALLOW policy ${nameOf(allows[0]!)}` : `ALLOW policies ${refs(allows)}`} ${allows.length === 1 ? 'has' : 'have'} no rule matching ${what}${tcp && allows.some((p) => hasHttpOnly(p)) ? ' (rules with HTTP-only fields are ignored on TCP)' : ''}` });
  } else if (!allowed && allowUnknown) {
    stages.push({ decision: 'unsupported', policies: [allowUnknown.p.ref], reason: `ALLOW policy ${nameOf(allowUnknown.p)}: ${(allowUnknown.m as { unknown: string }).unknown}` });
  }
  const denied = stages.find((s) => s?.decision === 'deny');
  if (denied?.decision === 'deny') return { layer: ISTIO_LAYER, decision: 'deny', policies: denied.policy.action === 'ALLOW' ? allows.map((p) => p.ref) : [denied.policy.ref], reason: `${denied.reason} → ${tcp ? 'connection closed' : `${what} denied`}` };
  const targeted = policies.find((p) => p.targeted);
  if (targeted) stages.push({ decision: 'unsupported', policies: [targeted.ref], reason: `${nameOf(targeted)} attaches by targetRefs (a gateway or waypoint), which netseg does not evaluate` });
  const unsupported = stages.find((s) => s?.decision === 'unsupported');
  if (unsupported?.decision === 'unsupported') return { layer: ISTIO_LAYER, decision: 'unsupported', policies: unsupported.policies, reason: unsupported.reason };
  if (allowed) return { layer: ISTIO_LAYER, decision: 'allow', policies: [allowed.p.ref], reason: `${nameOf(allowed.p)} rule ${(allowed.m as { rule: number }).rule} allows ${what}` };
  return { layer: ISTIO_LAYER, decision: 'allow', policies: [], reason: `no ALLOW policy selects the workload and no DENY policy matches ${what}` };
}

function customStage(policies: readonly CompiledAuthorizationPolicy[], a: IstioAttributes, tcp: boolean, what: string): Stage {
  let unsupported: Stage;
  for (const p of policies.filter((x) => x.action === 'CUSTOM')) {
    const m = policyMatch(p, a, tcp);
    if (m === false) continue;
    if ('unknown' in m) unsupported ??= { decision: 'unsupported', policies: [p.ref], reason: `CUSTOM policy ${nameOf(p)}: ${m.unknown}` };
    else if (p.customVerdict === 'deny') return { decision: 'deny', policy: p, reason: `CUSTOM policy ${nameOf(p)} rule ${m.rule} sends ${what} to its provider, which denies it (netseg.io/custom-verdict)` };
    else if (p.customVerdict === undefined) unsupported ??= { decision: 'unsupported', policies: [p.ref], reason: `CUSTOM policy ${nameOf(p)} sends ${what} to an external authorizer whose verdict the scenario does not state (annotation netseg.io/custom-verdict)` };
  }
  return unsupported;
}

function denyStage(policies: readonly CompiledAuthorizationPolicy[], a: IstioAttributes, tcp: boolean, what: string): Stage {
  let unsupported: Stage;
  for (const p of policies.filter((x) => x.action === 'DENY')) {
    const m = policyMatch(p, a, tcp);
    if (m === false) continue;
    if ('rule' in m) return { decision: 'deny', policy: p, reason: `DENY policy ${nameOf(p)} rule ${m.rule} matches ${what}${tcp && hasHttpOnly(p) ? ' (HTTP-only fields count as matched on TCP)' : ''}` };
    unsupported ??= { decision: 'unsupported', policies: [p.ref], reason: `DENY policy ${nameOf(p)}: ${m.unknown}` };
  }
  return unsupported;
}

/** "; dry-run shop/x would deny" for each dry-run policy whose stage would change the verdict's direction. */
function dryRunText(policies: readonly CompiledAuthorizationPolicy[], a: IstioAttributes, tcp: boolean, what: string): string {
  if (policies.length === 0) return '';
  const parts = policies.map((p) => {
    const m = policyMatch(p, a, tcp);
    const matched = m !== false && 'rule' in m;
    const verdict = m !== false && 'unknown' in m ? 'cannot be evaluated' : p.action === 'ALLOW' ? (matched ? 'would allow' : 'would not allow') : p.action === 'DENY' ? (matched ? 'would deny' : 'would not deny') : matched ? 'matches' : 'does not match';
    return `dry-run ${p.action} policy ${nameOf(p)} ${verdict} ${what}`;
  });
  return ` (${parts.join('; ')}; not enforced)`;
}

function hasHttpOnly(p: CompiledAuthorizationPolicy): boolean {
  return (p.rules ?? []).some((r) => [...r.sources.flat(), ...r.operations.flat(), ...r.conditions].some((c) => c.httpOnly));
}

function nameOf(p: CompiledAuthorizationPolicy): string {
  return `${p.namespace}/${p.name}`;
}

function refs(ps: readonly CompiledAuthorizationPolicy[]): string {
  return ps.map(nameOf).join(', ');
}
