import { parsePortKey, PROTOCOLS, type PortProtocol, type ProbeSettings, type TargetKind, type Topology } from '../model/index.js';
import type { IssueList } from './issue-list.js';
import { normalizeHttpProbes } from './normalize-http-probes.js';
import type { ScenarioInput } from './schema.js';
import type { YamlDocument } from './yaml-source.js';

/** Default per-probe timeout. */
export const DEFAULT_PROBE_TIMEOUT_MS = 1000;

/**
 * Probe settings with defaults: ports = every port/protocol a non-system pod or an external host
 * declares (sorted by port, then protocol); targets = pod-ip, plus external when externals exist;
 * `http` only when HTTP probes are declared.
 */
export function normalizeProbes(input: ScenarioInput['spec']['probes'], doc: YamlDocument, issues: IssueList, topology: Topology): ProbeSettings {
  const ports: PortProtocol[] = [];
  const seen = new Set<string>();
  const add = (pp: PortProtocol): void => {
    const key = `${pp.port}/${pp.protocol}`;
    if (!seen.has(key)) ports.push(pp);
    seen.add(key);
  };
  if (input?.ports) {
    input.ports.forEach((p, i) => {
      const pp = typeof p === 'number' ? { port: p, protocol: 'TCP' as const } : parsePortKey(p);
      if (!pp) issues.error(doc, ['spec', 'probes', 'ports', i], `"${p}" is not a port such as 80/TCP (port 1-65535; TCP, UDP or SCTP)`);
      else if (seen.has(`${pp.port}/${pp.protocol}`)) issues.error(doc, ['spec', 'probes', 'ports', i], `port ${pp.port}/${pp.protocol} is listed twice`);
      else add(pp);
    });
  } else {
    const declared = [...topology.pods.filter((p) => !p.system).flatMap((p) => p.ports), ...topology.externals.flatMap((e) => e.ports)];
    declared
      .map((c) => ({ port: c.port, protocol: c.protocol }))
      .sort((a, b) => a.port - b.port || PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol))
      .forEach(add);
  }
  const targets: TargetKind[] = input?.targets ? [...new Set(input.targets)] : topology.externals.length > 0 ? ['pod-ip', 'external'] : ['pod-ip'];
  if (targets.includes('external') && topology.externals.length === 0) {
    issues.error(doc, ['spec', 'probes', 'targets', targets.indexOf('external')], 'target "external" needs at least one host under spec.topology.externals');
  }
  const http = normalizeHttpProbes(input?.http, doc, issues);
  if (http && !topology.pods.some((p) => p.ports.some((c) => c.appProtocol === 'http'))) {
    issues.warn(doc, ['spec', 'probes', 'http'], 'no pod serves a port with appProtocol: http, so these HTTP probes make no cell');
  }
  return { ports, targets, dns: [...new Set(input?.dns ?? [])], timeoutMs: input?.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, ...(http && { http }) };
}
