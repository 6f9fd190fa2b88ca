import { expect } from 'chai';
import { execa } from 'execa';
import type { DnsJob, ConnectJob } from '../../src/agent/protocol.js';
import type { NetworkPolicy, Topology } from '../../src/model/index.js';
import type { DeployedScenario } from '../../src/providers/provider.js';
import { dualStackOf } from '../builders/dual-stack.js';
import { connect, dnsQuery, np, probe, smallTopology, useNetnsWorld } from './netns-helpers.js';

/** smallTopology made dual-stack: pod n also has fd00:10:244::n, its Service fd00:10:96::(100+n), the external host fd00:ec2::254. */
function dualStack(): Topology {
  return dualStackOf(smallTopology(), { externalIPv6: () => 'fd00:ec2::254' });
}

const dns6 = (name: string, transport: 'UDP' | 'TCP'): DnsJob => ({ ...dnsQuery(name, transport), id: `dns6 ${name} ${transport}`, server: 'fd00:10:96::a', type: 'AAAA' });
const byName6 = (host: string, port: number, identity: string): ConnectJob => ({ ...connect(host, port, 'TCP', identity), id: `name6 ${host}`, family: 6 });

describe('netns datapath, dual-stack (e2e)', function () {
  this.timeout(30_000);
  const runId = `e2e6${process.pid}`;
  const topology = dualStack();
  const world = useNetnsWorld(runId, topology);
  const e = () => world.deployed as DeployedScenario;
  const sync = (...policies: NetworkPolicy[]) => e().sync({ topology, policies });
  const node = `netseg-${runId}-node`;

  describe('without policies', () => {
    before(() => sync());

    it('should connect pod to pod over IPv6 (TCP and UDP) and IPv4 alike, reaching the intended pod', async () => {
      const r = await probe(e(), 'x/a', [connect('fd00:10:244::2', 80, 'TCP', 'x/b'), connect('fd00:10:244::3', 81, 'UDP', 'y/a'), connect('10.244.0.4', 80, 'TCP', 'y/b')]);
      expect(Object.values(r)).to.deep.equal(['connected', 'connected', 'connected']);
    });

    it('should DNAT IPv6 Service IPs to the backend, hairpin included, and reach the external host over IPv6', async () => {
      const r = await probe(e(), 'x/a', [connect('fd00:10:96::66', 80, 'TCP', 'x/b'), connect('fd00:10:96::65', 80, 'UDP', 'x/a'), connect('fd00:ec2::254', 80)]);
      expect(Object.values(r)).to.deep.equal(['connected', 'connected', 'connected']);
    });

    it('should answer AAAA over UDP and TCP from the IPv6 DNS Service, and resolve a name to IPv6 to connect', async () => {
      const r = await probe(e(), 'x/a', [dns6('b.y.svc.cluster.local', 'UDP'), dns6('b.y.svc.cluster.local', 'TCP'), byName6('b.y.svc.cluster.local.', 80, 'y/b')]);
      expect(Object.values(r)).to.deep.equal(['connected', 'connected', 'connected']);
      const reply = await e().transport().runBatch('x/a', { jobs: [dns6('b.y.svc.cluster.local', 'UDP')], concurrency: 1 });
      expect(reply.results[0]?.address).to.equal('fd00:10:96::68');
    });

    it('should keep IPv6 inside the run: no default route, no link-local address, no router advertisement taken', async () => {
      const routes = String((await execa('ip', ['-n', node, '-6', 'route', 'show'])).stdout).split('\n').filter(Boolean);
      expect(routes.filter((l) => l.startsWith('default'))).to.deep.equal([]);
      expect(routes.every((l) => / dev (p|x)\d+ /.test(`${l} `) || / dev lo /.test(`${l} `)), routes.join('\n')).to.equal(true);
      const addresses = String((await execa('ip', ['-n', node, '-6', '-o', 'addr', 'show'])).stdout);
      expect(addresses).not.to.contain('fe80:');
      expect(String((await execa('ip', ['netns', 'exec', node, 'sysctl', '-n', 'net.ipv6.conf.all.accept_ra'])).stdout).trim()).to.equal('0');
      const pod = String((await execa('ip', ['-n', `netseg-${runId}-p0`, '-6', '-o', 'addr', 'show', 'dev', 'eth0'])).stdout);
      expect(pod).to.contain('fd00:10:244::1/128').and.not.contain('fe80:').and.not.contain('tentative');
    });
  });

  describe('with policies', () => {
    it('should never let an IPv4 ipBlock admit IPv6 traffic (nor the reverse)', async () => {
      await sync(np('x', 'v4-only', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }));
      const r = await probe(e(), 'y/a', [connect('10.244.0.1', 80), connect('fd00:10:244::1', 80)]);
      expect(Object.values(r)).to.deep.equal(['connected', 'timeout']);
      await sync(np('x', 'v6-only', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ ipBlock: { cidr: '::/0', except: ['fd00:10:244::4/128'] } }] }] }));
      const s = await probe(e(), 'y/a', [connect('10.244.0.1', 80), connect('fd00:10:244::1', 80)]);
      expect(Object.values(s)).to.deep.equal(['timeout', 'connected']);
      expect(Object.values(await probe(e(), 'y/b', [connect('fd00:10:244::1', 80)]))).to.deep.equal(['timeout']);
    });

    it('should judge IPv6 pod selectors on the pods\' IPv6 addresses (egress to a namespace)', async () => {
      await sync(np('y', 'to-x', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }] }] }));
      const r = await probe(e(), 'y/a', [connect('fd00:10:244::2', 80, 'TCP', 'x/b'), connect('fd00:10:96::66', 80, 'TCP', 'x/b'), connect('fd00:10:244::4', 80)]);
      expect(Object.values(r)).to.deep.equal(['connected', 'connected', 'timeout']);
    });
  });
});
