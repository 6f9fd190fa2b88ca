import { expect } from 'chai';
import { execa } from 'execa';
import type { NetworkPolicy, Topology } from '../../src/model/index.js';
import type { DeployedScenario, Environment } from '../../src/providers/provider.js';
import { connect, dnsQuery, netnsUnavailable, np, outcome, probe, smallTopology, useNetnsWorld, withNetnsEnv } from './netns-helpers.js';

const DNS_ALLOW = np('x', 'allow-dns', {
  podSelector: {},
  policyTypes: ['Egress'],
  egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }],
});

describe('netns datapath (e2e)', function () {
  this.timeout(30_000);
  const runId = `e2e${process.pid}`;
  const topology: Topology = smallTopology();
  const world = useNetnsWorld(runId, topology);

  const sync = (...policies: NetworkPolicy[]) => e().sync({ topology, policies });
  const e = () => world.deployed as DeployedScenario;

  describe('without policies', () => {
    before(() => sync());

    it('should connect pod to pod over TCP and UDP, across namespaces, reaching the intended pod', async () => {
      const r = await probe(e(), 'x/a', [connect('10.244.0.2', 80, 'TCP', 'x/b'), connect('10.244.0.3', 81, 'UDP', 'y/a'), connect('10.244.0.4', 80, 'UDP', 'y/b')]);
      expect(Object.values(r)).to.deep.equal(['connected', 'connected', 'connected']);
    });

    it('should DNAT Service IPs to the backend, hairpin included', async () => {
      const r = await probe(e(), 'x/a', [connect('10.96.0.102', 80, 'TCP', 'x/b'), connect('10.96.0.102', 81, 'UDP', 'x/b'), connect('10.96.0.101', 80, 'TCP', 'x/a'), connect('10.96.0.101', 80, 'UDP', 'x/a')]);
      expect(Object.values(r)).to.deep.equal(['connected', 'connected', 'connected', 'connected']);
    });

    it('should resolve Service names through the DNS pod (UDP and TCP, search path)', async () => {
      const r = await probe(e(), 'x/a', [dnsQuery('b.y.svc.cluster.local', 'UDP'), dnsQuery('b.y.svc.cluster.local', 'TCP'), connect('b', 80, 'TCP', 'x/b'), connect('a.y', 80, 'UDP', 'y/a')]);
      expect(Object.values(r)).to.deep.equal(['connected', 'connected', 'connected', 'connected']);
    });

    it('should reach the external host, and have no route out of the emulated cluster', async () => {
      const r = await probe(e(), 'x/a', [connect('169.254.169.254', 80), connect('10.244.0.200', 80)]);
      expect(r['169.254.169.254:80/TCP']).to.equal('connected');
      expect(r['10.244.0.200:80/TCP']).to.not.equal('connected');
      const node = `netseg-${runId}-node`;
      const routes = String((await execa('ip', ['-n', node, '-4', 'route', 'show'])).stdout).split('\n');
      expect(routes.filter((l) => l.startsWith('default'))).to.deep.equal([]);
      expect(routes.every((l) => / dev (p|x)\d+ /.test(`${l} `))).to.equal(true);
      const links = String((await execa('ip', ['-n', node, '-o', 'link', 'show'])).stdout);
      expect(links.split('\n').map((l) => l.split(': ')[1]?.split('@')[0])).to.have.members(['lo', 'p0', 'p1', 'p2', 'p3', 'p4', 'x0']);
    });
  });

  describe('with policies', () => {
    it('should drop everything to a deny-all namespace (timeout, not refused), pod IP and Service alike', async () => {
      await sync(np('x', 'deny', { podSelector: {}, ingress: [] }));
      const r = await probe(e(), 'y/a', [connect('10.244.0.1', 80), connect('10.244.0.2', 80, 'UDP'), connect('10.96.0.101', 80), connect('10.244.0.4', 80)]);
      expect(Object.values(r)).to.deep.equal(['timeout', 'timeout', 'timeout', 'connected']);
    });

    it('should let a deny-all be lifted by an allow policy (union), and re-block on delete', async () => {
      const allow = np('x', 'allow-y', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }] });
      await sync(np('x', 'deny', { podSelector: {}, ingress: [] }), allow);
      expect(await probe(e(), 'y/b', [connect('10.244.0.1', 80), connect('10.244.0.2', 80)])).to.deep.equal({ '10.244.0.1:80/TCP': 'connected', '10.244.0.2:80/TCP': 'timeout' });
      await sync(np('x', 'deny', { podSelector: {}, ingress: [] }));
      expect(await outcome(e(), 'y/b', connect('10.244.0.1', 80))).to.equal('timeout');
    });

    it('should enforce egress isolation with the destination judged after DNAT', async () => {
      await sync(np('y', 'only-xb', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { pod: 'b' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }] }] }));
      const r = await probe(e(), 'y/a', [connect('10.244.0.2', 80), connect('10.96.0.102', 81, 'UDP', 'x/b'), connect('10.244.0.1', 80), connect('10.96.0.101', 80)]);
      expect(Object.values(r)).to.deep.equal(['connected', 'connected', 'timeout', 'timeout']);
      expect(await outcome(e(), 'x/a', connect('10.244.0.3', 80))).to.equal('connected');
    });

    it('should break DNS under default-deny egress, and restore it with a DNS allow', async () => {
      const denyEgress = np('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
      await sync(denyEgress);
      const jobs = [dnsQuery('a.y.svc.cluster.local', 'UDP'), dnsQuery('a.y.svc.cluster.local', 'TCP')];
      expect(Object.values(await probe(e(), 'x/a', jobs))).to.deep.equal(['dns-timeout', 'dns-timeout']);
      expect(Object.values(await probe(e(), 'y/a', jobs))).to.deep.equal(['connected', 'connected']);
      await sync(denyEgress, DNS_ALLOW);
      expect(Object.values(await probe(e(), 'x/a', [...jobs, connect('a.y', 80)]))).to.deep.equal(['connected', 'connected', 'timeout']);
    });

    it('should block the external host with an egress ipBlock except, and allow the rest of the block', async () => {
      await sync(np('x', 'no-metadata', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }] }));
      const r = await probe(e(), 'x/a', [connect('169.254.169.254', 80), connect('10.244.0.3', 80)]);
      expect(Object.values(r)).to.deep.equal(['timeout', 'connected']);
      expect(await outcome(e(), 'y/a', connect('169.254.169.254', 80))).to.equal('connected');
    });

    it('should honor ipBlock except on pod IPs for ingress', async () => {
      await sync(np('x', 'block', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/24', except: ['10.244.0.4/32'] } }] }] }));
      expect(await outcome(e(), 'y/a', connect('10.244.0.1', 80))).to.equal('connected');
      expect(await outcome(e(), 'y/b', connect('10.244.0.1', 80))).to.equal('timeout');
    });

    it('should resolve named ports per destination pod (ingress and egress) and protocol', async () => {
      await sync(np('x', 'named', { podSelector: {}, ingress: [{ ports: [{ port: 'serve-81-udp', protocol: 'UDP' }] }] }));
      const r = await probe(e(), 'y/a', [connect('10.244.0.1', 81, 'UDP'), connect('10.244.0.1', 81, 'TCP'), connect('10.244.0.1', 80, 'UDP')]);
      expect(Object.values(r)).to.deep.equal(['connected', 'timeout', 'timeout']);
      await sync(np('y', 'named-egress', { podSelector: {}, egress: [{ ports: [{ port: 'serve-80-tcp' }] }] }));
      const r2 = await probe(e(), 'y/a', [connect('10.244.0.1', 80), connect('10.244.0.1', 81), connect('169.254.169.254', 80)]);
      expect(Object.values(r2)).to.deep.equal(['connected', 'timeout', 'timeout']);
    });

    it('should allow a port range with endPort and nothing outside it', async () => {
      await sync(np('x', 'range', { podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP', port: 79, endPort: 80 }] }] }));
      const r = await probe(e(), 'y/a', [connect('10.244.0.1', 80, 'UDP'), connect('10.244.0.1', 81, 'UDP'), connect('10.244.0.1', 80, 'TCP')]);
      expect(Object.values(r)).to.deep.equal(['connected', 'timeout', 'timeout']);
    });

    it('should re-evaluate selectors when labels change', async () => {
      const policy = np('x', 'from-web', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'web' } } }] }] });
      await world.deployed?.sync({ topology, policies: [policy] });
      expect(await outcome(e(), 'y/b', connect('10.244.0.1', 80))).to.equal('timeout');
      const relabeled: Topology = { ...topology, pods: topology.pods.map((p) => (p.namespace === 'y' && p.name === 'b' ? { ...p, labels: { ...p.labels, role: 'web' } } : p)) };
      await world.deployed?.sync({ topology: relabeled, policies: [policy] });
      expect(await outcome(e(), 'y/b', connect('10.244.0.1', 80))).to.equal('connected');
      const nsRelabeled: Topology = { ...relabeled, namespaces: relabeled.namespaces.map((n) => (n.name === 'y' ? { ...n, labels: { ...n.labels, team: 'red' } } : n)) };
      const byNs = np('x', 'from-blue', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }] });
      await world.deployed?.sync({ topology: relabeled, policies: [byNs] });
      expect(await outcome(e(), 'y/a', connect('10.244.0.1', 80))).to.equal('connected');
      await world.deployed?.sync({ topology: nsRelabeled, policies: [byNs] });
      expect(await outcome(e(), 'y/a', connect('10.244.0.1', 80))).to.equal('timeout');
    });

    it('should not let a flow ride on a connection admitted before the policy changed', async () => {
      await sync();
      // The same UDP 5-tuple twice: the second datagram finds the first one's conntrack entry (established).
      const netns = e().enterHint('y/a').split(' ')[4] as string;
      const send = async () => {
        const script = "const s=require('dgram').createSocket('udp4');s.bind(40123,()=>{s.send('x',80,'10.244.0.1');});s.on('message',()=>{console.log('reply');process.exit(0)});setTimeout(()=>{console.log('none');process.exit(0)},700)";
        return String((await execa('ip', ['netns', 'exec', netns, process.execPath, '-e', script])).stdout).trim();
      };
      expect(await send()).to.equal('reply');
      await sync(np('x', 'deny', { podSelector: {}, ingress: [] }));
      expect(await send()).to.equal('none');
    });
  });

  describe('when an agent dies during a run', () => {
    it('should report its cells as probe-error, never blocked', async () => {
      await sync();
      const { ClusterProber } = await import('../../src/probe/cluster-prober.js');
      world.deployed = await (world.env as Environment).deploy(topology);
      const addressBook = world.deployed.addresses;
      await sync();
      const pid = await agentPid('x/b');
      process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      const prober = new ClusterProber(e().transport(), addressBook, topology, { timeoutMs: 500, sctp: false, unavailableHosts: () => e().unavailableHosts!() });
      const key = { from: 'x/a', to: 'x/b', target: 'pod-ip', port: 80, protocol: 'TCP' } as const;
      const obs = (await prober.observe([key])).get(key);
      expect(obs).to.deep.include({ connectivity: 'probe-error', raw: 'agent-error' });
      expect(obs?.detail).to.match(/agent of x\/b is not running/);
    });
  });
});

