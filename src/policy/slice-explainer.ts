import { servesPort, type Connectivity, type DirectionExplanation, type Explanation, type Protocol, type TargetKind } from '../model/index.js';
import type { Host } from './compiled-state.js';
import type { CompiledTopology } from './compiled-topology.js';
import { composeDirection, decides } from './layers/compose-layers.js';
import type { Direction, LayerSide, LayerSideExplainer, PolicyLayer } from './layers/policy-layer.js';
import { NamedPortSets } from './named-port-sets.js';
import { SummaryWriter, type SideText } from './summarize.js';

/** Port and protocol of the DNS lookup a dns-name probe makes first. */
export const DNS_LOOKUP = { port: 53, protocol: 'UDP' as Protocol };

/** A direction explanation for a side that is not a pod (an external host has no ingress, and no policed egress). */
const NOT_APPLICABLE: DirectionExplanation = { applies: false, isolated: false, selectedBy: [], allowedBy: [], verdict: 'allowed', layers: [] };

/**
 * Explains the cells of one slice (target kind, port, protocol) with full provenance, fast enough to
 * build millions of records: each layer interns its outcomes, the composed direction explanation
 * (with its summary fragment) is built once per distinct path of layer outcomes and shared (they are
 * immutable), and only the Explanation object and its summary sentence are new per cell. Same result
 * as a from-scratch evaluation of the cell (the engine's `evaluate` is this explainer).
 */
export class SliceExplainer {
  readonly #state: CompiledTopology;
  readonly #dnsName: boolean;
  readonly #serves: Uint8Array;
  readonly #sides: { egress: SideComposer; ingress: SideComposer };
  /** pod-ip slices with a layer that exempts hairpin: the composers of a pod's own cell, without those layers. */
  readonly #hairpin: { egress: SideComposer; ingress: SideComposer } | undefined;
  readonly #summary: SummaryWriter;
  readonly #notApplicable: { egress: SideText; ingress: SideText };
  /** dns-name only: the explainer of the lookup and each source's lookup explanation. */
  readonly #lookup: SliceExplainer | undefined;
  readonly #lookups = new Map<number, Explanation>();

  constructor(state: CompiledTopology, layers: readonly PolicyLayer[], target: TargetKind, port: number, protocol: Protocol, lookup?: SliceExplainer) {
    this.#state = state;
    this.#dnsName = target === 'dns-name' && state.dnsPod !== undefined;
    this.#serves = Uint8Array.from(state.hosts, (h) => (servesPort(h, port, protocol) ? 1 : 0));
    this.#summary = new SummaryWriter(`${port}/${protocol}`);
    this.#notApplicable = { egress: this.#summary.side('egress', NOT_APPLICABLE), ingress: this.#summary.side('ingress', NOT_APPLICABLE) };
    const slice = { port, protocol, named: new NamedPortSets(state.hosts, port, protocol) };
    const composer = (direction: Direction, of: readonly PolicyLayer[]) => new SideComposer(direction, of.map((l) => l.name), of.map((l) => l.explainer(direction, slice)), this.#summary);
    this.#sides = { egress: composer('egress', layers), ingress: composer('ingress', layers) };
    const applying = layers.filter((l) => l.exemptsHairpin !== true);
    this.#hairpin = target === 'pod-ip' && applying.length < layers.length ? { egress: composer('egress', applying), ingress: composer('ingress', applying) } : undefined;
    this.#lookup = this.#dnsName ? lookup : undefined;
    if (this.#dnsName && !lookup) throw new Error('SliceExplainer: a dns-name slice needs the lookup explainer');
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
    if (!this.#dnsName) return { verdict: flow, egress: egress.explanation, ingress: ingress.explanation, summary: this.#summary.write(flow, from, dest.ref, egress, ingress) };
    const dns = this.#dnsLookup(source);
    const verdict: Connectivity = flow === 'invalid-port' ? 'invalid-port' : dns.verdict === 'allowed' ? flow : dns.verdict === 'ambiguous' && flow !== 'blocked' ? 'ambiguous' : 'blocked';
    return { verdict, egress: egress.explanation, ingress: ingress.explanation, dns, summary: this.#summary.write(verdict, from, dest.ref, egress, ingress, dns) };
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

/** A node of the path trie: the composed text of the path that ends here (once composed) and its continuations. */
interface PathNode {
  text: SideText | undefined;
  next: Map<LayerSide, PathNode> | undefined;
}

/**
 * One direction of a slice across the layers: asks the layers in order until one decides, and
 * interns the composed explanation by the path of (interned) layer outcomes, so a cell costs one
 * map lookup per layer consulted.
 */
class SideComposer {
  readonly #root: PathNode = { text: undefined, next: undefined };
  /** With one layer: the composed text per outcome id (an array index instead of a map lookup per cell). */
  readonly #byId: (SideText | undefined)[] = [];
  /** The outcomes of the cell being explained, written by index (no array per cell). */
  readonly #path: LayerSide[] = [];

  constructor(
    private readonly direction: Direction,
    private readonly names: readonly string[],
    private readonly explainers: readonly LayerSideExplainer[],
    private readonly summary: SummaryWriter,
  ) {}

  /** The composed side of `subject` towards its other end `peer` on a flow to `dest`. */
  explain(subject: number, peer: number, dest: Host): SideText {
    const explainers = this.explainers;
    if (explainers.length === 1) {
      // One layer (NetworkPolicy alone, today's case): its interned outcome is the whole path.
      const side = explainers[0]!.explain(subject, peer, dest);
      return (this.#byId[side.id] ??= this.summary.side(this.direction, composeDirection(this.names, [side])));
    }
    const path = this.#path;
    let node = this.#root;
    let depth = 0;
    while (depth < explainers.length) {
      const side = explainers[depth]!.explain(subject, peer, dest);
      path[depth++] = side;
      const next = (node.next ??= new Map());
      let child = next.get(side);
      if (child === undefined) next.set(side, (child = { text: undefined, next: undefined }));
      node = child;
      if (decides(side)) break;
    }
    return (node.text ??= this.summary.side(this.direction, composeDirection(this.names, path.slice(0, depth))));
  }
}
