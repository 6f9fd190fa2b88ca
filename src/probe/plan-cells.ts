import {
  externalRef,
  podRefOf,
  servesPort,
  type CellKey,
  type PodSpec,
  type ProbeSettings,
  type Topology,
} from '../model/index.js';

/** The cluster DNS pod of a topology (namespace kube-system, label k8s-app=kube-dns), if any. */
export function findDnsPod(topology: Topology): PodSpec | undefined {
  return topology.pods.find((p) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns');
}

/**
 * Every cell of a scenario's matrix: sources are the non-system pods; destinations depend on the
 * target kinds. Cells whose destination does not serve the port are left out (they would be
 * "invalid-port" and are never probed), so tables and reports only show meaningful cells.
 */
export function planCells(topology: Topology, settings: ProbeSettings): CellKey[] {
  const sources = topology.pods.filter((p) => !p.system);
  const cells: CellKey[] = [];
  for (const src of sources) {
    const from = podRefOf(src);
    for (const target of settings.targets) {
      for (const { port, protocol } of settings.ports) {
        if (target === 'external') {
          for (const ext of topology.externals) {
            if (servesPort(ext, port, protocol)) cells.push({ from, to: externalRef(ext.name), target, port, protocol });
          }
          continue;
        }
        if (target === 'dns') continue;
        for (const dst of sources) {
          if (target !== 'pod-ip' && !dst.service) continue;
          if (servesPort(dst, port, protocol)) cells.push({ from, to: podRefOf(dst), target, port, protocol });
        }
      }
    }
    const dns = findDnsPod(topology);
    if (dns) for (const protocol of settings.dns) cells.push({ from, to: podRefOf(dns), target: 'dns', port: 53, protocol });
  }
  return cells;
}
