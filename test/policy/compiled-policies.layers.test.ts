import { expect } from 'chai';
import fc from 'fast-check';
import type { CellKey, LayerOutcome, NetworkPolicy, Topology } from '../../src/model/index.js';
import { Bitsets } from '../../src/policy/bitset.js';
import { CompiledPolicies } from '../../src/policy/compiled-policies.js';
import { CompiledTopology } from '../../src/policy/compiled-topology.js';
import { compileLayers } from '../../src/policy/layers/layer-modules.js';
import type { Direction, LayerSide, PolicyLayer, RowDecision } from '../../src/policy/layers/policy-layer.js';
import { allCells, cell, gridTopology, netpol } from './grid-topology.js';
import { naiveVerdict } from './naive-evaluate.js';
import { PROBED, policiesArb, topologyArb } from './policy-arbitraries.js';

type Outcome = Exclude<LayerOutcome, 'not-consulted'>;

/**
 * A hand-built layer for tests only (no policy kind): per direction and subject, a fixed outcome for
 * every peer, or none. Its rows and its explainer read the same table, as a real layer's must.
 */
class TableLayer implements PolicyLayer {
  readonly #interned = new Map<Outcome, LayerSide>();

  constructor(
    readonly name: string,
    readonly rank: number,
    private readonly table: (direction: Direction, subject: number, peer: number) => Outcome,
    private readonly podCount: number,
    private readonly size: number,
  ) {}

  rows(direction: Direction): readonly (RowDecision | undefined)[] {
    return Array.from({ length: this.podCount }, (_, s) => {
      const accept = Bitsets.empty(this.size);
      const deny = Bitsets.empty(this.size);
      for (let p = 0; p < this.size; p++) {
        const outcome = this.table(direction, s, p);
        if (outcome === 'accept') Bitsets.add(accept, p);
        if (outcome === 'deny') Bitsets.add(deny, p);
      }
      return { accept, deny };
    });
  }

  explainer(direction: Direction) {
    return { explain: (subject: number, peer: number) => this.#side(this.table(direction, subject, peer)) };
  }

  #side(outcome: Outcome): LayerSide {
    let side = this.#interned.get(outcome);
    if (!side) this.#interned.set(outcome, (side = { id: OUTCOMES.indexOf(outcome), decision: { layer: this.name, outcome, ...(outcome !== 'no-decision' && { policy: `t/${this.name}`, rule: 0 }) }, selectedBy: [], allowedBy: [] }));
    return side;
  }
}

const OUTCOMES: readonly Outcome[] = ['accept', 'deny', 'pass', 'no-decision'];
/** A deterministic pseudo-random table from a seed. */
const tableOf = (seed: number) => (direction: Direction, subject: number, peer: number): Outcome =>
  OUTCOMES[(Math.imul(seed ^ (direction === 'egress' ? 0x9e37 : 0x79b9), 31 * subject + 7 * peer + 1) >>> 3) % 4]!;

/** Before the NetworkPolicy layer, the NetworkPolicy layer itself, and after it. */
function layered(t: Topology, ps: readonly NetworkPolicy[], seeds: readonly [number, number]): { engine: CompiledPolicies; before: TableLayer; after: TableLayer } {
  const topology = new CompiledTopology(t);
  const before = new TableLayer('Before', -1, tableOf(seeds[0]), topology.podCount, topology.size);
  const after = new TableLayer('After', 1, tableOf(seeds[1]), topology.podCount, topology.size);
  return { engine: new CompiledPolicies(topology, [before, ...compileLayers(topology, ps), after]), before, after };
}

/** The first decider's verdict for one direction: the Before layer, then NetworkPolicy (the naive evaluator), then After, then allowed. */
function firstDecider(outcomes: readonly (Outcome | 'np')[]): Outcome | 'np' | undefined {
  return outcomes.find((o) => o === 'accept' || o === 'deny' || o === 'np');
}

