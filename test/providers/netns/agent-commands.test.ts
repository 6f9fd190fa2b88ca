import { expect } from 'chai';
import { planAddresses } from '../../../src/providers/netns/address-plan.js';
import { agentCommands } from '../../../src/providers/netns/agent-commands.js';
import { netnsNames } from '../../../src/providers/netns/netns-names.js';
import { gridTopology } from './fixtures.js';

describe('agentCommands', () => {
  const t = gridTopology({ namespaces: ['x'], pods: ['a'], externals: true });
  const topology = { ...t, pods: t.pods.map((p) => (p.name === 'a' ? { ...p, ports: [...p.ports, { port: 9, protocol: 'SCTP' as const }] } : p)) };
  const layout = { node: '/n', bundle: '/b.mjs', dir: '/d', resolvConf: (ns: string) => `/d/resolv-${ns}.conf`, records: '/d/records.json', namePolicy: '/d/name-policy.json' };
  const cmds = agentCommands(topology, planAddresses(topology, netnsNames('r1')), layout);

  it('should serve a pod\'s TCP/UDP ports inside its namespace with a control socket and its resolv.conf', () => {
    expect(cmds[0]?.args).to.deep.equal([
      'ip', 'netns', 'exec', 'netseg-r1-p0', '/n', '/b.mjs', 'serve', '--identity', 'x/a', '--listen', '80/TCP,80/UDP,81/TCP,81/UDP',
      '--control', '/d/0.sock', '--ready-file', '/d/0.ready', '--resolv-conf', '/d/resolv-x.conf',
    ]);
  });

  it('should run the DNS server in the DNS pod, without serving 53 twice', () => {
    expect(cmds[1]?.args.slice(6, 11)).to.deep.equal(['dns', '--identity', 'kube-system/coredns', '--listen', '']);
    expect(cmds[1]?.args).to.include('--records').and.include('/d/records.json');
  });

  it('should serve external hosts that are no probe source without a control socket', () => {
    expect(cmds[2]?.args.slice(6)).to.deep.equal(['serve', '--identity', 'external:metadata', '--listen', '80/TCP', '--ready-file', '/d/2.ready']);
    expect(cmds[2]?.files.control).to.equal(undefined);
  });

  it('should give an external source a control socket, so the prober can send it batches', () => {
    const withSource = { ...topology, externals: [...topology.externals, { name: 'browser', ip: '203.0.113.10', ports: [], source: true }] };
    const all = agentCommands(withSource, planAddresses(withSource, netnsNames('r1')), layout);
    expect(all[3]?.args.slice(6)).to.deep.equal(['serve', '--identity', 'external:browser', '--listen', '', '--control', '/d/3.sock', '--ready-file', '/d/3.ready']);
    expect(all[3]?.files.control).to.equal('/d/3.sock');
  });
});
