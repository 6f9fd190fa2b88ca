import { expect } from 'chai';
import { EnvironmentError, type AuthorizationPolicy, type ClusterState } from '../../../src/model/index.js';
import { KubeEnvironment } from '../../../src/providers/kube/kube-environment.js';
import type { Environment } from '../../../src/providers/provider.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeKubeApi, simulatedAgent } from '../../fakes/fake-kube-api.js';
import type { ExecRequest, ExecResult } from '../../../src/providers/kube/kube-api.js';
import type { ProbeBatchResult, ProbeResult } from '../../../src/agent/protocol.js';
import { batchOf } from '../../fakes/fake-kube-api.js';
import { ClusterProber } from '../../../src/probe/cluster-prober.js';
import type { CellKey } from '../../../src/model/index.js';
import { clusterNetworkPolicyCrd, clusterWidePolicy, crossNamespacePolicy, smallTopology } from './fixtures.js';

function env(api: FakeKubeApi, clock = new FakeClock(), extra: Partial<ConstructorParameters<typeof KubeEnvironment>[0]> = {}) {
  return new KubeEnvironment({ api, runId: 'r1a2b3', description: 'fake', image: 'node:24-alpine', agentScript: '//agent', policyKinds: ['NetworkPolicy'], clock, kubectlArgs: ['--kubeconfig', '/run/kc'], ...extra });
}

