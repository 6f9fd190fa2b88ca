import { podRefOf, serviceAccountOf, type ClusterState, type PodSpec } from '../../../model/index.js';
import type { L7ProxyModule, PortLayers } from './l7-proxy-module.js';
import { L7_PROXY_MODULES } from './l7-proxy-modules.js';
import type { L7ProxyPlan, PodProxy, ProxiedPort } from './proxy-plan.js';

/** Istio's default trust domain, the one the identity map uses. */
const TRUST_DOMAIN = 'cluster.local';

/**
 * Compiles what the L7 proxies enforce, module by module (each written from its family's docs,
 * never from the engine), and merges the layers per (pod, port) in module order. Pods no module
 * puts a layer on get no proxy.
 */
export function compileL7Plan(state: ClusterState, modules: readonly L7ProxyModule[] = L7_PROXY_MODULES): L7ProxyPlan {
  const outputs = modules.map((m) => m.compile(state));
  const layers = outputs.flatMap((o) => o.layers);
  const proxies = state.topology.pods.flatMap((pod): PodProxy[] => {
    const mine = layers.filter((l) => l.pod === podRefOf(pod));
    return mine.length === 0 ? [] : [podProxy(pod, mine)];
  });
  return { proxies, unenforced: outputs.flatMap((o) => o.unenforced), identities: identities(state.topology.pods) };
}

function podProxy(pod: PodSpec, layers: readonly PortLayers[]): PodProxy {
  const ingress = proxiedPorts(pod, layers.filter((l) => l.to === undefined));
  const egress = proxiedPorts(pod, layers.filter((l) => l.to !== undefined));
  return { pod: podRefOf(pod), ips: pod.ips ?? [pod.ip], servedPorts: [...new Set(pod.ports.map((p) => p.port))], ingress, egress };
}

/** The layers of one direction merged per port (an egress port's redirect: the union of its layers' destinations). */
function proxiedPorts(pod: PodSpec, layers: readonly PortLayers[]): ProxiedPort[] {
  const ports = [...new Set(layers.map((l) => l.port))].sort((a, b) => a - b);
  return ports.map((port): ProxiedPort => {
    const at = layers.filter((l) => l.port === port);
    const to = at.flatMap((l) => l.to ?? []);
    return {
      port,
      // Cilium parses HTTP on any port its HTTP rules name; Istio only where the port says appProtocol http.
      http: at.some((l) => l.http !== undefined) || pod.ports.some((cp) => cp.port === port && cp.protocol === 'TCP' && cp.appProtocol === 'http'),
      httpLayers: at.flatMap((l) => (l.http ? [l.http] : [])),
      tcpLayers: at.flatMap((l) => (l.tcp ? [l.tcp] : [])),
      ...(at.some((l) => l.to !== undefined) ? { to } : {}),
    };
  });
}

/** Each pod address → the SPIFFE principal of its service account: the stand-in for mTLS (docs/l7-policy.md). */
function identities(pods: readonly PodSpec[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const pod of pods) for (const ip of pod.ips ?? [pod.ip]) map.set(ip, `spiffe://${TRUST_DOMAIN}/ns/${pod.namespace}/sa/${serviceAccountOf(pod)}`);
  return map;
}
