import {
  externalRef,
  hostHeaderFor,
  podRefOf,
  serviceFqdn,
  type CellKey,
  type ClusterState,
  type Connectivity,
  type ExternalHost,
  type Explanation,
  type HttpProbe,
  type L7Explanation,
  type PeerRef,
  type PodSpec,
  type Topology,
} from '../../model/index.js';
import type { L7Flow, L7Layer } from './l7-layer.js';
import { L7_MODULES } from './l7-modules.js';

/** What the L7 layers made of one cell whose connection L3/L4 let through (or may let through). */
export interface L7Judgement {
  /** `denied`: a layer refused; `unsupported`: one cannot judge the cell; `allowed`: every layer let it through. */
  readonly outcome: 'allowed' | 'denied' | 'unsupported';
  readonly layers: readonly L7Explanation[];
}

type Endpoint = { readonly kind: 'pod'; readonly pod: PodSpec } | { readonly kind: 'external'; readonly host: ExternalHost };

/**
 * The engine's L7 pass, right after the L3/L4 verdicts: a TCP cell whose connection is allowed (or
 * ambiguous) meets the L7 layers of the state in rank order; the first `deny` makes it `denied`, an
 * `unsupported` layer makes it unsupported (verdict `unknown`, reported unsupported), and the path is
 * recorded as `Explanation.l7`. An ambiguous cell stays ambiguous unless a layer cannot judge it (it
 * may be blocked below L7 or refused at L7; either way not allowed). `undefined` from `of` when the
 * state has no L7 layer: such states pay nothing.
 */
export class L7Pass {
  readonly #layers: readonly L7Layer[];
  readonly #endpoints = new Map<PeerRef, Endpoint>();
  readonly #requests: ReadonlyMap<string, HttpProbe>;
  readonly #clusterDomain: string;

  private constructor(layers: readonly L7Layer[], topology: Topology, requests: readonly HttpProbe[]) {
    this.#layers = layers;
    for (const pod of topology.pods) this.#endpoints.set(podRefOf(pod), { kind: 'pod', pod });
    for (const host of topology.externals) this.#endpoints.set(externalRef(host.name), { kind: 'external', host });
    this.#requests = new Map(requests.map((r) => [r.id, r]));
    this.#clusterDomain = topology.clusterDomain;
  }

  /** The pass over a state's L7 layers (every module of `L7_MODULES`), or undefined when it has none. */
  static of(state: ClusterState, requests: readonly HttpProbe[] = []): L7Pass | undefined {
    const layers = L7_MODULES.flatMap((m) => m.compile(state, state.topology)).sort((a, b) => a.rank - b.rank);
    return layers.length === 0 ? undefined : new L7Pass(layers, state.topology, requests);
  }

  /** The verdict after L7 of a cell whose L3/L4 verdict is `flow`. */
  verdict(key: CellKey, flow: Connectivity): Connectivity {
    if (flow !== 'allowed' && flow !== 'ambiguous') return flow;
    const judged = this.judge(key);
    return judged === undefined ? flow : verdictAfter(flow, judged.outcome);
  }

  /** The explanation after L7: the L3/L4 one with the L7 path, verdict and summary when a layer applies. */
  apply(key: CellKey, explanation: Explanation): Explanation {
    const flow = explanation.verdict;
    if (flow !== 'allowed' && flow !== 'ambiguous') return explanation;
    const judged = this.judge(key);
    if (judged === undefined) return explanation;
    const verdict = verdictAfter(flow, judged.outcome);
    return { ...explanation, verdict, l7: judged.layers, summary: summaryAfter(explanation.summary, verdict, judged) };
  }

  /** The L7 layers' judgement of a TCP cell; undefined when no layer applies (or the cell is not TCP). */
  judge(key: CellKey): L7Judgement | undefined {
    const flow = this.#flowOf(key);
    if (flow === undefined) return undefined;
    const layers: L7Explanation[] = [];
    for (const layer of this.#layers) {
      const e = layer.judge(flow);
      if (e === undefined) continue;
      layers.push(e);
      if (e.decision === 'deny') return { outcome: 'denied', layers };
      if (e.decision === 'unsupported') return { outcome: 'unsupported', layers };
    }
    return layers.length === 0 ? undefined : { outcome: 'allowed', layers };
  }

  #flowOf(key: CellKey): L7Flow | undefined {
    if (key.protocol !== 'TCP' || key.target === 'dns') return undefined;
    const source = this.#endpoints.get(key.from);
    const destination = this.#endpoints.get(key.to);
    if (!source || !destination) throw new Error(`L7 pass: ${key.from} or ${key.to} is not a host of the topology`);
    const ports = destination.kind === 'pod' ? destination.pod.ports : destination.host.ports;
    const http = ports.some((p) => p.port === key.port && p.protocol === 'TCP' && p.appProtocol === 'http');
    const request = key.request === undefined ? undefined : this.#requests.get(key.request);
    if (key.request !== undefined && request === undefined) throw new Error(`L7 pass: unknown HTTP probe "${key.request}"`);
    return {
      source: key.from,
      sourceIp: source.kind === 'pod' ? source.pod.ip : source.host.ip,
      destination: key.to,
      destinationIp: destination.kind === 'pod' ? destination.pod.ip : destination.host.ip,
      port: key.port,
      http,
      ...(request && { request, host: request.host ?? hostHeaderFor(this.#authority(key, destination), key.port) }),
    };
  }

  /** The address the client dialled: what its Host header names when the probe sets none. */
  #authority(key: CellKey, destination: Endpoint): string {
    if (destination.kind === 'external') return destination.host.dnsName ?? destination.host.ip;
    const pod = destination.pod;
    switch (key.target) {
      case 'service':
        return pod.serviceIP ?? pod.ip;
      case 'dns-name':
        return serviceFqdn(pod.name, pod.namespace, this.#clusterDomain);
      case 'pod-ip':
      case 'external':
      case 'dns':
        return pod.ip;
    }
  }
}

function verdictAfter(flow: 'allowed' | 'ambiguous', outcome: L7Judgement['outcome']): Connectivity {
  if (outcome === 'unsupported') return 'unknown';
  if (flow === 'ambiguous') return 'ambiguous';
  return outcome === 'denied' ? 'denied' : 'allowed';
}

/** The L3/L4 sentence with its verdict word replaced and each L7 layer's clause appended, e.g. "…; AuthorizationPolicy: shop/w allows POST only → GET / denied". */
function summaryAfter(summary: string, verdict: Connectivity, judged: L7Judgement): string {
  const colon = summary.indexOf(': ');
  const rest = colon === -1 ? summary : summary.slice(colon + 2);
  const word = verdict === 'unknown' ? 'unsupported' : verdict;
  return `${word}: ${rest}; ${judged.layers.map((l) => `${l.layer}: ${l.reason}`).join('; ')}`;
}
