import {
  externalRef,
  findDnsPod,
  podRefOf,
  servesPort,
  type CellKey,
  type ProbeSettings,
  type Topology,
} from '../model/index.js';

/**
 * Every cell of a scenario's matrix: sources are the non-system pods, then the external hosts
 * declared sources (which probe pods by IP only); destinations depend on the target kinds. Cells whose destination does not serve the port are left out (they would be
 * "invalid-port" and are never probed), so tables and reports only show meaningful cells.
 */
export function planCells(topology: Topology, settings: ProbeSettings): CellKey[] {
  const sources = topology.pods.filter((p) => !p.system);
  const dns = findDnsPod(topology);
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
    if (dns) for (const protocol of settings.dns) cells.push({ from, to: podRefOf(dns), target: 'dns', port: 53, protocol });
  }
  for (const ext of topology.externals) {
    if (ext.source !== true || !settings.targets.includes('pod-ip')) continue;
    const from = externalRef(ext.name);
    for (const { port, protocol } of settings.ports) {
      for (const dst of sources) if (servesPort(dst, port, protocol)) cells.push({ from, to: podRefOf(dst), target: 'pod-ip', port, protocol });
    }
  }
  return cells;
}
