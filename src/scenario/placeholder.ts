import ipaddr from 'ipaddr.js';
import { familyView, topologyFamilies, type IpFamily, type PodRef, type Topology } from '../model/index.js';

/**
 * A placeholder in an ipBlock string, e.g. `{{podIP x/a}}`, `{{podNet x/a 24}}`, `{{externalIP metadata}}`;
 * a trailing family (`{{podIP x/a IPv6}}`) takes that family's address of a dual-stack topology, the
 * primary family's otherwise.
 */
export type Placeholder = (
  | { readonly kind: 'podIP'; readonly ref: PodRef }
  | { readonly kind: 'podNet'; readonly ref: PodRef; readonly prefix: number }
  | { readonly kind: 'externalIP'; readonly name: string }
) & { readonly family?: IpFamily };

const WHOLE = /^\{\{\s*(podIP|podNet|externalIP)\s+([^\s{}]+)(?:\s+(\d+))?(?:\s+(IPv4|IPv6))?\s*\}\}$/;

/**
 * Parses a placeholder: the placeholder, `undefined` when the text holds none, or an error message
 * when it holds a malformed one (a placeholder must be the whole value).
 */
export function parsePlaceholder(text: string): Placeholder | { readonly error: string } | undefined {
  if (!text.includes('{{') && !text.includes('}}')) return undefined;
  const m = WHOLE.exec(text.trim());
  if (!m) return { error: `malformed placeholder "${text}" (expected the whole value to be {{podIP ns/pod}}, {{podNet ns/pod N}} or {{externalIP name}})` };
  const [, kind, arg, prefix, family] = m as unknown as [string, string, string, string | undefined, IpFamily | undefined];
  const tag = family === undefined ? {} : { family };
  switch (kind) {
    case 'podIP':
      if (prefix !== undefined) return { error: `{{podIP}} takes only a pod (and a family): "${text}"` };
      if (!isPodRefText(arg)) return { error: `{{podIP}} needs a pod "namespace/pod", got "${arg}"` };
      return { kind: 'podIP', ref: arg as PodRef, ...tag };
    case 'podNet':
      if (prefix === undefined) return { error: `{{podNet}} needs a prefix length, e.g. {{podNet ${arg} 24}}` };
      if (!isPodRefText(arg)) return { error: `{{podNet}} needs a pod "namespace/pod", got "${arg}"` };
      return { kind: 'podNet', ref: arg as PodRef, prefix: Number(prefix), ...tag };
    default:
      if (prefix !== undefined) return { error: `{{externalIP}} takes only an external host name (and a family): "${text}"` };
      return { kind: 'externalIP', name: arg, ...tag };
  }
}

/** The topology whose addresses a placeholder takes: its family's view; throws when the topology lacks that family (loading validates it). */
export function placeholderTopology(p: Placeholder, topology: Topology): Topology {
  if (p.family === undefined) return topology;
  if (!topologyFamilies(topology).includes(p.family)) throw new Error(`placeholder asks for ${p.family}, which the topology does not have`);
  return familyView(topology, p.family);
}

/** Resolves a placeholder to a CIDR against a topology's addresses; throws when the peer is unknown (loading validates that). */
export function resolvePlaceholder(p: Placeholder, scenarioTopology: Topology): string {
  const topology = placeholderTopology(p, scenarioTopology);
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
