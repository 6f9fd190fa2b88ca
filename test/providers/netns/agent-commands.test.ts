import { expect } from 'chai';
import { planAddresses } from '../../../src/providers/netns/address-plan.js';
import { agentCommands } from '../../../src/providers/netns/agent-commands.js';
import { netnsNames } from '../../../src/providers/netns/netns-names.js';
import { gridTopology } from './fixtures.js';

describe('agentCommands', () => {
  const t = gridTopology({ namespaces: ['x'], pods: ['a'], externals: true });
  const topology = { ...t, pods: t.pods.map((p) => (p.name === 'a' ? { ...p, ports: [...p.ports, { port: 9, protocol: 'SCTP' as const }] } : p)) };
  const layout = { node: '/n', bundle: '/b.mjs', dir: '/d', resolvConf: (ns: string) => `/d/resolv-${ns}.conf`, records: '/d/records.json', namePolicy: '/d/name-policy.json', hubs: 0, hubNetns: 'netseg-r1-hub' };
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
    expect(cmds[2]?.controls.size).to.equal(0);
  });

  it('should give an external source a control socket, so the prober can send it batches', () => {
    const withSource = { ...topology, externals: [...topology.externals, { name: 'browser', ip: '203.0.113.10', ports: [], source: true }] };
    const all = agentCommands(withSource, planAddresses(withSource, netnsNames('r1')), layout);
    expect(all[3]?.args.slice(6)).to.deep.equal(['serve', '--identity', 'external:browser', '--listen', '', '--control', '/d/3.sock', '--ready-file', '/d/3.ready']);
    expect([...(all[3]?.controls ?? [])]).to.deep.equal([['external:browser', '/d/3.sock']]);
  });

  describe('with hubs', () => {
    const grid = gridTopology({ namespaces: ['x', 'y'], pods: ['a', 'b'], externals: true });
    const hubbed = agentCommands(grid, planAddresses(grid, netnsNames('r1')), { ...layout, hubs: 2 });
    const specOf = (i: number) => JSON.parse(hubbed[i]?.files.spec?.text ?? '{}') as { members: { identity: string; netns: string; control?: string }[] };

    it('should keep the DNS pod in a process of its own and spread the other hosts round robin over the hubs', () => {
      expect(hubbed.map((c) => c.hosts.map((h) => h.ref))).to.deep.equal([['kube-system/coredns'], ['x/a', 'y/a', 'external:metadata'], ['x/b', 'y/b']]);
      expect(hubbed[0]?.args[6]).to.equal('dns');
    });

    it('should run each hub in the empty hub namespace, with the members\' namespaces, ports and control sockets in its spec', () => {
      expect(hubbed[1]?.args).to.deep.equal(['ip', 'netns', 'exec', 'netseg-r1-hub', '/n', '/b.mjs', 'hub', '--spec', '/d/hub-0.json', '--ready-file', '/d/hub-0.ready']);
      expect(specOf(1).members[0]).to.deep.equal({ identity: 'x/a', netns: '/run/netns/netseg-r1-p0', listen: '80/TCP,80/UDP,81/TCP,81/UDP', control: '/d/0.sock', resolvConf: '/d/resolv-x.conf' });
      expect(specOf(1).members[2]).to.deep.equal({ identity: 'external:metadata', netns: '/run/netns/netseg-r1-x0', listen: '80/TCP' });
      expect([...(hubbed[1]?.controls.keys() ?? [])]).to.deep.equal(['x/a', 'y/a']);
    });

    it('should start no more hubs than there are hosts to serve', () => {
      const one = gridTopology({ namespaces: ['x'], pods: ['a'] });
      const cmds1 = agentCommands(one, planAddresses(one, netnsNames('r1')), { ...layout, hubs: 8 });
      expect(cmds1.filter((c) => c.files.spec).map((c) => c.hosts.length)).to.deep.equal([1]);
    });
  });
});
