import { EnvironmentError } from '../../model/index.js';
import type { Clock } from '../../model/index.js';
import type { KubeApi } from './kube-api.js';
import { podReadiness } from './pod-readiness.js';
import { pollUntil, type PollCheck } from './poll-until.js';

/** A group of system pods that must all be Ready (e.g. a CNI's DaemonSet pods). */
export interface PodGroup {
  readonly description: string;
  readonly namespace: string;
  readonly labelSelector: string;
}

/** CoreDNS pods, the last gate of every provider (Service DNS names need them). */
export const COREDNS_PODS: PodGroup = { description: 'CoreDNS', namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' };

/** Bounds and extra groups of a cluster readiness wait. */
export interface ClusterReadinessOptions {
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** CNI pods to wait for before CoreDNS (empty for a built-in CNI such as k3s's). */
  readonly podGroups: readonly PodGroup[];
  /** "all" nodes Ready (a cluster netseg created) or "any" (an existing cluster may carry broken nodes). Default "all". */
  readonly nodes?: 'all' | 'any';
  readonly log?: (message: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * netseg's own readiness gate after a cluster comes up (never the installer's --wait alone): all
 * nodes Ready, every pod of each group Ready (at least one must exist), then CoreDNS Ready. Throws
 * EnvironmentError naming what was still not ready when the bound is reached.
 */
export async function waitForClusterReady(api: KubeApi, options: ClusterReadinessOptions): Promise<void> {
  const started = options.clock.now();
  const remaining = () => Math.max(1, options.timeoutMs - (options.clock.now() - started));
  const poll = async <T>(what: string, check: () => Promise<PollCheck<T>>) => {
    options.log?.(`waiting for ${what}`);
    const r = await pollUntil(check, { clock: options.clock, timeoutMs: remaining(), intervalMs: options.intervalMs ?? 2000, ...(options.signal ? { signal: options.signal } : {}) });
    if (!r.ok) {
      throw new EnvironmentError(
        `cluster not ready after ${Math.round(options.timeoutMs / 1000)} s: ${r.lastReason}`,
        'inspect the cluster (`kubectl get nodes,pods -A`); raise --ready-timeout on slow machines',
      );
    }
  };
  await poll('nodes Ready', () => nodesReady(api, options.nodes ?? 'all'));
  for (const group of [...options.podGroups, COREDNS_PODS]) await poll(`${group.description} pods Ready`, () => groupReady(api, group));
}

async function nodesReady(api: KubeApi, mode: 'all' | 'any'): Promise<PollCheck<true>> {
  const nodes = await api.list('v1', 'Node');
  if (nodes.length === 0) return { done: false, reason: 'no nodes registered' };
  const notReady = nodes.filter((n) => !((n as { status?: { conditions?: { type?: string; status?: string }[] } }).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
  const ok = mode === 'all' ? notReady.length === 0 : notReady.length < nodes.length;
  return ok ? { done: true, value: true } : { done: false, reason: `nodes not Ready: ${notReady.map((n) => n.metadata.name).join(', ')}` };
}

/** True when at least one pod of the group exists and all are Ready. */
export async function groupReady(api: KubeApi, group: PodGroup): Promise<PollCheck<true>> {
  const pods = await api.list('v1', 'Pod', { namespace: group.namespace, labelSelector: group.labelSelector });
  if (pods.length === 0) return { done: false, reason: `no ${group.description} pods (${group.namespace}, ${group.labelSelector}) yet` };
  const notReady = pods.map(podReadiness).filter((r) => !r.ready);
  return notReady.length === 0 ? { done: true, value: true } : { done: false, reason: `${group.description}: ${notReady.map((r) => r.reason).join('; ')}` };
}
