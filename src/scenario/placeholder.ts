import ipaddr from 'ipaddr.js';
import type { PodRef, Topology } from '../model/index.js';

/** A placeholder in an ipBlock string, e.g. `{{podIP x/a}}`, `{{podNet x/a 24}}`, `{{externalIP metadata}}`. */
export type Placeholder =
  | { readonly kind: 'podIP'; readonly ref: PodRef }
  | { readonly kind: 'podNet'; readonly ref: PodRef; readonly prefix: number }
  | { readonly kind: 'externalIP'; readonly name: string };

const WHOLE = /^\{\{\s*(podIP|podNet|externalIP)\s+([^\s{}]+)(?:\s+(\d+))?\s*\}\}$/;

/**
 * Parses a placeholder: the placeholder, `undefined` when the text holds none, or an error message
 * when it holds a malformed one (a placeholder must be the whole value).
 */
export function parsePlaceholder(text: string): Placeholder | { readonly error: string } | undefined {
  if (!text.includes('{{') && !text.includes('}}')) return undefined;
  const m = WHOLE.exec(text.trim());
  if (!m) return { error: `malformed placeholder "${text}" (expected the whole value to be {{podIP ns/pod}}, {{podNet ns/pod N}} or {{externalIP name}})` };
  const [, kind, arg, prefix] = m as unknown as [string, string, string, string | undefined];
  switch (kind) {
    case 'podIP':
      if (prefix !== undefined) return { error: `{{podIP}} takes only a pod: "${text}"` };
      if (!isPodRefText(arg)) return { error: `{{podIP}} needs a pod "namespace/pod", got "${arg}"` };
      return { kind: 'podIP', ref: arg as PodRef };
    case 'podNet':
      if (prefix === undefined) return { error: `{{podNet}} needs a prefix length, e.g. {{podNet ${arg} 24}}` };
      if (!isPodRefText(arg)) return { error: `{{podNet}} needs a pod "namespace/pod", got "${arg}"` };
      return { kind: 'podNet', ref: arg as PodRef, prefix: Number(prefix) };
    default:
      if (prefix !== undefined) return { error: `{{externalIP}} takes only an external host name: "${text}"` };
      return { kind: 'externalIP', name: arg };
  }
}

/** Resolves a placeholder to a CIDR against a topology's addresses; throws when the peer is unknown (loading validates that). */
export function resolvePlaceholder(p: Placeholder, topology: Topology): string {
  switch (p.kind) {
    case 'podIP':
      return hostRoute(podIP(topology, p.ref));
    case 'podNet': {
      const ip = podIP(topology, p.ref);
      const cidr = `${ip}/${p.prefix}`;
      const net = ipaddr.parse(ip).kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
      return `${net.toString()}/${p.prefix}`;
    }
    case 'externalIP': {
      const ext = topology.externals.find((e) => e.name === p.name);
      if (!ext) throw new Error(`unknown external host in placeholder: ${p.name}`);
      return hostRoute(ext.ip);
    }
  }
}

function podIP(topology: Topology, ref: PodRef): string {
  const pod = topology.pods.find((q) => `${q.namespace}/${q.name}` === ref);
  if (!pod) throw new Error(`unknown pod in placeholder: ${ref}`);
  return pod.ip;
}

function hostRoute(ip: string): string {
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}

function isPodRefText(text: string): boolean {
  return /^[^/\s]+\/[^/\s]+$/.test(text);
}
