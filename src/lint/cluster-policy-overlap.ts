import type { ClusterNetworkPolicyPeer, ClusterNetworkPolicyProtocol, ClusterNetworkPolicySubject, LabelSelector } from '../model/index.js';
import { cidrContains, parseCIDR, type ParsedCIDR } from '../model/cidr.js';

// Whether two ClusterNetworkPolicy parts can match the same traffic, without knowing the cluster:
// "no" only when the selectors, CIDRs or ports provably exclude each other; "maybe" otherwise.

/** What one key of a selector demands: a finite set of values, excluded values, presence or absence. */
interface KeyDemand {
  values?: Set<string>;
  readonly excluded: Set<string>;
  present: boolean;
  absent: boolean;
}

function demandsOf(selector: LabelSelector | undefined): Map<string, KeyDemand> {
  const demands = new Map<string, KeyDemand>();
  const of = (key: string): KeyDemand => {
    let d = demands.get(key);
    if (!d) demands.set(key, (d = { excluded: new Set(), present: false, absent: false }));
    return d;
  };
  const allow = (d: KeyDemand, values: readonly string[]): void => {
    d.present = true;
    d.values = new Set(d.values ? values.filter((v) => d.values?.has(v)) : values);
  };
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) allow(of(k), [v]);
  for (const req of selector?.matchExpressions ?? []) {
    const d = of(req.key);
    switch (req.operator) {
      case 'In':
        allow(d, req.values ?? []);
        break;
      case 'NotIn':
        for (const v of req.values ?? []) d.excluded.add(v);
        break;
      case 'Exists':
        d.present = true;
        break;
      case 'DoesNotExist':
        d.absent = true;
        break;
    }
  }
  return demands;
}

/** False only when no label set can satisfy both selectors (absent = matches everything). */
export function selectorsMayOverlap(a: LabelSelector | undefined, b: LabelSelector | undefined): boolean {
  const da = demandsOf(a);
  const db = demandsOf(b);
  for (const [key, x] of da) {
    const y = db.get(key);
    if (!y) continue;
    if ((x.present || y.present) && (x.absent || y.absent)) return false;
    if (x.values || y.values) {
      const candidates = [...(x.values ?? y.values ?? [])].filter((v) => (x.values?.has(v) ?? true) && (y.values?.has(v) ?? true));
      if (candidates.every((v) => x.excluded.has(v) || y.excluded.has(v))) return false;
    }
  }
  return true;
}

type Pods = { readonly namespaces: LabelSelector | undefined; readonly pods: LabelSelector | undefined };

function podsOf(part: ClusterNetworkPolicySubject | ClusterNetworkPolicyPeer): Pods | undefined {
  if ('namespaces' in part) return { namespaces: part.namespaces, pods: undefined };
  if ('pods' in part) return { namespaces: part.pods.namespaceSelector, pods: part.pods.podSelector };
  return undefined;
}

/** Whether two subjects (or pod peers) can select a common pod. */
export function podsMayOverlap(a: ClusterNetworkPolicySubject | ClusterNetworkPolicyPeer, b: ClusterNetworkPolicySubject | ClusterNetworkPolicyPeer): boolean {
  const pa = podsOf(a);
  const pb = podsOf(b);
  if (!pa || !pb) return false;
  return selectorsMayOverlap(pa.namespaces, pb.namespaces) && selectorsMayOverlap(pa.pods, pb.pods);
}

function cidrsMayOverlap(a: readonly string[], b: readonly string[]): boolean {
  const parsed = (list: readonly string[]): (ParsedCIDR | undefined)[] => list.map(parseCIDR);
  const inside = (x: ParsedCIDR, y: ParsedCIDR): boolean => x.family === y.family && x.prefix <= y.prefix && cidrContains(x, y.network);
  // An unparsed entry (a placeholder in a manifest) may be anything.
  return parsed(a).some((x) => parsed(b).some((y) => !x || !y || inside(x, y) || inside(y, x)));
}

/** Whether two peers can match a common address (pod IPs lie inside networks; node IPs are no pod IPs). */
export function peersMayOverlap(a: ClusterNetworkPolicyPeer, b: ClusterNetworkPolicyPeer): boolean {
  if (podsOf(a) && podsOf(b)) return podsMayOverlap(a, b);
  if ('networks' in a && 'networks' in b) return cidrsMayOverlap(a.networks, b.networks);
  if ('networks' in a || 'networks' in b) return true;
  if ('nodes' in a && 'nodes' in b) return selectorsMayOverlap(a.nodes, b.nodes);
  return 'domainNames' in a && 'domainNames' in b;
}

type PortRange = { readonly protocol: string; readonly start: number; readonly end: number } | 'named';

function rangeOf(entry: ClusterNetworkPolicyProtocol): PortRange {
  if ('destinationNamedPort' in entry) return 'named';
  const [protocol, { destinationPort }] = Object.entries(entry)[0] as [string, { destinationPort: { number?: number; range?: { start: number; end: number } } }];
  const number = destinationPort.number;
  return number !== undefined ? { protocol, start: number, end: number } : { protocol, start: destinationPort.range?.start ?? 1, end: destinationPort.range?.end ?? 65535 };
}

/** Whether two rules' protocols can match a common (protocol, port); absent protocols match all. */
export function protocolsMayOverlap(a: readonly ClusterNetworkPolicyProtocol[] | undefined, b: readonly ClusterNetworkPolicyProtocol[] | undefined): boolean {
  if (!a || !b) return true;
  return a.map(rangeOf).some((x) => b.map(rangeOf).some((y) => x === 'named' || y === 'named' || (x.protocol === y.protocol && x.start <= y.end && y.start <= x.end)));
}
