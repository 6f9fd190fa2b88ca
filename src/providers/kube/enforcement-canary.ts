import type { ProbeResult } from '../../agent/protocol.js';
import { EnvironmentError, NAMESPACE_NAME_LABEL, type NetworkPolicy, type Topology } from '../../model/index.js';
import type { Environment } from '../provider.js';
import type { Clock } from '../../model/index.js';
import { pollUntil } from './poll-until.js';

/** What the canary needs of an environment. */
export type CanaryTarget = Pick<Environment, 'deploy'>;

/** Bounds of the canary and whether a non-enforcing cluster is acceptable. */
export interface CanaryOptions {
  readonly clock: Clock;
  /** How long the unrestricted probe may take to succeed (pods just started; default 60 s). */
  readonly reachTimeoutMs?: number;
  /** How long the deny-all may take to block (policy programming is eventually consistent; default 30 s). */
  readonly blockTimeoutMs?: number;
  readonly intervalMs?: number;
  /** Report a non-enforcing cluster instead of failing (--allow-no-enforcement). */
  readonly allowNoEnforcement?: boolean;
  readonly log?: (message: string) => void;
}

/** The canary's finding. */
export interface CanaryResult {
  readonly enforced: boolean;
  /** Raw outcome of the last probe after the deny-all (e.g. "timeout" for a drop, "refused" for a reject). */
  readonly blockedOutcome?: string;
}

const PORT = 8080;

/** The canary's scenario: namespace "canary" with pods client and server; server serves 8080/TCP. */
export function canaryTopology(): Topology {
  const pod = (name: string) => ({ namespace: 'canary', name, labels: { pod: name }, ports: [{ port: PORT, protocol: 'TCP' as const, name: 'canary' }], service: false, ip: '0.0.0.0' });
  return {
    namespaces: [{ name: 'canary', labels: { [NAMESPACE_NAME_LABEL]: 'canary', 'netseg.io/canary': 'true' } }],
    pods: [pod('client'), pod('server')],
    externals: [],
    podCIDR: '10.244.0.0/16',
    serviceCIDR: '10.96.0.0/16',
    dnsServiceIP: '10.96.0.10',
    clusterDomain: 'cluster.local',
  };
}

const DENY_ALL: NetworkPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'canary-deny-all-ingress', namespace: 'canary' },
  spec: { podSelector: { matchLabels: { pod: 'server' } }, policyTypes: ['Ingress'] },
};

/**
 * Proves the cluster enforces NetworkPolicy before any scenario runs: client → server must connect
 * without policy, then stop connecting within a bound once a deny-all ingress selects the server.
 * Throws EnvironmentError when it does not (e.g. Flannel alone, or kindnet failing open) unless
 * allowNoEnforcement; always removes its namespace.
 */
export async function enforcementCanary(target: CanaryTarget, options: CanaryOptions): Promise<CanaryResult> {
  const log = options.log ?? (() => {});
  const topology = canaryTopology();
  const poll = { clock: options.clock, intervalMs: options.intervalMs ?? 1000 };
  log('enforcement canary: deploying canary/client and canary/server');
  const deployment = await target.deploy(topology);
  try {
    await deployment.sync({ topology, policies: [] });
    const transport = deployment.transport();
    const probe = async (): Promise<ProbeResult> => {
      try {
        const r = await transport.runBatch('canary/client', { concurrency: 1, jobs: [{ kind: 'connect', id: 'canary', host: deployment.addresses.podIP('canary/server'), port: PORT, protocol: 'TCP', timeoutMs: 2000, expectIdentity: 'canary/server' }] });
        return r.results[0] ?? { id: 'canary', outcome: 'agent-error', detail: 'no result', elapsedMs: 0 };
      } catch (e) {
        return { id: 'canary', outcome: 'agent-error', detail: (e as Error).message, elapsedMs: 0 };
      }
    };
    const reach = await pollUntil(async () => {
      const r = await probe();
      return r.outcome === 'connected' ? { done: true, value: r } : { done: false, reason: `${r.outcome}${r.detail ? ` (${r.detail})` : ''}` };
    }, { ...poll, timeoutMs: options.reachTimeoutMs ?? 60_000 });
    if (!reach.ok) {
      throw new EnvironmentError(
        `enforcement canary: canary/client cannot reach canary/server even without any policy (last: ${reach.lastReason})`,
        'pod networking is broken: check the CNI pods (`kubectl get pods -A`) and node readiness',
      );
    }
    log('enforcement canary: reachable; applying deny-all ingress on canary/server');
    await deployment.sync({ topology, policies: [DENY_ALL] });
    const blocked = await pollUntil(async () => {
      const r = await probe();
      if (r.outcome === 'timeout' || r.outcome === 'refused' || r.outcome === 'unreachable') return { done: true, value: r.outcome };
      return { done: false, reason: r.outcome };
    }, { ...poll, timeoutMs: options.blockTimeoutMs ?? 30_000 });
    if (blocked.ok) {
      log(`enforcement canary: blocked (${blocked.value}); the cluster enforces NetworkPolicy`);
      return { enforced: true, blockedOutcome: blocked.value };
    }
    const message = `the cluster does not enforce NetworkPolicy: a deny-all ingress policy on canary/server still let canary/client connect after ${Math.round((options.blockTimeoutMs ?? 30_000) / 1000)} s (last outcome: ${blocked.lastReason})`;
    if (options.allowNoEnforcement) {
      log(`warning: ${message}; continuing because of --allow-no-enforcement`);
      return { enforced: false };
    }
    throw new EnvironmentError(
      message,
      'use a CNI with a NetworkPolicy engine (Calico, Cilium, kindnet of kind >= v0.24 on a kernel with nftables + NFQUEUE, k3s with its built-in controller); Flannel alone and a fail-open kindnet do not enforce. Pass --allow-no-enforcement to run anyway.',
    );
  } finally {
    await deployment.undeploy().catch((e: unknown) => log(`enforcement canary: cleanup failed: ${(e as Error).message}`));
  }
}
