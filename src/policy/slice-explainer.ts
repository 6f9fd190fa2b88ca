import { servesPort, type Connectivity, type DirectionExplanation, type Explanation, type Protocol, type TargetKind } from '../model/index.js';
import type { CompiledTopology } from './compiled-topology.js';
import { DnsLookups } from './dns-lookups.js';
import type { Direction, PolicyLayer } from './layers/policy-layer.js';
import { NamedPortSets } from './named-port-sets.js';
import { SideComposer, type TableBudget } from './side-composer.js';
import { SummaryWriter, type SideText } from './summarize.js';

/** Port and protocol of the DNS lookup a dns-name probe makes first. */
export const DNS_LOOKUP = { port: 53, protocol: 'UDP' as Protocol };

/** A direction explanation for a side that is not a pod (an external host has no ingress, and no policed egress). */
const NOT_APPLICABLE: DirectionExplanation = { applies: false, isolated: false, selectedBy: [], allowedBy: [], verdict: 'allowed', layers: [] };

/** The hairpin composers explain one cell per subject (its own): a table per class would be filled for nothing. */
const NO_TABLES: TableBudget = { remaining: 0 };

/**
 * Explains the cells of one slice (target kind, port, protocol) with full provenance, fast enough to
 * build millions of records: each layer interns its outcomes, the composed direction explanation
 * (with its summary fragment) is built once per distinct path of layer outcomes and shared (they are
 * immutable), subjects the layers put in one class share it per peer without asking the layers again
 * (see SideComposer), and only the Explanation object and its summary sentence are new per cell. Same result
 * as a from-scratch evaluation of the cell (the engine's `evaluate` is this explainer).
 */
export class SliceExplainer {
  readonly #state: CompiledTopology;
  readonly #target: TargetKind;
  readonly #protocol: Protocol;
  /** Slices whose cells ask for a name (dns-name; external with named externals; dns under a DNS proxy): the names and their DNS proxies. */
  readonly #names: DnsLookups | undefined;
  readonly #serves: Uint8Array;
  readonly #sides: { egress: SideComposer; ingress: SideComposer };
  /** pod-ip slices with a layer that exempts hairpin: the composers of a pod's own cell, without those layers. */
  readonly #hairpin: { egress: SideComposer; ingress: SideComposer } | undefined;
  readonly #summary: SummaryWriter;
  readonly #notApplicable: { egress: SideText; ingress: SideText };
  /** Slices whose cells look a name up before they connect: the explainer of the lookup and each source's lookup explanation. */
  readonly #lookup: SliceExplainer | undefined;
  readonly #lookups = new Map<number, Explanation>();

  /** `budget`: table entries the side composers may still take (shared by a compiled state's explainers; 0 = compose every cell). */
  constructor(
    state: CompiledTopology,
    layers: readonly PolicyLayer[],
    target: TargetKind,
    port: number,
    protocol: Protocol,
    lookup?: SliceExplainer,
    budget: TableBudget = { remaining: 0 },
    names: DnsLookups = new DnsLookups(state, layers),
  ) {
    this.#state = state;
    this.#target = target;
    this.#protocol = protocol;
    this.#names = names.applies(target) ? names : undefined;
    this.#serves = Uint8Array.from(state.hosts, (h) => (servesPort(h, port, protocol) ? 1 : 0));
    this.#summary = new SummaryWriter(`${port}/${protocol}`);
    this.#notApplicable = { egress: this.#summary.side('egress', NOT_APPLICABLE), ingress: this.#summary.side('ingress', NOT_APPLICABLE) };
    const slice = { port, protocol, named: new NamedPortSets(state.hosts, port, protocol) };
    const composer = (direction: Direction, of: readonly PolicyLayer[], tables: TableBudget) =>
      new SideComposer(direction, of.map((l) => l.name), of.map((l) => l.explainer(direction, slice)), this.#summary, state.hosts, tables);
    this.#sides = { egress: composer('egress', layers, budget), ingress: composer('ingress', layers, budget) };
    const applying = layers.filter((l) => l.exemptsHairpin !== true);
    this.#hairpin = target === 'pod-ip' && applying.length < layers.length ? { egress: composer('egress', applying, NO_TABLES), ingress: composer('ingress', applying, NO_TABLES) } : undefined;
    this.#lookup = this.#names && target !== 'dns' ? lookup : undefined;
    if (this.#names && target !== 'dns' && !lookup) throw new Error(`SliceExplainer: a ${target} slice with DNS lookups needs the lookup explainer`);
  }

  /**
   * The explanation of the flow from host `source` (a pod, or an external host: no policy of any
   * layer selects it, so only the destination's ingress decides) to host `destination`.
   */
  explain(source: number, destination: number): Explanation {
    const { hosts } = this.#state;
    const dest = hosts[destination]!;
    // A pod reaching its own pod IP: ClusterNetworkPolicy is enforced outside the pod, so its layers do not apply.
    const sides = this.#hairpin && source === destination ? this.#hairpin : this.#sides;
    const egress = hosts[source]!.kind === 'pod' ? sides.egress.explain(source, destination, dest) : this.#notApplicable.egress;
    const ingress = dest.kind === 'pod' ? sides.ingress.explain(destination, source, dest) : this.#notApplicable.ingress;
    const flow: Connectivity = this.#serves[destination] === 0 ? 'invalid-port' : both(egress.explanation.verdict, ingress.explanation.verdict);
    const from = hosts[source]!.ref;
    const name = this.#names?.nameOf(this.#target, destination);
    if (name === undefined) return { verdict: flow, egress: egress.explanation, ingress: ingress.explanation, summary: this.#summary.write(flow, from, dest.ref, egress, ingress) };
    // A dns cell is the query itself; the other cells look the name up (53/UDP) before they connect.
    const dns = this.#target === 'dns' ? undefined : this.#dnsLookup(source);
    // A query the network lets through may still be answered REFUSED by a DNS proxy: a client never connects.
    const reached = flow !== 'invalid-port' && (dns?.verdict ?? flow) === 'allowed';
    const refusal = reached ? this.#names!.refusal(source, name, dns ? DNS_LOOKUP.protocol : this.#protocol) : undefined;
    if (refusal) {
      const what = dns ? `the DNS lookup of ${name} by ${from}` : `the DNS query of ${from} for ${name}`;
      return { verdict: 'denied', egress: egress.explanation, ingress: ingress.explanation, ...(dns && { dns }), l7: [refusal], summary: `denied: ${what} is refused; ${refusal.layer}: ${refusal.reason}` };
    }
    const verdict: Connectivity = !dns || flow === 'invalid-port' ? flow : dns.verdict === 'allowed' ? flow : dns.verdict === 'ambiguous' && flow !== 'blocked' ? 'ambiguous' : 'blocked';
    return { verdict, egress: egress.explanation, ingress: ingress.explanation, ...(dns && { dns }), summary: this.#summary.write(verdict, from, dest.ref, egress, ingress, dns) };
  }

  #dnsLookup(source: number): Explanation {
    let dns = this.#lookups.get(source);
    if (!dns) {
      dns = this.#lookup!.explain(source, this.#state.dnsPod!);
      this.#lookups.set(source, dns);
    }
    return dns;
  }
}

/** Both directions: blocked if either surely blocks, allowed if both surely allow, else ambiguous. */
function both(egress: DirectionExplanation['verdict'], ingress: DirectionExplanation['verdict']): Connectivity {
  if (egress === 'blocked' || ingress === 'blocked') return 'blocked';
  return egress === 'allowed' && ingress === 'allowed' ? 'allowed' : 'ambiguous';
}
