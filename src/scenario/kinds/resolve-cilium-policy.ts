import type { CiliumCidrRule, CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, CiliumRule, Topology } from '../../model/index.js';
import { resolveText } from '../resolve-policy.js';

/** Resolves the address placeholders of a Cilium policy's CIDR rules (`cidr` and `except`). */
export function resolveCiliumPolicy<P extends CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy>(policy: P, topology: Topology): P {
  const cidrs = (set: readonly CiliumCidrRule[] | undefined) => set?.map((c) => ({ cidr: resolveText(c.cidr, topology), except: c.except.map((e) => resolveText(e, topology)) }));
  const rule = (r: CiliumRule): CiliumRule => ({
    ...r,
    ...(r.ingress && { ingress: r.ingress.map((e) => (e.fromCIDRSet ? { ...e, fromCIDRSet: cidrs(e.fromCIDRSet)! } : e)) }),
    ...(r.ingressDeny && { ingressDeny: r.ingressDeny.map((e) => (e.fromCIDRSet ? { ...e, fromCIDRSet: cidrs(e.fromCIDRSet)! } : e)) }),
    ...(r.egress && { egress: r.egress.map((e) => (e.toCIDRSet ? { ...e, toCIDRSet: cidrs(e.toCIDRSet)! } : e)) }),
    ...(r.egressDeny && { egressDeny: r.egressDeny.map((e) => (e.toCIDRSet ? { ...e, toCIDRSet: cidrs(e.toCIDRSet)! } : e)) }),
  });
  return { ...policy, specs: policy.specs.map(rule) };
}
