import type { KubeObject } from './kube-api.js';

interface PodView {
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: { ip?: string }[];
    conditions?: { type?: string; status?: string }[];
    containerStatuses?: { name?: string; ready?: boolean; state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } } }[];
  };
  metadata: { name: string; namespace?: string; deletionTimestamp?: unknown };
}

/** Readiness of a pod as the kubelet reports it: Ready condition true and not terminating. */
export function podReadiness(object: KubeObject): { readonly ready: boolean; readonly ip?: string; readonly ips?: readonly string[]; readonly reason: string } {
  const pod = object as unknown as PodView;
  const name = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
  if (pod.metadata.deletionTimestamp) return { ready: false, reason: `${name} is terminating` };
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const ip = pod.status?.podIP;
  // A dual-stack pod lists every address in podIPs, the primary (podIP) first.
  const ips = pod.status?.podIPs?.flatMap((p) => (p.ip ? [p.ip] : []));
  if (ready && ip) return { ready: true, ip, ...(ips && ips.length > 1 && { ips }), reason: `${name} ready` };
  const waiting = pod.status?.containerStatuses?.map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason).filter(Boolean) ?? [];
  const why = waiting.length > 0 ? waiting.join(', ') : (pod.status?.phase ?? 'no status yet');
  return { ready: false, ...(ip ? { ip } : {}), reason: `${name} not ready (${why})` };
}
