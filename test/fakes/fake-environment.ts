import { cellId, type CellKey, type ClusterState, type PeerRef, type PodRef, type PolicyKind, type Topology } from '../../src/model/index.js';
import type { ProbeBatch, ProbeBatchResult, ProbeResult } from '../../src/agent/protocol.js';
import { SimulatedProber } from '../../src/probe/simulated-prober.js';
import type { AddressBook } from '../../src/probe/address-book.js';
import type { ProbeTransport } from '../../src/probe/probe-transport.js';
import type { Capabilities, DeployedScenario, Environment } from '../../src/providers/provider.js';

/** How the fake datapath misbehaves. */
export interface FakeDatapathOptions {
  /** Ignore policies entirely (a CNI without a policy engine). */
  readonly noEnforcement?: boolean;
  /** Rounds after a sync during which the datapath still answers with the previous state. */
  readonly lagRounds?: number;
  /** Sources whose transport fails. */
  readonly brokenSources?: readonly PodRef[];
  /** The policy kinds the fake datapath enforces (default NetworkPolicy; `[]` is a CNI like Flannel that enforces none). */
  readonly policyKinds?: readonly PolicyKind[];
  /** Cells the fake datapath says it cannot enforce under a state (the per-cell unsupported hook). */
  readonly notEnforced?: (cell: CellKey, state: ClusterState) => string | undefined;
}

/**
 * An in-memory Environment for runner tests: its transport answers job ids (cell ids) with what the
 * SimulatedProber (the engine) observes for the last synced state. It records calls so tests can assert the protocol.
 */
export class FakeEnvironment implements Environment {
  readonly description = 'fake datapath';
  readonly capabilities: Capabilities;
  readonly calls: string[] = [];
  batches = 0;
  /** The job ids (cell ids) of every batch, in order. */
  readonly probedJobs: string[] = [];
  #state: ClusterState | undefined;
  #previous: ClusterState | undefined;
  #roundsSinceSync = 0;
  disposed = false;

  constructor(private readonly options: FakeDatapathOptions = {}) {
    this.capabilities = { policyKinds: options.policyKinds ?? ['NetworkPolicy'], sctp: false, externals: true };
  }

  async deploy(topology: Topology): Promise<DeployedScenario> {
    this.calls.push(`deploy ${topology.pods.length}`);
    const undeploy = async () => void this.calls.push('undeploy');
    return {
      topology,
      addresses: fakeAddresses(topology),
      sync: (state) => this.sync(state),
      transport: () => this.transport(),
      enterHint: (pod: PodRef) => `fake-enter ${pod}`,
      ...(this.options.notEnforced ? { notEnforced: (cell: CellKey) => this.options.notEnforced!(cell, this.#state!) } : {}),
      undeploy,
      [Symbol.asyncDispose]: undeploy,
    };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.disposed = true;
    this.calls.push('dispose');
  }

  /** The fake datapath's sync, which every deployed scenario of it calls (tests replace it to act mid-run). */
  async sync(state: ClusterState): Promise<void> {
    this.calls.push(`sync ${state.policies.length}`);
    this.#previous = this.#state;
    this.#state = state;
    this.#roundsSinceSync = 0;
  }

  /** The fake datapath's transport, which every deployed scenario of it hands out. */
  transport(): ProbeTransport {
    return { runBatch: (source, batch) => this.#runBatch(source, batch) };
  }

  async #runBatch(source: PeerRef, batch: ProbeBatch): Promise<ProbeBatchResult> {
    this.batches++;
    this.probedJobs.push(...batch.jobs.map((j) => j.id));
    if (this.options.brokenSources?.includes(source as PodRef)) throw new Error('exec failed: container not found');
    const lagging = this.#roundsSinceSync < (this.options.lagRounds ?? 0) && this.#previous;
    if (source === firstSource(this.#state)) this.#roundsSinceSync++;
    const state = lagging ? this.#previous! : this.#state!;
    const datapath = new SimulatedProber(() => (this.options.noEnforcement ? { ...state, policies: [] } : state));
    const keys = batch.jobs.map((job) => parseCellId(job.id));
    const observed = await datapath.observe(keys);
    const results: ProbeResult[] = batch.jobs.map((job, i) => ({ id: job.id, outcome: observed.get(keys[i]!)?.connectivity === 'allowed' ? 'connected' : 'timeout', elapsedMs: 1 }));
    return { results, agent: { identity: source, version: 'fake' } };
  }
}

function firstSource(state: ClusterState | undefined): PodRef | undefined {
  const p = state?.topology.pods.find((x) => !x.system);
  return p ? `${p.namespace}/${p.name}` : undefined;
}

/** Inverse of cellId for the fake transport (job ids are cell ids). */
function parseCellId(id: string) {
  const m = /^(\S+) (\S+) -> (\S+) (\d+)\/(TCP|UDP|SCTP)$/.exec(id);
  if (!m) throw new Error(`bad job id ${id}`);
  const key = { target: m[1], from: m[2], to: m[3], port: Number(m[4]), protocol: m[5] } as never;
  if (cellId(key) !== id) throw new Error(`round trip failed for ${id}`);
  return key;
}

function fakeAddresses(topology: Topology): AddressBook {
  const pod = (ref: string) => topology.pods.find((p) => `${p.namespace}/${p.name}` === ref);
  return {
    podIP: (ref) => pod(ref)?.ip ?? '0.0.0.0',
    serviceIP: (ref) => pod(ref)?.serviceIP,
    serviceName: (ref) => (pod(ref)?.service ? `${ref.split('/')[1]}.${ref.split('/')[0]}.svc.${topology.clusterDomain}` : undefined),
    dnsServer: () => topology.dnsServiceIP,
    externalIP: (name) => topology.externals.find((e) => e.name === name)?.ip ?? '0.0.0.0',
  };
}
