import { expect } from 'chai';
import { CellMap, type CellKey } from '../../src/model/index.js';
import type { Observation } from '../../src/probe/observation.js';
import type { Prober } from '../../src/probe/prober.js';
import { RealExternalBaseline } from '../../src/probe/real-external-baseline.js';

const topology = {
  externals: [
    { name: 'metadata', ip: '169.254.169.254', ports: [], real: true },
    { name: 'mirror', ip: '203.0.113.20', ports: [] },
  ],
};
const toMetadataFromA: CellKey = { from: 'x/a', to: 'external:metadata', target: 'external', port: 80, protocol: 'TCP' };
const toMetadataFromB: CellKey = { from: 'x/b', to: 'external:metadata', target: 'external', port: 80, protocol: 'TCP' };
const toMirror: CellKey = { from: 'x/a', to: 'external:mirror', target: 'external', port: 80, protocol: 'TCP' };

/** A prober whose answers the test sets per cell. */
function scripted(answers: Map<CellKey, Observation>): Prober {
  return {
    observe: async (cells) => {
      const out = new CellMap<Observation>();
      for (const c of cells) out.set(c, answers.get(c) ?? { connectivity: 'blocked', raw: 'timeout' });
      return out;
    },
  };
}

describe('RealExternalBaseline', () => {
  describe('#observe()', () => {
    it('should keep a drop as blocked only where the no-policy baseline reached the real host', async () => {
      const answers = new Map<CellKey, Observation>([[toMetadataFromA, { connectivity: 'allowed', raw: 'connected' }]]);
      const gate = new RealExternalBaseline(scripted(answers), topology);
      await gate.baseline([toMetadataFromA, toMetadataFromB, toMirror]);
      answers.delete(toMetadataFromA);
      const out = await gate.observe([toMetadataFromA, toMetadataFromB, toMirror]);
      expect(out.get(toMetadataFromA)).to.deep.equal({ connectivity: 'blocked', raw: 'timeout' });
      expect(out.get(toMetadataFromB)).to.deep.include({ connectivity: 'unknown', raw: 'timeout' });
      expect(out.get(toMetadataFromB)?.detail).to.match(/was not reached with no policy in force either/);
      expect(out.get(toMirror)?.connectivity, 'simulated hosts are not gated').to.equal('blocked');
    });

    it('should not gate an allowed observation, nor cells before any baseline says otherwise', async () => {
      const answers = new Map<CellKey, Observation>([[toMetadataFromA, { connectivity: 'allowed', raw: 'connected' }]]);
      const gate = new RealExternalBaseline(scripted(answers), topology);
      expect((await gate.observe([toMetadataFromA])).get(toMetadataFromA)?.connectivity).to.equal('allowed');
      expect((await gate.observe([toMetadataFromB])).get(toMetadataFromB)?.detail).to.match(/no no-policy baseline yet/);
    });
  });
});
