import type { IPBlock, NetworkPolicy, NetworkPolicyPeer, Topology } from '../model/index.js';
import { parsePlaceholder, resolvePlaceholder } from './placeholder.js';

/** Resolves the ipBlock placeholders of a NetworkPolicy against a topology's addresses (planned or real). */
export function resolveNetworkPolicy(policy: NetworkPolicy, topology: Topology): NetworkPolicy {
  const spec = policy.spec;
  return {
    ...policy,
    spec: {
      ...spec,
      ...(spec.ingress && { ingress: spec.ingress.map((r) => ({ ...r, ...(r.from && { from: r.from.map((p) => resolvePeer(p, topology)) }) })) }),
      ...(spec.egress && { egress: spec.egress.map((r) => ({ ...r, ...(r.to && { to: r.to.map((p) => resolvePeer(p, topology)) }) })) }),
    },
  };
}

function resolvePeer(peer: NetworkPolicyPeer, topology: Topology): NetworkPolicyPeer {
  if (!peer.ipBlock) return peer;
  const block: IPBlock = {
    cidr: resolveText(peer.ipBlock.cidr, topology),
    ...(peer.ipBlock.except && { except: peer.ipBlock.except.map((e) => resolveText(e, topology)) }),
  };
  return { ...peer, ipBlock: block };
}

/** A CIDR text with its placeholder (if any) resolved against a topology. */
export function resolveText(text: string, topology: Topology): string {
  const p = parsePlaceholder(text);
  if (p === undefined) return text;
  if ('error' in p) throw new Error(p.error);
  return resolvePlaceholder(p, topology);
}