describe('CompiledPolicies with several layers', () => {
  describe('#verdictGrid() and #evaluate()', () => {
    it('should agree with each other and with the first decider per direction', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(3), fc.integer(), fc.integer(), (t, ps, a, b) => {
          const { engine } = layered(t, ps, [a, b]);
          const index = (ref: string) => engine.hostIndex(ref as CellKey['to'])!;
          const npOnly = new CompiledPolicies(new CompiledTopology(t), compileLayers(new CompiledTopology(t), ps));
          const bad: string[] = [];
          for (const key of allCells(t, PROBED, ['pod-ip', 'external'])) {
            const e = engine.evaluate(key);
            if (engine.verdict(key) !== e.verdict) bad.push(`${key.from} -> ${key.to}: grid ${engine.verdict(key)}, evaluate ${e.verdict}`);
            if (e.verdict === 'invalid-port') continue;
            const s = index(key.from);
            const d = index(key.to);
            const np = npOnly.evaluate(key);
            const direction = (dir: Direction, subject: number, peer: number, npAllowed: boolean, isPod: boolean): boolean => {
              if (!isPod) return true;
              const decider = firstDecider([tableOf(a)(dir, subject, peer), np[dir].isolated ? 'np' : 'no-decision', tableOf(b)(dir, subject, peer)]);
              return decider === undefined || decider === 'accept' || (decider === 'np' && npAllowed);
            };
            const expected = direction('egress', s, d, np.egress.verdict === 'allowed', !key.from.startsWith('external:')) && direction('ingress', d, s, np.ingress.verdict === 'allowed', key.target !== 'external');
            if ((e.verdict === 'allowed') !== expected) bad.push(`${key.from} -> ${key.to} ${key.port}/${key.protocol}: ${e.summary}`);
          }
          expect(bad).to.deep.equal([]);
        }),
        { numRuns: 80 },
      );
    });

    it('should still equal the naive evaluator when the other layers never decide', () => {
      fc.assert(
        fc.property(topologyArb, policiesArb(3), (t, ps) => {
          const topology = new CompiledTopology(t);
          const silent = (name: string, rank: number) => new TableLayer(name, rank, () => 'pass', topology.podCount, topology.size);
          const engine = new CompiledPolicies(topology, [silent('Before', -1), ...compileLayers(topology, ps), silent('After', 1)]);
          const bad = allCells(t, PROBED, ['pod-ip', 'dns-name', 'external']).filter((k) => engine.verdict(k) !== naiveVerdict(t, ps, k));
          expect(bad).to.deep.equal([]);
        }),
        { numRuns: 60 },
      );
    });
  });

  describe('#evaluate() provenance', () => {
    it('should show the path in the summary and mark the layers after the decider not consulted', () => {
      const t = gridTopology();
      const topology = new CompiledTopology(t);
      const deny = new TableLayer('Admin', -1, (dir) => (dir === 'ingress' ? 'deny' : 'pass'), topology.podCount, topology.size);
      const engine = new CompiledPolicies(topology, [deny, ...compileLayers(topology, [netpol('y', 'open', { podSelector: {}, ingress: [{}] })])]);
      const e = engine.evaluate(cell('x/a', 'y/b'));
      expect(e.verdict).to.equal('blocked');
      expect(e.ingress.layers).to.deep.equal([
        { layer: 'Admin', outcome: 'deny', policy: 't/Admin', rule: 0 },
        { layer: 'NetworkPolicy', outcome: 'not-consulted', decidedBy: 'Admin' },
      ]);
      expect(e.summary).to.equal('blocked: ingress of y/b is denied (Admin deny (t/Admin rule 0) -> NetworkPolicy not consulted) towards x/a on 80/TCP');
    });

    it('should say when a direction is allowed by default after every layer passed', () => {
      const t = gridTopology();
      const topology = new CompiledTopology(t);
      const pass = new TableLayer('Admin', -1, () => 'pass', topology.podCount, topology.size);
      const engine = new CompiledPolicies(topology, [pass, ...compileLayers(topology, [netpol('y', 'open', { podSelector: {}, ingress: [{}] })])]);
      expect(engine.evaluate(cell('x/a', 'y/b')).summary).to.equal(
        'allowed: x/a egress allowed (Admin pass (t/Admin rule 0) -> NetworkPolicy no decision -> default allow); y/b ingress allowed (Admin pass (t/Admin rule 0) -> NetworkPolicy accept (y/open rule 0))',
      );
    });
  });
});
