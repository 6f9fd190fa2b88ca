import { CellMap, externalRef, isExternalRef, type CellKey, type HttpProbe, type PeerRef, type Topology } from '../model/index.js';
import type { ProbeResult } from '../agent/protocol.js';
import type { AddressBook } from './address-book.js';
import { classifyOutcome } from './classify.js';
import type { ClientSidecar } from './client-sidecar.js';
import { isSilent, sidecarCellOf, sidecarObservation, UPSTREAM_UNREACHABLE } from './client-sidecar-outcome.js';
import { interleaveByDestination } from './interleave-by-destination.js';
import type { Observation } from './observation.js';
import { planJobsBySource, type PlannedJob } from './plan-jobs.js';
import type { Prober } from './prober.js';
import type { ProbeTransport } from './probe-transport.js';

/** Options of a ClusterProber. */
export interface ClusterProberOptions {
  readonly timeoutMs: number;
  /** Concurrent jobs inside one agent batch (default: the batch, capped so all agents together keep about the transport's inFlightBudget, else IN_FLIGHT_BUDGET, probes in flight). */
  readonly concurrency?: number;
  /** Source batches in flight at once (default: every source; the per-agent concurrency bounds the load). */
  readonly parallelSources?: number;
  /** When false, SCTP cells are not sent and come back "unknown" (skipped). */
  readonly sctp?: boolean;
  /** When false, cells to external hosts are not sent and come back "unknown" (skipped), except to hosts marked `real` when `realExternals`. */
  readonly externals?: boolean;
  /** Whether hosts marked `real` are probed at their address although the datapath creates no external hosts. */
  readonly realExternals?: boolean;
  /** Hosts whose agent is gone (asked after each round); their cells become probe-error. */
  readonly unavailableHosts?: () => ReadonlySet<string>;
  /** The scenario's HTTP probes: what its request cells send. */
  readonly http?: readonly HttpProbe[];
}

/**
 * Probes in flight across all agents at once. Every probe costs CPU in some agent; past a few
 * thousand on a 2-core machine, connected probes start missing their deadline and turn into
 * probe errors (measured with scripts/bench-probe.ts), so big topologies get fewer per agent.
 */
const IN_FLIGHT_BUDGET = 2500;

/** How far beyond a client sidecar's upstream connect timeout its re-probe waits (at least the scenario's own timeout). */
const SIDECAR_MARGIN_MS = 1000;

const STARVED_TIMEOUT = 'timed out while agents were starved (connected probes got no identity in time, also at a quarter of the load): a drop cannot be told from an overloaded agent';

/** Probes real datapaths: one batch per source pod per round through a transport; a failed batch is probe-error for its cells. */
export class ClusterProber implements Prober {
  constructor(
    private readonly transport: ProbeTransport,
    private readonly addresses: AddressBook,
    private readonly topology: Topology,
    private readonly options: ClusterProberOptions,
  ) {}

  /** Probes every cell once. */
  async observe(cells: readonly CellKey[], signal?: AbortSignal): Promise<CellMap<Observation>> {
    const out = new CellMap<Observation>();
    const probed: CellKey[] = [];
    for (const c of cells) {
      const unsupported = this.#unsupported(c);
      if (unsupported) out.set(c, { connectivity: 'unknown', raw: 'unsupported', detail: unsupported });
      else probed.push(c);
    }
    const perAgent = await this.#pass(probed, undefined, out, signal);
    // Probe errors in a round mean the agents were starved (a connection made but no identity line
    // in time); then a "timeout" of the same round may be starvation too, not a policy drop. Both get
    // one more try at a quarter of the load, so overload shows as probe-error rather than "blocked".
    if (this.#starved(out, probed)) {
      const doubtful = probed.filter((c) => out.get(c)?.connectivity === 'probe-error' || out.get(c)?.raw === 'timeout');
      await this.#pass(doubtful, Math.max(1, Math.floor(perAgent / 4)), out, signal);
      // Still starved at a quarter of the load: a timeout of this pass cannot be told from an agent
      // too slow to answer, so it is no verdict (the runner probes again) rather than a false "blocked".
      if (this.#starved(out, doubtful)) {
        for (const c of doubtful) if (out.get(c)?.raw === 'timeout') out.set(c, { connectivity: 'probe-error', raw: 'timeout', detail: STARVED_TIMEOUT });
      }
    }
    await this.#reprobeBehindSidecars(probed, perAgent, out, signal);
    this.#markUnavailable(out);
    return out;
  }

