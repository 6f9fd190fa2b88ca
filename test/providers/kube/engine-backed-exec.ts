import type { ProbeBatch, ProbeBatchResult, ProbeResult } from '../../../src/agent/protocol.js';
import type { ExecRequest, ExecResult } from '../../../src/providers/kube/kube-api.js';
import type { CellKey, ClusterState, HttpProbe, IpFamily, PodRef, PeerRef, Protocol, TargetKind } from '../../../src/model/index.js';
import { FamilyPolicies } from '../../../src/policy/index.js';
import { batchOf } from '../../fakes/fake-kube-api.js';

/**
 * An exec handler for FakeKubeApi whose agent answers every connect and HTTP job with the engine's
 * verdict for the state last synced (a perfectly conforming datapath: a denied request gets a 403, a
 * denied connection is closed after connect, a denied DNS query REFUSED), so a run through KubeEnvironment converges at once and
 * its API calls can be counted. Connects to `absentHosts` (IPs) always time out, as to a server that
 * does not exist. Tests only.
 */
export function engineBackedExec(currentState: () => ClusterState | undefined, absentHosts: ReadonlySet<string> = new Set()): (request: ExecRequest) => ExecResult {
  return (request) => {
    const batch: ProbeBatch = batchOf(request) ?? { jobs: [], concurrency: 1 };
    const state = currentState();
    // The batch's HTTP jobs name the requests the engine judges (the scenario's probes, as the planner sent them).
    const requests = new Map<string, HttpProbe>();
    for (const job of batch.jobs) {
      const request = job.kind === 'http' ? parseCellId(job.id).request : undefined;
      if (job.kind === 'http' && request !== undefined) requests.set(request, { id: request, method: job.method, path: job.path, host: job.hostHeader, headers: job.headers });
    }
    const compiled = state ? new FamilyPolicies(state.topology, state.policies, [...requests.values()]) : undefined;
    const results: ProbeResult[] = batch.jobs.map((job) => {
      const absent = job.kind !== 'dns' && absentHosts.has(job.host);
      const verdict = absent ? 'blocked' : (compiled?.verdict(parseCellId(job.id)) ?? 'allowed');
      if (job.kind === 'dns') {
        // A denied query is one a DNS proxy (Cilium's DNS rules) answered REFUSED.
        if (verdict === 'allowed') return { id: job.id, outcome: 'connected', address: '10.96.0.100', elapsedMs: 1 };
        return verdict === 'denied' ? { id: job.id, outcome: 'dns-refused', detail: 'REFUSED', elapsedMs: 1 } : { id: job.id, outcome: 'dns-timeout', elapsedMs: job.timeoutMs };
      }
      if (verdict === 'allowed') return { id: job.id, outcome: 'connected', identity: job.expectIdentity ?? '', elapsedMs: 1 };
      if (verdict === 'denied') return job.kind === 'http' ? { id: job.id, outcome: 'http-response', detail: 'http 403 RBAC: access denied', elapsedMs: 1 } : { id: job.id, outcome: 'closed-after-connect', elapsedMs: 1 };
      return { id: job.id, outcome: 'timeout', elapsedMs: job.timeoutMs };
    });
    const out: ProbeBatchResult = { results, agent: { identity: `${request.namespace}/${request.pod}`, version: 'fake' } };
    return { exitCode: 0, stdout: JSON.stringify(out), stderr: '' };
  };
}

/** Job ids are cell ids: "<target> <from> -> <to> <port>/<protocol>[ [<request>]][ <family>]". */
function parseCellId(id: string): CellKey {
  const m = /^(\S+) (\S+) -> (\S+) (\d+)\/(\S+?)(?: \[([^\]]+)\])?(?: (IPv4|IPv6))?$/.exec(id);
  if (!m) throw new Error(`not a cell id: ${id}`);
  const key: CellKey = { target: m[1] as TargetKind, from: m[2] as PodRef, to: m[3] as PeerRef, port: Number(m[4]), protocol: m[5] as Protocol, ...(m[6] !== undefined && { request: m[6] }) };
  return m[7] === undefined ? key : { ...key, family: m[7] as IpFamily };
}
