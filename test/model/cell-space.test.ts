import { expect } from 'chai';
import { CellSpace, type ProbeSettings } from '../../src/model/index.js';
import { planCells } from '../../src/probe/plan-cells.js';
import { loadScenarios } from '../../src/scenario/index.js';
import { gridTopology } from '../policy/grid-topology.js';

describe('CellSpace', () => {
  describe('.of()', () => {
    it('should hold the same cells in the same order as planCells for every shipped scenario', async () => {
      const scenarios = await loadScenarios(['scenarios']);
      expect(scenarios.length).to.be.greaterThan(20);
      for (const s of scenarios) {
        expect([...CellSpace.of(s.topology, s.probes).keys()], s.file).to.deep.equal(planCells(s.topology, s.probes));
      }
    });

    it('should repeat every slice per family in a dual-stack topology, primary first, an external host only in the families it has an address of', () => {
      const base = gridTopology({
        namespaces: ['x'],
        externals: [
          { name: 'v4only', ip: '192.0.2.1', ports: [{ port: 80, protocol: 'TCP' }] },
          { name: 'both', ip: '192.0.2.2', ips: ['192.0.2.2', '2001:db8::2'], ports: [{ port: 80, protocol: 'TCP' }] },
          { name: 'client', ip: '203.0.113.1', ips: ['203.0.113.1', '2001:db8::9'], ports: [], source: true },
        ],
      });
      const topology = { ...base, ipFamilies: ['IPv4', 'IPv6'] as const, pods: base.pods.map((p, i) => ({ ...p, ips: [p.ip, `fd00::${i + 1}`] })) };
      const settings: ProbeSettings = { ports: [{ port: 80, protocol: 'TCP' }], targets: ['pod-ip', 'external'], dns: ['UDP'], timeoutMs: 1000 };
      const space = CellSpace.of(topology, settings);
      expect([...space.keys()]).to.deep.equal(planCells(topology, settings));
      expect(space.slices.map((s) => `${s.target} ${s.family} ${s.destinations.join(',')}`)).to.deep.equal([
        'pod-ip IPv4 x/a,x/b,x/c',
        'external IPv4 external:v4only,external:both',
        'dns IPv4 kube-system/coredns',
        'pod-ip IPv6 x/a,x/b,x/c',
        'external IPv6 external:both',
        'dns IPv6 kube-system/coredns',
      ]);
      expect([...space.keys()].filter((k) => k.from === 'external:client').map((k) => k.family)).to.deep.equal(['IPv4', 'IPv4', 'IPv4', 'IPv6', 'IPv6', 'IPv6']);
    });

    it('should give external sources rows of the pod-ip slices only, after the pods, in planCells order', () => {
      const topology = gridTopology({
        externals: [
          { name: 'meta', ip: '169.254.169.254', ports: [{ port: 80, protocol: 'TCP' }] },
          { name: 'browser', ip: '203.0.113.10', ports: [], source: true },
        ],
      });
      const settings: ProbeSettings = { ports: [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }], targets: ['pod-ip', 'service', 'external'], dns: ['UDP'], timeoutMs: 1000 };
      const space = CellSpace.of(topology, settings);
      expect([...space.keys()]).to.deep.equal(planCells(topology, settings));
      expect(space.parts.map((p) => p.sources.length)).to.deep.equal([9, 1]);
      const outside = [...space.keys()].filter((k) => k.from === 'external:browser');
      expect(outside).to.have.length(18);
      expect(outside.every((k) => k.target === 'pod-ip' && !k.to.startsWith('external:'))).to.equal(true);
      const podIp80 = space.slices.find((s) => s.target === 'pod-ip' && s.port === 80)!;
      expect(space.sliceSize(podIp80.index)).to.equal(10 * 9);
    });

    it('should match planCells with every target kind, DNS queries and externals', () => {
      const topology = gridTopology({ externals: [{ name: 'meta', ip: '169.254.169.254', ports: [{ port: 80, protocol: 'TCP' }] }] });
      const settings: ProbeSettings = {
        ports: [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'UDP' }, { port: 99, protocol: 'TCP' }],
        targets: ['pod-ip', 'service', 'dns-name', 'external', 'dns'],
        dns: ['UDP', 'TCP'],
        timeoutMs: 1000,
      };
      const space = CellSpace.of(topology, settings);
      expect([...space.keys()]).to.deep.equal(planCells(topology, settings));
      expect(space.size).to.equal(planCells(topology, settings).length);
    });
  });

  describe('#key()', () => {
    it('should find the slice of every row position', () => {
      const space = CellSpace.of(gridTopology(), { ports: [{ port: 80, protocol: 'TCP' }, { port: 81, protocol: 'TCP' }], targets: ['pod-ip'], dns: [], timeoutMs: 1000 });
      expect(space.parts[0]!.rowLength).to.be.greaterThan(0);
      expect(space.key(0).port).to.equal(80);
      expect(space.key(space.parts[0]!.rowLength - 1).port).to.equal(81);
      expect(space.key(space.parts[0]!.rowLength).from).to.not.equal(space.key(0).from);
    });
  });
});