describe('KubeEnvironment', () => {
  it('should satisfy the Environment contract', () => {
    const e: Environment = env(new FakeKubeApi());
    expect(e.capabilities).to.deep.equal({ policyKinds: ['NetworkPolicy'], sctp: false, externals: false, realExternals: false });
  });

  describe('#deploy()', () => {
    it('should create namespaces, then ConfigMaps, Services and pods, and wait until pods are Ready', async () => {
      const api = new FakeKubeApi({ podsReadyAfterLists: 3 });
      const clock = new FakeClock();
      const d = await env(api, clock).deploy(smallTopology());
      const applies = api.callsOf('apply').map((c) => `${c.kind} ${c.namespace ?? ''}/${c.name}`);
      expect(applies).to.deep.equal([
        'Namespace /r1a2b3-1-x', 'Namespace /r1a2b3-1-y',
        'ConfigMap r1a2b3-1-x/netseg-agent', 'ConfigMap r1a2b3-1-y/netseg-agent',
        'Service r1a2b3-1-x/a', 'Service r1a2b3-1-x/b',
        'Pod r1a2b3-1-x/a', 'Pod r1a2b3-1-x/b', 'Pod r1a2b3-1-y/a',
      ]);
      expect(clock.slept).to.be.greaterThan(0);
      expect(d.addresses.podIP('x/a')).to.match(/^10\.244\.1\./);
      expect(d.addresses.serviceIP('x/a')).to.match(/^10\.96\.0\.1\d\d$/);
      expect(d.addresses.serviceIP('y/a')).to.equal(undefined);
      expect(d.addresses.serviceName('x/b')).to.equal('b.r1a2b3-1-x.svc.cluster.local');
      expect(d.addresses.dnsServer()).to.equal('10.96.0.10');
      expect(d.topology.pods.find((p) => p.name === 'coredns')!.ip).to.equal('10.244.0.2');
      expect(d.topology.pods.find((p) => p.namespace === 'x' && p.name === 'a')!.ip).to.equal(d.addresses.podIP('x/a'));
    });

    it('should poll readiness with one list of the run\'s pods per attempt, quickly at first and then every 2 s', async () => {
      const api = new FakeKubeApi({ podsReadyAfterLists: 6 });
      const clock = new FakeClock();
      await env(api, clock).deploy(smallTopology());
      const podLists = api.callsOf('list').filter((c) => c.kind === 'Pod' && c.labelSelector === 'netseg.io/run-id=r1a2b3');
      expect(podLists).to.have.length(7);
      expect(podLists.every((c) => c.namespace === undefined)).to.equal(true);
      expect(clock.slept).to.equal(250 + 500 + 1000 + 2000 + 2000 + 2000);
    });

    it('should fail with EnvironmentError naming the waiting reason, and delete what it created', async () => {
      const api = new FakeKubeApi({ podsStuck: 'ImagePullBackOff' });
      const e = env(api, new FakeClock(), { readyTimeoutMs: 10_000 });
      const err = await e.deploy(smallTopology()).then(() => undefined, (x: unknown) => x);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect((err as Error).message).to.match(/ImagePullBackOff/);
      expect(api.all('Namespace').filter((n) => n.metadata.name.startsWith('r1a2b3'))).to.have.length(0);
    });

    it('should use new namespace names for the next scenario so it need not wait for termination', async () => {
      const api = new FakeKubeApi();
      const e = env(api);
      const first = await e.deploy(smallTopology());
      await first.undeploy();
      const d = await e.deploy(smallTopology());
      expect(d.addresses.serviceName('x/a')).to.equal('a.r1a2b3-2-x.svc.cluster.local');
      expect(api.callsOf('delete').map((c) => c.name)).to.deep.equal(['r1a2b3-1-x', 'r1a2b3-1-y']);
    });
  });

  describe('#deploy() value', () => {
    it("should delete the scenario's namespaces when the deployed scenario is disposed, once", async () => {
      const api = new FakeKubeApi();
      const e = env(api);
      {
        await using _d = await e.deploy(smallTopology());
      }
      expect(api.callsOf('delete').map((c) => c.name)).to.deep.equal(['r1a2b3-1-x', 'r1a2b3-1-y']);
      {
        await using d = await e.deploy(smallTopology());
        await d.undeploy();
      }
      expect(api.callsOf('delete').map((c) => c.name), 'undeployed, then disposed: deleted once').to.deep.equal(['r1a2b3-1-x', 'r1a2b3-1-y', 'r1a2b3-2-x', 'r1a2b3-2-y']);
    });

    it("should refuse a stale scenario's sync and enter hint, and leave the scenario deployed after it alone", async () => {
      const api = new FakeKubeApi();
      const e = env(api);
      const first = await e.deploy(smallTopology());
      const second = await e.deploy(smallTopology());
      await first.undeploy();
      const err = await first.sync({ topology: first.topology, policies: [crossNamespacePolicy()] }).then(() => undefined, (x: unknown) => x as Error);
      expect(err?.message).to.match(/no longer deployed/);
      expect(() => first.enterHint('x/a')).to.throw(/no longer deployed/);
      expect(api.callsOf('apply').filter((c) => c.kind === 'NetworkPolicy')).to.have.length(0);
      expect(api.callsOf('delete').map((c) => c.name), 'only the first deployment went').to.deep.equal(['r1a2b3-1-x', 'r1a2b3-1-y']);
      expect(second.enterHint('x/a')).to.match(/-n r1a2b3-2-x /);
    });
  });

  describe('#sync()', () => {
    it('should apply rewritten policies once, skip unchanged ones and delete dropped ones', async () => {
      const api = new FakeKubeApi();
      const e = env(api);
      const topology = smallTopology();
      const d = await e.deploy(topology);
      const state: ClusterState = { topology, policies: [crossNamespacePolicy()] };
      await d.sync(state);
      await d.sync(state);
      const np = api.callsOf('apply').filter((c) => c.kind === 'NetworkPolicy');
      expect(np).to.deep.equal([{ op: 'apply', kind: 'NetworkPolicy', name: 'a-from-y', namespace: 'r1a2b3-1-x' }]);
      await d.sync({ topology, policies: [] });
      expect(api.callsOf('delete').filter((c) => c.kind === 'NetworkPolicy')).to.have.length(1);
      expect(api.all('NetworkPolicy')).to.have.length(0);
    });

    it('should patch only changed labels, removing dropped ones, and never touch netseg labels', async () => {
      const api = new FakeKubeApi();
      const e = env(api);
      const topology = smallTopology();
      const d = await e.deploy(topology);
      await d.sync({ topology, policies: [] });
      expect(api.callsOf('patchLabels')).to.have.length(0);
      const relabelled = {
        ...topology,
        pods: topology.pods.map((p) => (p.namespace === 'x' && p.name === 'a' ? { ...p, labels: { app: 'web' } } : p)),
        namespaces: topology.namespaces.map((n) => (n.name === 'x' ? { ...n, labels: { 'kubernetes.io/metadata.name': 'x' } } : n)),
      };
      await d.sync({ topology: relabelled, policies: [] });
      expect(api.callsOf('patchLabels').map(({ kind, namespace, name, labels }) => ({ kind, namespace, name, labels }))).to.deep.equal([
        { kind: 'Namespace', namespace: undefined, name: 'r1a2b3-1-x', labels: { team: null } },
        { kind: 'Pod', namespace: 'r1a2b3-1-x', name: 'a', labels: { app: 'web', pod: null } },
      ]);
      const pod = api.objects.get('Pod:r1a2b3-1-x/a')!;
      expect(pod.metadata.labels).to.deep.equal({ app: 'web', 'netseg.io/run-id': 'r1a2b3', 'netseg.io/pod': 'a' });
    });

    it('should apply a ClusterNetworkPolicy as a run-prefixed, run-labelled cluster object, and delete it when dropped', async () => {
      const api = new FakeKubeApi();
      const e = env(api, new FakeClock(), { policyKinds: ['NetworkPolicy', 'ClusterNetworkPolicy'] });
      const topology = smallTopology();
      const d = await e.deploy(topology);
      await d.sync({ topology, policies: [clusterWidePolicy(), crossNamespacePolicy()] });
      await d.sync({ topology, policies: [clusterWidePolicy(), crossNamespacePolicy()] });
      expect(api.callsOf('apply').filter((c) => c.kind === 'ClusterNetworkPolicy')).to.deep.equal([{ op: 'apply', kind: 'ClusterNetworkPolicy', name: 'r1a2b3-1-guard' }]);
      const applied = api.all('ClusterNetworkPolicy')[0]!;
      expect(applied.metadata.labels).to.deep.equal({ 'netseg.io/run-id': 'r1a2b3' });
      expect((applied as unknown as { spec: { subject: unknown } }).spec.subject).to.deep.equal({
        namespaces: {
          matchExpressions: [
            { key: 'netseg.io/run-id', operator: 'In', values: ['r1a2b3'] },
            { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['r1a2b3-1-x', 'r1a2b3-1-y', 'kube-system'] },
          ],
        },
      });
      await d.sync({ topology, policies: [crossNamespacePolicy()] });
      expect(api.callsOf('delete').filter((c) => c.kind === 'ClusterNetworkPolicy')).to.deep.equal([{ op: 'delete', kind: 'ClusterNetworkPolicy', name: 'r1a2b3-1-guard' }]);
      expect(api.all('ClusterNetworkPolicy')).to.have.length(0);
    });

    it('should delete its ClusterNetworkPolicies on undeploy (no namespace deletion takes them along)', async () => {
      const api = new FakeKubeApi();
      const e = env(api, new FakeClock(), { policyKinds: ['NetworkPolicy', 'ClusterNetworkPolicy'] });
      const topology = smallTopology();
      const d = await e.deploy(topology);
      await d.sync({ topology, policies: [clusterWidePolicy()] });
      await d.undeploy();
      expect(api.all('ClusterNetworkPolicy')).to.have.length(0);
    });

    it('should refuse to put a policy into the cluster\'s kube-system', async () => {
      const api = new FakeKubeApi();
      const e = env(api);
      const topology = smallTopology();
      const d = await e.deploy(topology);
      const p = crossNamespacePolicy();
      const err = await d.sync({ topology, policies: [{ ...p, metadata: { ...p.metadata, namespace: "kube-system" } }] }).then(() => undefined, (x: unknown) => x as Error);
      expect(err?.message).to.match(/system namespace kube-system/);
      expect(api.all("NetworkPolicy")).to.have.length(0);
    });
  });

  describe('#transport()', () => {
    it('should run one exec per source pod per batch, in the source pod\'s agent container, with a bounded timeout', async () => {
      const api = new FakeKubeApi();
      const e = env(api);
      const d = await e.deploy(smallTopology());
      const t = d.transport();
      const jobs = ['x/b', 'y/a'].map((to, i) => ({ kind: 'connect' as const, id: `j${i}`, host: d.addresses.podIP(to as 'x/b'), port: 80, protocol: 'TCP' as const, timeoutMs: 1000, expectIdentity: to }));
      const r = await t.runBatch('x/a', { jobs, concurrency: 8 });
      expect(r.results.map((x) => x.outcome)).to.deep.equal(['connected', 'connected']);
      const execs = api.callsOf('exec');
      expect(execs).to.have.length(1);
      expect(execs[0]).to.include({ namespace: 'r1a2b3-1-x', pod: 'a' });
      expect(execs[0]!.batch!.jobs).to.have.length(2);
      expect(execs[0]!.timeoutMs).to.be.within(15_000, 30_000);
    });

    it('should reject when the exec fails, exits non-zero, or prints no result (never "blocked")', async () => {
      const topology = smallTopology();
      const batch = { jobs: [{ kind: 'connect' as const, id: 'j', host: '10.0.0.1', port: 80, protocol: 'TCP' as const, timeoutMs: 1000 }], concurrency: 1 };
      const cases: [string, () => never | { exitCode: number; stdout: string; stderr: string }, RegExp][] = [
        ['infrastructure failure', () => { throw new Error('exec in x/a timed out after 17000 ms'); }, /timed out/],
        ['non-zero exit', () => ({ exitCode: 2, stdout: '', stderr: 'bad batch' }), /exited 2: bad batch/],
        ['garbage output', () => ({ exitCode: 0, stdout: 'Segmentation fault', stderr: '' }), /no JSON result/],
      ];
      for (const [what, handler, message] of cases) {
        const api = new FakeKubeApi({ exec: handler });
        const e = env(api);
        const d = await e.deploy(topology);
        const err = await d.transport().runBatch('x/a', batch).then(() => undefined, (x: unknown) => x as Error);
        expect(err, what).to.be.instanceOf(Error);
        expect(err!.message, what).to.match(message);
      }
    });
  });

  describe('artifacts', () => {
    it('should keep the manifests of each deployment (agent bundle reduced to its size) and the policies of each sync as applied', async () => {
      const written = new Map<string, string>();
      const artifacts = { root: '/mem', write: async (path: string, content: string) => void written.set(path, content), directory: async (path: string) => `/mem/${path}` };
      const api = new FakeKubeApi();
      const e = env(api, new FakeClock(), { artifacts, agentScript: '//'.repeat(1000) });
      const topology = smallTopology();
      const d = await e.deploy(topology);
      await d.sync({ topology, policies: [] });
      await d.sync({ topology, policies: [crossNamespacePolicy()] });
      expect([...written.keys()]).to.deep.equal(['kube/r1a2b3-1/manifests.yaml', 'kube/r1a2b3-1/sync-1.yaml', 'kube/r1a2b3-1/sync-2.yaml']);
      const manifests = written.get('kube/r1a2b3-1/manifests.yaml')!;
      expect(manifests).to.contain('kind: Pod').and.to.contain('name: r1a2b3-1-x').and.to.contain('<2000 bytes: the netseg agent bundle>');
      expect(manifests).not.to.contain('////');
      expect(written.get('kube/r1a2b3-1/sync-1.yaml')).to.equal('# no policy in force\n');
      expect(written.get('kube/r1a2b3-1/sync-2.yaml')).to.contain('namespace: r1a2b3-1-x').and.to.contain('name: a-from-y');
    });
  });

  describe('#transport() limits', () => {
    it('should carry a 10,000-job batch on stdin, with every exec argument far under the 128 KiB per-argument limit', async () => {
      const requests: ExecRequest[] = [];
      const api = new FakeKubeApi({ exec: (r, a) => (requests.push(r), simulatedAgent(r, a)) });
      const e = env(api);
      const d = await e.deploy(smallTopology());
      const jobs = Array.from({ length: 10_000 }, (_, i) => ({ kind: 'connect' as const, id: `job-${i}-${'x'.repeat(80)}`, host: '10.244.1.1', port: 80, protocol: 'TCP' as const, timeoutMs: 1000 }));
      const reply = await d.transport().runBatch('x/a', { jobs, concurrency: 64 });
      expect(reply.results).to.have.length(10_000);
      const [request] = requests;
      expect(Math.max(...request!.command.map((arg) => Buffer.byteLength(arg)))).to.be.below(1024);
      expect(request!.stdin!.endsWith('\n')).to.equal(true);
      expect(Buffer.byteLength(request!.stdin!)).to.be.greaterThan(1024 * 1024);
      expect(api.callsOf('exec')[0]!.batch!.jobs).to.have.length(10_000);
    });
  });

  describe('#transport() with the ClusterProber', () => {
    const cells: CellKey[] = [
      { from: 'x/a', to: 'x/b', target: 'pod-ip', port: 80, protocol: 'TCP' },
      { from: 'x/a', to: 'y/a', target: 'pod-ip', port: 80, protocol: 'TCP' },
      { from: 'x/a', to: 'x/b', target: 'service', port: 80, protocol: 'TCP' },
      { from: 'x/b', to: 'x/a', target: 'pod-ip', port: 80, protocol: 'TCP' },
    ];

    it('should make one exec per source pod per round', async () => {
      const api = new FakeKubeApi();
      const e = env(api);
      const d = await e.deploy(smallTopology());
      const observed = await new ClusterProber(d.transport(), d.addresses, d.topology, { timeoutMs: 1000 }).observe(cells);
      expect([...observed.entries()].map(([, o]) => o.connectivity)).to.deep.equal(['allowed', 'allowed', 'allowed', 'allowed']);
      expect(api.callsOf('exec').map((c) => `${c.namespace}/${c.pod}:${c.batch!.jobs.length}`).sort()).to.deep.equal(['r1a2b3-1-x/a:3', 'r1a2b3-1-x/b:1']);
    });

    it('should turn a failed exec into probe-error for every cell of that source, never blocked', async () => {
      const api = new FakeKubeApi({ exec: (req) => { if (req.pod === 'a') throw new Error('exec in r1a2b3-1-x/a timed out'); return { exitCode: 0, stdout: JSON.stringify({ results: [{ id: 'x', outcome: 'connected', elapsedMs: 1 }], agent: { identity: 'x/b', version: 'f' } }), stderr: '' }; } });
      const e = env(api);
      const d = await e.deploy(smallTopology());
      const observed = await new ClusterProber(d.transport(), d.addresses, d.topology, { timeoutMs: 1000 }).observe(cells);
      const bySource = [...observed.entries()].filter(([k]) => k.from === 'x/a').map(([, o]) => o.connectivity);
      expect(bySource).to.deep.equal(['probe-error', 'probe-error', 'probe-error']);
    });
  });

  describe('#enterHint()', () => {
    it('should give a kubectl exec command into the pod\'s cluster namespace', async () => {
      const e = env(new FakeKubeApi());
      const d = await e.deploy(smallTopology());
      expect(d.enterHint('x/a')).to.equal('kubectl --kubeconfig /run/kc -n r1a2b3-1-x exec -it a -c agent -- sh');
    });
  });

  describe('with mesh istio', () => {
    const mesh = (api: FakeKubeApi, extra: Partial<ConstructorParameters<typeof KubeEnvironment>[0]> = {}) => env(api, new FakeClock(), { mesh: 'istio', policyKinds: ['NetworkPolicy', 'AuthorizationPolicy'], ...extra });
    const authz = (namespace: string): AuthorizationPolicy => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'get-only', namespace }, spec: { action: 'ALLOW', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] } });

    it('should label the namespaces for injection before any pod is created, and wait until every pod is Ready with its sidecar', async () => {
      const api = new FakeKubeApi({ injectSidecars: true });
      await mesh(api).deploy(smallTopology());
      const applies = api.callsOf('apply').map((c) => c.kind);
      expect(applies.lastIndexOf('Namespace')).to.be.lessThan(applies.indexOf('Pod'));
      expect(api.all('Namespace').filter((n) => n.metadata.name.startsWith('r1a2b3')).map((n) => n.metadata.labels?.['istio-injection'])).to.deep.equal(['enabled', 'enabled']);
      const pod = api.all('Pod').find((p) => p.metadata.namespace === 'r1a2b3-1-x')! as unknown as { spec: { containers: { name: string }[] } };
      expect(pod.spec.containers.map((c) => c.name)).to.deep.equal(['agent', 'istio-proxy']);
    });

    it('should fail with EnvironmentError, and delete what it created, when a pod gets no sidecar', async () => {
      const api = new FakeKubeApi();
      const err = await mesh(api).deploy(smallTopology()).then(() => undefined, (x: unknown) => x as EnvironmentError);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect(err!.message).to.match(/pod r1a2b3-1-x\/a has no istio-proxy sidecar although its namespace is labelled istio-injection=enabled/);
      expect(api.all('Namespace').filter((n) => n.metadata.name.startsWith('r1a2b3'))).to.have.length(0);
    });

    it('should keep the injection label through label syncs, exec into the agent container (not the sidecar), and apply AuthorizationPolicies into the run\'s namespaces only', async () => {
      const api = new FakeKubeApi({ injectSidecars: true });
      const topology = smallTopology();
      const d = await mesh(api).deploy(topology);
      await d.sync({ topology: { ...topology, namespaces: topology.namespaces.map((n) => (n.name === 'x' ? { ...n, labels: { ...n.labels, team: 'red' } } : n)) }, policies: [authz('x'), authz('istio-system')] });
      const patches = api.callsOf('patchLabels');
      expect(patches.every((p) => !('istio-injection' in p.labels)), 'never removed').to.equal(true);
      expect(api.all('AuthorizationPolicy').map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort()).to.deep.equal(['r1a2b3-1-x/get-only', 'r1a2b3-1-x/istio-system.get-only', 'r1a2b3-1-y/istio-system.get-only']);
      expect(d.enterHint('x/a')).to.contain('-c agent');
      await d.undeploy();
      expect(api.all('AuthorizationPolicy'), 'gone with the run\'s namespaces').to.deep.equal([]);
    });
  });

  describe('with mesh istio, probed through client sidecars', () => {
    const cells: CellKey[] = [
      { from: 'x/a', to: 'x/b', target: 'pod-ip', port: 80, protocol: 'TCP' },
      { from: 'x/a', to: 'y/a', target: 'pod-ip', port: 80, protocol: 'TCP' },
    ];
    const dropIntoY = { apiVersion: 'networking.k8s.io/v1' as const, kind: 'NetworkPolicy' as const, metadata: { name: 'deny', namespace: 'y' }, spec: { podSelector: {}, policyTypes: ['Ingress' as const], ingress: [] } };

    /**
     * The simulated agent behind an Envoy client sidecar (the source's namespace is injected): a
     * connection the policy drops is accepted by the sidecar, silent until the job's timeout if that
     * is shorter than the sidecar's connect timeout, else closed without answer at that timeout.
     */
    const behindSidecar = (connectTimeoutMs: number) => (req: ExecRequest, api: FakeKubeApi): ExecResult => {
      const plain = simulatedAgent(req, api);
      const meshed = api.all('Namespace').find((n) => n.metadata.name === req.namespace)?.metadata.labels?.['istio-injection'] === 'enabled';
      if (!meshed) return plain;
      const timeouts = new Map(batchOf(req)!.jobs.map((j) => [j.id, j.timeoutMs]));
      const parsed = JSON.parse(plain.stdout) as ProbeBatchResult;
      const results = parsed.results.map((r): ProbeResult => {
        if (r.outcome !== 'timeout') return r;
        const t = timeouts.get(r.id)!;
        return t < connectTimeoutMs ? { id: r.id, outcome: 'wrong-identity', detail: 'no identity line (no answer before timeout)', elapsedMs: t } : { id: r.id, outcome: 'closed-after-connect', detail: 'closed without answer', elapsedMs: connectTimeoutMs + 3 };
      });
      return { ...plain, stdout: JSON.stringify({ ...parsed, results }) };
    };

    it('should report a dropped upstream blocked after one re-probe past the installed connect timeout, and leave allowed cells alone', async () => {
      const api: FakeKubeApi = new FakeKubeApi({ injectSidecars: true, exec: behindSidecar(2000) });
      const d = await env(api, new FakeClock(), { mesh: 'istio', meshConnectTimeoutMs: 2000, policyKinds: ['NetworkPolicy', 'AuthorizationPolicy'] }).deploy(smallTopology());
      await d.sync({ topology: d.topology, policies: [dropIntoY] });
      const observed = await new ClusterProber(d.transport(), d.addresses, d.topology, { timeoutMs: 1000 }).observe(cells);
      expect(observed.get(cells[0]!)?.connectivity).to.equal('allowed');
      expect(observed.get(cells[1]!)).to.deep.include({ connectivity: 'blocked', raw: 'upstream unreachable behind the client sidecar' });
      expect(observed.get(cells[1]!)?.detail).to.match(/istio-proxy sidecar accepted, then closed without answer after 2003 ms/);
      const rounds = api.callsOf('exec').map((c) => c.batch!.jobs.map((j) => `${j.id}@${j.timeoutMs}`));
      expect(rounds).to.deep.equal([['pod-ip x/a -> x/b 80/TCP@1000', 'pod-ip x/a -> y/a 80/TCP@1000'], ['pod-ip x/a -> y/a 80/TCP@3000']]);
    });

    it('should wait past Istio\'s default 10 s connect timeout on a cluster whose Istio netseg did not install', async () => {
      const api: FakeKubeApi = new FakeKubeApi({ injectSidecars: true, exec: behindSidecar(10_000) });
      const d = await env(api, new FakeClock(), { mesh: 'istio', policyKinds: ['NetworkPolicy', 'AuthorizationPolicy'] }).deploy(smallTopology());
      await d.sync({ topology: d.topology, policies: [dropIntoY] });
      const observed = await new ClusterProber(d.transport(), d.addresses, d.topology, { timeoutMs: 1000 }).observe(cells);
      expect(observed.get(cells[1]!)?.connectivity).to.equal('blocked');
      expect(api.callsOf('exec').at(-1)!.batch!.jobs[0]!.timeoutMs).to.equal(11_000);
    });

    it('should name no client sidecar without --mesh', async () => {
      const d = await env(new FakeKubeApi()).deploy(smallTopology());
      expect(d.transport().clientSidecar?.('x/a')).to.equal(undefined);
    });
  });

  describe('#[Symbol.asyncDispose]()', () => {
    it('should delete every namespace of the run, wait until gone, then run the provider teardown once', async () => {
      const api = new FakeKubeApi();
      let teardowns = 0;
      const e = env(api, new FakeClock(), { onDispose: async () => void teardowns++ });
      await e.deploy(smallTopology());
      api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other-run', labels: { 'netseg.io/run-id': 'zzz' } } });
      await e[Symbol.asyncDispose]();
      await e[Symbol.asyncDispose]();
      expect(api.all('Namespace').map((n) => n.metadata.name)).to.deep.equal(['other-run']);
      expect(teardowns).to.equal(1);
      expect(api.callsOf('read').filter((c) => c.kind === 'CustomResourceDefinition'), 'no CRD read by an environment without ClusterNetworkPolicy').to.deep.equal([]);
    });

    it('should delete the run\'s ClusterNetworkPolicies still in force, and no other run\'s', async () => {
      const api = new FakeKubeApi();
      api.put(clusterNetworkPolicyCrd());
      api.put({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: 'zzz-1-guard', labels: { 'netseg.io/run-id': 'zzz' } } });
      const e = env(api, new FakeClock(), { policyKinds: ['NetworkPolicy', 'ClusterNetworkPolicy'] });
      const topology = smallTopology();
      const d = await e.deploy(topology);
      await d.sync({ topology, policies: [clusterWidePolicy()] });
      await e[Symbol.asyncDispose]();
      expect(api.all('ClusterNetworkPolicy').map((p) => p.metadata.name)).to.deep.equal(['zzz-1-guard']);
    });
  });
});
