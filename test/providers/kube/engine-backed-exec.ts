import type { ProbeBatch, ProbeBatchResult, ProbeResult } from '../../../src/agent/protocol.js';
import type { ExecRequest, ExecResult } from '../../../src/providers/kube/kube-api.js';
import type { CellKey, ClusterState, IpFamily, PodRef, PeerRef, Protocol, TargetKind } from '../../../src/model/index.js';
import { FamilyPolicies } from '../../../src/policy/index.js';
import { batchOf } from '../../fakes/fake-kube-api.js';

/**
 * An exec handler for FakeKubeApi whose agent answers every connect job with the engine's verdict
 * for the state last synced (a perfectly conforming datapath), so a run through KubeEnvironment
 * converges at once and its API calls can be counted. Connects to `absentHosts` (IPs) always time
 * out, as to a server that does not exist. Tests only.
 */
export function engineBackedExec(currentState: () => ClusterState | undefined, absentHosts: ReadonlySet<string> = new Set()): (request: ExecRequest) => ExecResult {
  return (request) => {
    const batch: ProbeBatch = batchOf(request) ?? { jobs: [], concurrency: 1 };
    const state = currentState();
    const compiled = state ? new FamilyPolicies(state.topology, state.policies) : undefined;
    const results: ProbeResult[] = batch.jobs.map((job) => {
      const absent = job.kind === 'connect' && absentHosts.has(job.host);
      const allowed = !absent && (compiled?.verdict(parseCellId(job.id)) ?? 'allowed') === 'allowed';
      if (job.kind === 'dns') return allowed ? { id: job.id, outcome: 'connected', address: '10.96.0.100', elapsedMs: 1 } : { id: job.id, outcome: 'dns-timeout', elapsedMs: job.timeoutMs };
      return allowed ? { id: job.id, outcome: 'connected', identity: job.expectIdentity ?? '', elapsedMs: 1 } : { id: job.id, outcome: 'timeout', elapsedMs: job.timeoutMs };
    });
    const out: ProbeBatchResult = { results, agent: { identity: `${request.namespace}/${request.pod}`, version: 'fake' } };
    return { exitCode: 0, stdout: JSON.stringify(out), stderr: '' };
  };
}

/** Job ids are cell ids: "<target> <from> -> <to> <port>/<protocol>[ <family>]". */
function parseCellId(id: string): CellKey {
  const m = /^(\S+) (\S+) -> (\S+) (\d+)\/(\S+?)(?: (IPv4|IPv6))?$/.exec(id);
  if (!m) throw new Error(`not a cell id: ${id}`);
  const key: CellKey = { target: m[1] as TargetKind, from: m[2] as PodRef, to: m[3] as PeerRef, port: Number(m[4]), protocol: m[5] as Protocol };
  return m[6] === undefined ? key : { ...key, family: m[6] as IpFamily };
}
