import {
  externalRef,
  familyView,
  findDnsPod,
  isDualStack,
  podRefOf,
  servesHttp,
  servesPort,
  topologyFamilies,
  type CellKey,
  type ProbeSettings,
  type Topology,
} from '../model/index.js';

/**
 * Every cell of a scenario's matrix: sources are the non-system pods, then the external hosts
 * declared sources (which probe pods by IP only); destinations depend on the target kinds. Cells whose destination does not serve the port are left out (they would be
 * "invalid-port" and are never probed), so tables and reports only show meaningful cells. A
 * dual-stack topology has each source's cells once per family (primary first), keys naming it.
 * After a TCP port's cells of a pod target come its HTTP request cells: per probe of
 * `settings.http`, one per destination serving the port with `appProtocol: http`.
 */
export function planCells(topology: Topology, settings: ProbeSettings): CellKey[] {
  const sources = topology.pods.filter((p) => !p.system);
  const dns = findDnsPod(topology);
  const dual = isDualStack(topology);
  const families = topologyFamilies(topology).map((f) => ({ tag: dual ? { family: f } : {}, externals: familyView(topology, f).externals }));
  const cells: CellKey[] = [];
  for (const src of sources) {
    const from = podRefOf(src);
    for (const { tag, externals } of families) {
      for (const target of settings.targets) {
        for (const { port, protocol } of settings.ports) {
          if (target === 'external') {
            for (const ext of externals) {
              if (servesPort(ext, port, protocol)) cells.push({ from, to: externalRef(ext.name), target, port, protocol, ...tag });
            }
            continue;
          }
          if (target === 'dns') continue;
          const served = sources.filter((dst) => (target === 'pod-ip' || dst.service) && servesPort(dst, port, protocol));
          for (const dst of served) cells.push({ from, to: podRefOf(dst), target, port, protocol, ...tag });
          if (protocol !== 'TCP') continue;
          for (const probe of settings.http ?? []) {
            for (const dst of served) if (servesHttp(dst, port)) cells.push({ from, to: podRefOf(dst), target, port, protocol, request: probe.id, ...tag });
          }
        }
      }
      if (dns) for (const protocol of settings.dns) cells.push({ from, to: podRefOf(dns), target: 'dns', port: 53, protocol, ...tag });
    }
  }
  for (const ext of topology.externals) {
    if (ext.source !== true || !settings.targets.includes('pod-ip')) continue;
    const from = externalRef(ext.name);
    for (const { tag } of families) {
      for (const { port, protocol } of settings.ports) {
        for (const dst of sources) if (servesPort(dst, port, protocol)) cells.push({ from, to: podRefOf(dst), target: 'pod-ip', port, protocol, ...tag });
        if (protocol !== 'TCP') continue;
        for (const probe of settings.http ?? []) {
          for (const dst of sources) if (servesHttp(dst, port)) cells.push({ from, to: podRefOf(dst), target: 'pod-ip', port, protocol, request: probe.id, ...tag });
        }
      }
    }
  }
  return cells;
}
