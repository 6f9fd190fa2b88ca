import { expect } from 'chai';
import type { Host } from '../../src/policy/compiled-state.js';
import type { LayerSide, LayerSideExplainer } from '../../src/policy/layers/policy-layer.js';
import { SideComposer } from '../../src/policy/side-composer.js';
import { SummaryWriter } from '../../src/policy/summarize.js';

const hosts: Host[] = Array.from({ length: 6 }, (_, i) => ({ kind: 'pod', ref: `x/p${i}`, index: i, ports: [] }));

/** Accepts peers of even index; subjects 0–3 are one class, 4 and 5 each their own; counts its calls. */
class CountingLayer implements LayerSideExplainer {
  calls = 0;
  readonly #accept: LayerSide = { id: 1, decision: { layer: 'Test', outcome: 'accept', policy: 'x/even', rule: 0 }, selectedBy: ['x/even'], allowedBy: [{ policy: 'x/even', direction: 'egress', rule: 0 }] };
  readonly #deny: LayerSide = { id: 2, decision: { layer: 'Test', outcome: 'deny' }, selectedBy: ['x/even'], allowedBy: [] };

  explain(_subject: number, peer: number): LayerSide {
    this.calls++;
    return peer % 2 === 0 ? this.#accept : this.#deny;
  }

  subjectClass(subject: Host): number {
    return subject.index < 4 ? 0 : subject.index;
  }
}

const composer = (layer: LayerSideExplainer, remaining: number) => new SideComposer('egress', ['Test'], [layer], new SummaryWriter('80/TCP'), hosts, { remaining });
const everyCell = (c: SideComposer) => hosts.flatMap((s) => hosts.map((p) => c.explain(s.index, p.index, p)));

describe('SideComposer', () => {
  describe('#explain()', () => {
    it('should ask the layer once per (class, peer)', () => {
      const layer = new CountingLayer();
      everyCell(composer(layer, 1000));
      // Subjects 0–3: the first fills the table, the other three read it; 4 and 5 (classes of one, no table) are asked per peer.
      expect(layer.calls).to.equal(6 + 6 + 6);
    });

    it('should fill a class\'s table on its first cell, so its other subjects never ask the layer', () => {
      const layer = new CountingLayer();
      const c = composer(layer, 1000);
      c.explain(0, 3, hosts[3]!);
      expect(layer.calls).to.equal(6);
      for (const s of [1, 2, 3]) for (const p of hosts) c.explain(s, p.index, p);
      expect(layer.calls).to.equal(6);
    });

    it('should ask the layer for every cell when the table budget is spent, with the same texts', () => {
      const tabled = new CountingLayer();
      const untabled = new CountingLayer();
      const withTables = everyCell(composer(tabled, 1000));
      const without = everyCell(composer(untabled, 0));
      expect(untabled.calls).to.equal(36);
      expect(withTables.map((t) => JSON.stringify(t))).to.deep.equal(without.map((t) => JSON.stringify(t)));
    });

    it('should not class subjects when a layer does not say how', () => {
      const layer = new CountingLayer();
      const unclassed: LayerSideExplainer = { explain: (s, p) => layer.explain(s, p) };
      everyCell(composer(unclassed, 1000));
      expect(layer.calls).to.equal(36);
    });
  });
});
