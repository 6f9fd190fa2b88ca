import { parseDocument } from 'yaml';
import type { IpFamily } from '../../model/index.js';

/** kind's `networking.ipFamily`. */
export type KindIpFamily = 'ipv4' | 'ipv6' | 'dual';

/** kind's defaults per family (kind's default.go), which the CNI pools below must equal. */
export const KIND_SUBNETS = {
  pod: { IPv4: '10.244.0.0/16', IPv6: 'fd00:10:244::/56' },
  service: { IPv4: '10.96.0.0/16', IPv6: 'fd00:10:96::/112' },
} as const;

/** The cluster a run needs: dual-stack when its scenarios use both families (together or apart), else the one they use. */
export function kindIpFamily(families: ReadonlySet<IpFamily> | undefined): KindIpFamily {
  const v6 = families?.has('IPv6') ?? false;
  const v4 = families === undefined || families.size === 0 || families.has('IPv4');
  return v6 ? (v4 ? 'dual' : 'ipv6') : 'ipv4';
}

function subnets(family: KindIpFamily, kind: 'pod' | 'service'): string {
  const s = KIND_SUBNETS[kind];
  return family === 'dual' ? `${s.IPv4},${s.IPv6}` : family === 'ipv6' ? s.IPv6 : s.IPv4;
}

/**
 * A shipped kind config (clusters/kind-<cni>/kind-config.yaml) for another family: `ipFamily` and
 * both subnets set (comma-separated for dual, as kind takes them), comments and the rest kept.
 */
export function kindConfigFor(configText: string, family: KindIpFamily): string {
  const doc = parseDocument(configText);
  doc.setIn(['networking', 'ipFamily'], family);
  doc.setIn(['networking', 'podSubnet'], subnets(family, 'pod'));
  doc.setIn(['networking', 'serviceSubnet'], subnets(family, 'service'));
  return doc.toString();
}

/**
 * Calico's Installation (clusters/kind-calico/custom-resources.yaml) for another family: an IPv6
 * pool equal to kind's IPv6 podSubnet next to (dual) or instead of (ipv6) the IPv4 one. IPv6 pools
 * take VXLAN or no encapsulation (not IPIP), /122 blocks as Calico's own IPv6 default.
 */
export function calicoResourcesFor(resourcesText: string, family: KindIpFamily): string {
  const doc = parseDocument(resourcesText);
  const pools = (doc.getIn(['spec', 'calicoNetwork', 'ipPools']) as { toJSON(): unknown[] } | undefined)?.toJSON() ?? [];
  const v6 = { name: 'default-ipv6-ippool', blockSize: 122, cidr: KIND_SUBNETS.pod.IPv6, encapsulation: 'VXLAN', natOutgoing: 'Enabled', nodeSelector: 'all()' };
  const next = family === 'ipv4' ? pools : family === 'dual' ? [...pools, v6] : [v6];
  doc.setIn(['spec', 'calicoNetwork', 'ipPools'], doc.createNode(next));
  return doc.toString();
}

/** Cilium's Helm switches for a family (its chart enables IPv4 only by default). */
export function ciliumFamilyValues(family: KindIpFamily): string[] {
  switch (family) {
    case 'ipv4':
      return [];
    case 'dual':
      return ['--set', 'ipv6.enabled=true'];
    case 'ipv6':
      return ['--set', 'ipv6.enabled=true', '--set', 'ipv4.enabled=false'];
  }
}
