import {
  NAMESPACE_NAME_LABEL,
  type CellKey,
  type ContainerPort,
  type ExternalHost,
  type Labels,
  type NetworkPolicy,
  type NetworkPolicySpec,
  type PeerRef,
  type PodRef,
  type PodSpec,
  type Protocol,
  type TargetKind,
  type Topology,
} from '../../src/model/index.js';

/** Options of the test grid: namespaces × pods, each pod labelled pod=<name>. */
export interface GridOptions {
  readonly namespaces?: readonly string[];
  readonly pods?: readonly string[];
  /** Ports every pod serves (default 80 and 81 on TCP and UDP, named serve-<port>-<proto>). */
  readonly ports?: readonly ContainerPort[];
  readonly namespaceLabels?: Readonly<Record<string, Labels>>;
  /** Extra labels per pod ref. */
  readonly podLabels?: Readonly<Record<PodRef, Labels>>;
  /** Replaces the ports of some pods. */
  readonly podPorts?: Readonly<Record<PodRef, readonly ContainerPort[]>>;
  /** Replaces the IP of some pods. */
  readonly podIPs?: Readonly<Record<PodRef, string>>;
  readonly externals?: readonly ExternalHost[];
  /** Adds kube-system/coredns (k8s-app=kube-dns, 53/UDP+TCP); default true. */
  readonly dns?: boolean;
}

/** Default grid ports: 80 and 81 on TCP and UDP. */
export const GRID_PORTS: readonly ContainerPort[] = [80, 81].flatMap((port) =>
  (['TCP', 'UDP'] as const).map((protocol) => ({ port, protocol, name: `serve-${port}-${protocol.toLowerCase()}` })),
);

/** Builds a small topology for engine tests (pods at 10.244.<ns>.<pod+1>). */
export function gridTopology(opts: GridOptions = {}): Topology {
  const namespaces = opts.namespaces ?? ['x', 'y', 'z'];
  const names = opts.pods ?? ['a', 'b', 'c'];
  const pods: PodSpec[] = [];
  namespaces.forEach((ns, n) =>
    names.forEach((name, p) => {
      const ref = `${ns}/${name}` as PodRef;
      pods.push({
        namespace: ns,
        name,
        labels: { pod: name, ...(opts.podLabels?.[ref] ?? {}) },
        ports: opts.podPorts?.[ref] ?? opts.ports ?? GRID_PORTS,
        service: true,
        ip: opts.podIPs?.[ref] ?? `10.244.${n}.${p + 1}`,
      });
    }),
  );
  const allNs = [...namespaces];
  if (opts.dns ?? true) {
    allNs.push('kube-system');
    pods.push({
      namespace: 'kube-system',
      name: 'coredns',
      labels: { 'k8s-app': 'kube-dns' },
      ports: [
        { port: 53, protocol: 'UDP', name: 'dns' },
        { port: 53, protocol: 'TCP', name: 'dns-tcp' },
      ],
      service: true,
      ip: '10.244.200.10',
      system: true,
    });
  }
  return {
    namespaces: allNs.map((name) => ({ name, labels: { [NAMESPACE_NAME_LABEL]: name, ...(opts.namespaceLabels?.[name] ?? {}) } })),
    pods,
    externals: opts.externals ?? [],
    podCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/16',
    dnsServiceIP: '10.96.0.10',
    clusterDomain: 'cluster.local',
  };
}

/** A NetworkPolicy object. */
export function netpol(namespace: string, name: string, spec: NetworkPolicySpec): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/** A cell key (pod-ip 80/TCP unless told otherwise). */
export function cell(from: PeerRef, to: PeerRef, port = 80, protocol: Protocol = 'TCP', target: TargetKind = 'pod-ip'): CellKey {
  return { from, to, port, protocol, target };
}

/** Every cell of the given target kinds/ports between the non-system pods (and externals for 'external'). */
export function allCells(topology: Topology, ports: readonly { port: number; protocol: Protocol }[], targets: readonly TargetKind[] = ['pod-ip']): CellKey[] {
  const sources = topology.pods.filter((p) => !p.system).map((p) => `${p.namespace}/${p.name}` as PodRef);
  const dnsPod = topology.pods.find((p) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns');
  const keys: CellKey[] = [];
  for (const target of targets) {
    for (const { port, protocol } of ports) {
      for (const from of sources) {
        const dests: PeerRef[] =
          target === 'external'
            ? topology.externals.map((e) => `external:${e.name}` as PeerRef)
            : target === 'dns'
              ? dnsPod ? [`${dnsPod.namespace}/${dnsPod.name}` as PodRef] : []
              : sources;
        for (const to of dests) keys.push({ from, to, port, protocol, target });
      }
      // External sources probe pods by IP only.
      if (target !== 'pod-ip') continue;
      for (const ext of topology.externals) if (ext.source === true) for (const to of sources) keys.push({ from: `external:${ext.name}`, to, port, protocol, target });
    }
  }
  return keys;
}
