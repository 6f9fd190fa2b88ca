import type { CalicoEntityRule, CalicoGlobalNetworkPolicy, CalicoNetworkPolicy, CalicoRule, Topology } from '../../model/index.js';
import { resolveText } from '../resolve-policy.js';

/** Resolves the `nets` / `notNets` placeholders (`{{podIP x/a}}` …) of a Calico policy's rules against a topology. */
export function resolveCalicoPolicy<P extends CalicoNetworkPolicy | CalicoGlobalNetworkPolicy>(policy: P, topology: Topology): P {
  const rule = (r: CalicoRule): CalicoRule => ({ ...r, ...(r.source && { source: entity(r.source, topology) }), ...(r.destination && { destination: entity(r.destination, topology) }) });
  return { ...policy, spec: { ...policy.spec, ingress: policy.spec.ingress.map(rule), egress: policy.spec.egress.map(rule) } };
}

function entity(e: CalicoEntityRule, topology: Topology): CalicoEntityRule {
  return {
    ...e,
    ...(e.nets && { nets: e.nets.map((n) => resolveText(n, topology)) }),
    ...(e.notNets && { notNets: e.notNets.map((n) => resolveText(n, topology)) }),
  };
}