/** Pid of the agent process serving a pod of this run: its own (--identity) or the hub whose spec lists it, in the run directory. */
async function agentPid(identity: string): Promise<number> {
  const { readdir, readFile } = await import('node:fs/promises');
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (!cmd.some((a) => a.endsWith('netseg-agent.mjs')) || !cmd.some((a) => a.includes('/netseg-e2e'))) continue;
    if (cmd.includes(identity)) return Number(pid);
    const spec = cmd.includes('hub') ? cmd[cmd.indexOf('--spec') + 1] : undefined;
    const members = spec ? (JSON.parse(await readFile(spec, 'utf8')) as { members: { identity: string }[] }).members : [];
    if (members.some((m) => m.identity === identity)) return Number(pid);
  }
  throw new Error(`no agent for ${identity}`);
}

describe('netns datapath options (e2e)', function () {
  this.timeout(30_000);

  before(async function () {
    if (await netnsUnavailable()) this.skip();
  });

  it('should let everything through with enforce: false (the harness can fail)', async () => {
    await withNetnsEnv(`off${process.pid}`, { enforce: false }, async (env, deployed) => {
      await deployed.sync({ topology: smallTopology(), policies: [np('x', 'deny', { podSelector: {}, ingress: [], egress: [], policyTypes: ['Ingress', 'Egress'] })] });
      const r = await probe(deployed, 'x/a', [connect('10.244.0.2', 80), connect('10.96.0.103', 80, 'UDP'), connect('169.254.169.254', 80), dnsQuery('a.x.svc.cluster.local', 'UDP')]);
      expect(Object.values(r)).to.deep.equal(['connected', 'connected', 'connected', 'connected']);
      expect(env.description).to.contain('enforcement OFF');
    });
  });

  it('should run one agent process per host with agentHubs: 0 (as a cluster runs one per pod), enforcing alike', async () => {
    const runId = `one${process.pid}`;
    await withNetnsEnv(runId, { agentHubs: 0 }, async (_env, deployed) => {
      await deployed.sync({ topology: smallTopology(), policies: [np('x', 'deny', { podSelector: {}, ingress: [] })] });
      const r = await probe(deployed, 'y/a', [connect('10.244.0.1', 80), connect('10.244.0.4', 80), connect('10.244.0.4', 80, 'UDP')]);
      expect(r).to.deep.equal({ '10.244.0.1:80/TCP': 'timeout', '10.244.0.4:80/TCP': 'connected', '10.244.0.4:80/UDP': 'connected' });
      const { readdir, readFile } = await import('node:fs/promises');
      const commands = await Promise.all((await readdir('/proc')).filter((p) => /^\d+$/.test(p)).map((p) => readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => '')));
      const agents = commands.filter((c) => c.includes('netseg-agent.mjs') && c.includes(`netseg-${runId}-`));
      expect(agents.filter((c) => c.includes('\0serve\0')), 'a serve process per pod and external host').to.have.length(5);
      expect(agents.filter((c) => c.includes('\0hub\0'))).to.deep.equal([]);
    });
  });

  it('should refuse denied flows instead of dropping them with denyAction: reject', async () => {
    await withNetnsEnv(`rej${process.pid}`, { denyAction: 'reject' }, async (_env, deployed) => {
      await deployed.sync({ topology: smallTopology(), policies: [np('x', 'deny', { podSelector: {}, ingress: [] })] });
      const r = await probe(deployed, 'y/a', [connect('10.244.0.1', 80), connect('10.244.0.1', 80, 'UDP')]);
      expect(r['10.244.0.1:80/TCP']).to.equal('refused');
      expect(['refused', 'unreachable']).to.include(r['10.244.0.1:80/UDP']);
    });
  });
});
