import { expect } from 'chai';
import { planCells } from '../../src/probe/plan-cells.js';
import { gridTopology } from '../builders/grid-topology.js';

describe('planCells', () => {
  const settings = { ports: [{ port: 80, protocol: 'TCP' as const }, { port: 81, protocol: 'UDP' as const }], targets: ['pod-ip' as const], dns: [], timeoutMs: 1000 };

  it('should plan sources × destinations × ports for non-system pods', () => {
    const cells = planCells(gridTopology(), settings);
    expect(cells).to.have.length(9 * 9 * 2);
    expect(cells.some((c) => c.from.startsWith('kube-system/') || c.to.startsWith('kube-system/'))).to.equal(false);
  });

  it('should leave out ports the destination does not serve', () => {
    const topology = gridTopology({ namespaces: ['x'], pods: ['a', 'b'], podPorts: { 'x/b': [{ port: 80, protocol: 'TCP' }] } });
    const cells = planCells(topology, settings);
    expect(cells.filter((c) => c.to === 'x/b').map((c) => `${c.port}/${c.protocol}`)).to.deep.equal(['80/TCP', '80/TCP']);
  });

  it('should add service, dns-name, external and dns cells when asked', () => {
    const topology = gridTopology({ namespaces: ['x'], pods: ['a'], externals: [{ name: 'meta', ip: '169.254.169.254', ports: [{ port: 80, protocol: 'TCP' }] }] });
    const cells = planCells(topology, { ...settings, targets: ['pod-ip', 'service', 'dns-name', 'external'], dns: ['UDP', 'TCP'] });
    const kinds = cells.map((c) => `${c.target} ${c.to} ${c.port}/${c.protocol}`);
    expect(kinds).to.include.members(['service x/a 80/TCP', 'dns-name x/a 81/UDP', 'external external:meta 80/TCP', 'dns kube-system/coredns 53/UDP', 'dns kube-system/coredns 53/TCP']);
    expect(kinds).to.not.include('external external:meta 81/UDP');
  });
});