  /** Why a cell cannot be probed on this datapath, if it cannot. */
  #unsupported(c: CellKey): string | undefined {
    if (this.options.sctp === false && c.protocol === 'SCTP') return 'SCTP is not supported by this datapath';
    const external = this.#externalUnsupported(c);
    if (external !== undefined) return external;
    if (c.family !== undefined && this.addresses.ofFamily?.(c.family) === undefined) {
      return `the deployment has no ${c.family} addresses (a single-stack cluster: create it dual-stack, e.g. kind with ipFamily dual, to probe both families)`;
    }
    return undefined;
  }

  /** Why a cell from or to an external host cannot be probed, if it cannot. */
  #externalUnsupported(c: CellKey): string | undefined {
    if (this.options.externals === false && isExternalRef(c.from)) return 'this provider creates no external hosts, so nothing outside the cluster can probe from external sources';
    if (this.options.externals !== false || !isExternalRef(c.to)) return undefined;
    const host = this.topology.externals.find((e) => externalRef(e.name) === c.to);
    if (host?.real && this.options.realExternals) return undefined;
    return host?.real
      ? 'this provider creates no external hosts and probes real ones only on an existing cluster (--provider kubeconfig)'
      : 'this provider creates no external hosts (mark the host `real: true` to probe its address as it is on --provider kubeconfig)';
  }

  /**
   * A client sidecar accepts the connection at once and holds it while it connects upstream, so a
   * silent cell from a meshed source may be a drop the sidecar has not given up on yet (or a starved
   * agent). One re-probe at a quarter of the load, bounded beyond the sidecar's upstream connect
   * timeout, tells: the sidecar's 503 or its close (sidecarObservation), or a connection still silent,
   * is `blocked`; an identity is `allowed`. A request cell still silent stays a probe error: the
   * sidecar answers 503 when it gives up, so its silence is not explained by a drop.
   */
  async #reprobeBehindSidecars(cells: readonly CellKey[], perAgent: number, out: CellMap<Observation>, signal?: AbortSignal): Promise<void> {
    const silent = cells.filter((c) => this.#sidecarOf(c) !== undefined && isSilent(out.get(c)));
    if (silent.length === 0) return;
    const longest = Math.max(...new Set(silent.map((c) => this.#sidecarOf(c)!.upstreamConnectTimeoutMs)));
    const timeoutMs = longest + Math.max(SIDECAR_MARGIN_MS, this.options.timeoutMs);
    await this.#pass(silent, Math.max(1, Math.floor(perAgent / 4)), out, signal, timeoutMs);
    for (const c of silent) {
      const sidecar = this.#sidecarOf(c)!;
      if (!isSilent(out.get(c)) || sidecarCellOf(c, this.topology) !== 'connection') continue;
      out.set(c, { connectivity: 'blocked', raw: UPSTREAM_UNREACHABLE, detail: `${sidecar.name} accepted, then sent nothing within ${timeoutMs} ms on a re-probe (beyond its upstream connect timeout of ${sidecar.upstreamConnectTimeoutMs} ms)` });
    }
  }

  /** The client sidecar whose rules read this cell, if its source has one and the cell is one those rules cover. */
  #sidecarOf(c: CellKey): ClientSidecar | undefined {
    const sidecar = this.transport.clientSidecar?.(c.from);
    return sidecar && sidecarCellOf(c, this.topology) !== undefined ? sidecar : undefined;
  }

  /** Probes the cells once (one batch per source, all sources at once); returns the per-agent concurrency used. */
  async #pass(cells: readonly CellKey[], concurrency: number | undefined, out: CellMap<Observation>, signal?: AbortSignal, timeoutMs = this.options.timeoutMs): Promise<number> {
    const bySource = planJobsBySource(cells, this.addresses, this.topology, timeoutMs, (key, reason) =>
      out.set(key, { connectivity: 'probe-error', raw: 'agent-error', detail: `not probed: ${reason}` }),
    this.options.http,
    );
    const sources = [...bySource.entries()];
    // A transport that knows its agents' budget (netns hubs: one CPU-bound process serves many
    // sources) gets it kept even across hundreds of sources; the default keeps 8 per agent.
    const budget = this.transport.inFlightBudget;
    const perAgent = concurrency ?? this.options.concurrency ?? Math.max(budget === undefined ? 8 : 2, Math.floor((budget ?? IN_FLIGHT_BUDGET) / Math.max(1, sources.length)));
    const width = Math.max(1, this.options.parallelSources ?? Math.min(sources.length, 512));
    for (let i = 0; i < sources.length; i += width) {
      await Promise.all(sources.slice(i, i + width).map(([src, jobs], k) => this.#probeSource(src, jobs, perAgent, out, signal, i + k)));
    }
    return perAgent;
  }

  /**
   * True when some probe connected but got no identity line in time: the mark of CPU-starved agents.
   * Cells from sources behind a client sidecar are no such mark: the sidecar accepts every connection,
   * so their silence is also what a drop looks like (#reprobeBehindSidecars gives them their own re-probe).
   */
  #starved(out: CellMap<Observation>, cells: readonly CellKey[]): boolean {
    return cells.some((c) => this.transport.clientSidecar?.(c.from) === undefined && out.get(c)?.raw === 'wrong-identity' && /no answer|no identity/.test(out.get(c)?.detail ?? ''));
  }

  /** The verdict a client sidecar explains for this result, if any. */
  #sidecarRead(key: CellKey, r: ProbeResult, sidecar: ClientSidecar): Observation | undefined {
    const cell = sidecarCellOf(key, this.topology);
    return cell && sidecarObservation(r, cell, sidecar);
  }

  #markUnavailable(out: CellMap<Observation>): void {
    const gone = this.options.unavailableHosts?.();
    if (!gone || gone.size === 0) return;
    for (const [key, obs] of out.entries()) {
      const host = gone.has(key.to) ? key.to : gone.has(key.from) ? key.from : undefined;
      if (host && obs.connectivity !== 'unknown') out.set(key, { connectivity: 'probe-error', raw: 'agent-error', detail: `the agent of ${host} is not running (it exited during the run)` });
    }
  }

  /** Runs one source's batch; `index` (the source's place in the pass) rotates its destination order. */
  async #probeSource(source: PeerRef, planned: PlannedJob[], perAgent: number, out: CellMap<Observation>, signal: AbortSignal | undefined, index: number): Promise<void> {
    const concurrency = Math.max(1, Math.min(perAgent, planned.length));
    const sidecar = this.transport.clientSidecar?.(source);
    try {
      const reply = await this.transport.runBatch(source, { jobs: interleaveByDestination(planned, index).map((p) => p.job), concurrency }, signal);
      const byId = new Map<string, ProbeResult>(reply.results.map((r) => [r.id, r]));
      for (const { key, job } of planned) {
        const r = byId.get(job.id);
        out.set(key, r ? toObservation(r, sidecar && this.#sidecarRead(key, r, sidecar)) : { connectivity: 'probe-error', raw: 'agent-error', detail: 'the agent returned no result for this job' });
      }
    } catch (err) {
      const detail = `transport to ${source} failed: ${err instanceof Error ? err.message : String(err)}`;
      for (const { key } of planned) out.set(key, { connectivity: 'probe-error', raw: 'agent-error', detail });
    }
  }
}

function toObservation(r: ProbeResult, behindSidecar?: Observation): Observation {
  if (behindSidecar) return behindSidecar;
  return { connectivity: classifyOutcome(r.outcome), raw: rawOf(r), ...(r.detail ? { detail: r.detail } : {}) };
}

/** The raw outcome a report shows: who refused a denied cell ("http 403 RBAC: access denied", "closed after connect"), else the outcome's name. */
function rawOf(r: ProbeResult): string {
  if (r.outcome === 'http-response') return r.detail ?? 'http response';
  return r.outcome === 'closed-after-connect' ? 'closed after connect' : r.outcome;
}
