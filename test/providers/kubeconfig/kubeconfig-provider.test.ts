import { expect } from 'chai';
import type { PolicyKind } from '../../../src/model/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError, InputError } from '../../../src/model/index.js';
import { createKubeconfigProvider, defaultKubeconfigPath } from '../../../src/providers/kubeconfig/kubeconfig-provider.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeKubeApi, readyPod } from '../../fakes/fake-kube-api.js';
import { clusterNetworkPolicyCrd } from '../kube/fixtures.js';

function kubeconfigFor(server: string): string {
  return [
    'apiVersion: v1', 'kind: Config', 'current-context: other',
    'clusters:', `- name: c1`, `  cluster: { server: "${server}", insecure-skip-tls-verify: true }`,
    'users:', '- name: u1', '  user: { token: abc }',
    'contexts:', '- name: test', '  context: { cluster: c1, user: u1 }', '- name: other', '  context: { cluster: c1, user: u1 }', '',
  ].join('\n');
}

describe('createKubeconfigProvider()', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'netseg-kc-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('should refuse to start without an explicit context', () => {
    expect(() => createKubeconfigProvider({ context: undefined })).to.throw(InputError, /needs --context NAME/);
  });

  it('should fail preflight with EnvironmentError when the context is not in the kubeconfig', async () => {
    const path = join(dir, 'config');
    writeFileSync(path, kubeconfigFor('https://127.0.0.1:1'));
    const err = await createKubeconfigProvider({ context: 'prod', kubeconfig: path }).preflight().then(() => undefined, (e: unknown) => e as EnvironmentError);
    expect(err).to.be.instanceOf(EnvironmentError);
    expect(err!.message).to.equal(`context "prod" not found in ${path} (contexts: test, other)`);
  });

  it('should fail preflight with EnvironmentError when the API server is unreachable (real client-node, closed loopback port)', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    await new Promise<void>((r) => blocker.close(() => r()));
    const path = join(dir, 'config');
    writeFileSync(path, kubeconfigFor(`https://127.0.0.1:${port}`));
    const err = await createKubeconfigProvider({ context: 'test', kubeconfig: path }).preflight().then(() => undefined, (e: unknown) => e as EnvironmentError);
    expect(err).to.be.instanceOf(EnvironmentError);
    expect(err!.message).to.match(/^cluster of context test is not reachable/);
  });

  it('should fail preflight with EnvironmentError when the cluster has no kube-dns Service (a 404 is not "fine")', async () => {
    const api = new FakeKubeApi();
    await api.delete({ apiVersion: 'v1', kind: 'Service', name: 'kube-dns', namespace: 'kube-system' });
    writeFileSync(join(dir, 'agent.mjs'), '//');
    const err = await createKubeconfigProvider({ context: 'test', kubeconfig: '/k/config', agentBundle: join(dir, 'agent.mjs'), kubeApiFactory: () => api }).preflight().then(() => undefined, (e: unknown) => e as EnvironmentError);
    expect(err).to.be.instanceOf(EnvironmentError);
    expect(err!.message).to.equal('cluster of context test has no kube-system/kube-dns Service');
  });

  it('should fail preflight when the agent bundle is missing', async () => {
    const err = await createKubeconfigProvider({ context: 'test', kubeconfig: '/k/config', agentBundle: join(dir, 'missing.mjs'), kubeApiFactory: () => new FakeKubeApi() }).preflight().then(() => undefined, (e: unknown) => e as EnvironmentError);
    expect(err).to.be.instanceOf(EnvironmentError);
    expect(err!.message).to.match(/probe agent bundle was not found/);
  });

  it('should provision on the chosen context, and dispose only its run-id namespaces', async () => {
    const api = new FakeKubeApi({ enforce: true });
    api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'production' } });
    writeFileSync(join(dir, 'agent.mjs'), '//');
    const seen: string[] = [];
    const p = createKubeconfigProvider({ context: 'test', kubeconfig: '/k/config', agentBundle: join(dir, 'agent.mjs'), clock: new FakeClock(), kubeApiFactory: (path, ctx) => (seen.push(`${path}#${ctx}`), api) });
    await p.preflight();
    const env = await p.provision({ runId: 'r7', runDir: dir, log: () => {} });
    expect(seen.every((s) => s === '/k/config#test')).to.equal(true);
    expect(env.description).to.equal('cluster of context test');
    const scenario = await env.deploy({ namespaces: [{ name: 'x', labels: { 'kubernetes.io/metadata.name': 'x' } }], pods: [{ namespace: 'x', name: 'a', labels: {}, ports: [{ port: 80, protocol: 'TCP' }], service: true, ip: '10.244.0.1' }], externals: [], podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16', dnsServiceIP: '10.96.0.10', clusterDomain: 'cluster.local' });
    expect(scenario.enterHint('x/a')).to.equal('kubectl --kubeconfig /k/config --context test -n r7-2-x exec -it a -c agent -- sh');
    await env[Symbol.asyncDispose]();
    expect(api.all('Namespace').map((n) => n.metadata.name)).to.deep.equal(['production']);
    expect(api.callsOf('delete').filter((c) => c.kind === 'Namespace').every((c) => c.name.startsWith('r7-'))).to.equal(true);
  });

  describe('ClusterNetworkPolicy', () => {
    const provision = async (api: FakeKubeApi, kinds: readonly PolicyKind[]) => {
      writeFileSync(join(dir, 'agent.mjs'), '//');
      const p = createKubeconfigProvider({ context: 'test', kubeconfig: '/k/config', agentBundle: join(dir, 'agent.mjs'), clock: new FakeClock(), kubeApiFactory: () => api });
      return p.provision({ runId: 'r7', runDir: dir, log: () => {}, policyKinds: new Set(kinds) });
    };

    it('should take ClusterNetworkPolicy when the cluster serves its v1alpha2 CRD', async () => {
      const api = new FakeKubeApi({ enforce: true });
      api.put(clusterNetworkPolicyCrd({ annotations: { 'policy.networking.k8s.io/bundle-version': 'v0.2.0' } }));
      const env = await provision(api, ['NetworkPolicy', 'ClusterNetworkPolicy']);
      expect(env.capabilities.policyKinds).to.deep.equal(['NetworkPolicy', 'ClusterNetworkPolicy']);
    });

    it('should not take it, and say why, when the CRD is absent or serves only another version', async () => {
      const absent = await provision(new FakeKubeApi({ enforce: true }), ['ClusterNetworkPolicy']);
      expect(absent.capabilities.policyKinds).to.deep.equal(['NetworkPolicy']);
      expect(absent.capabilities.whyNotEnforced?.ClusterNetworkPolicy).to.match(/does not serve ClusterNetworkPolicy \(no CRD clusternetworkpolicies\.policy\.networking\.k8s\.io\)/);
      const old = new FakeKubeApi({ enforce: true });
      old.put(clusterNetworkPolicyCrd({ versions: [{ name: 'v1alpha1', served: true }] }));
      expect((await provision(old, ['ClusterNetworkPolicy'])).capabilities.whyNotEnforced?.ClusterNetworkPolicy).to.match(/only as v1alpha1, not v1alpha2/);
    });

    it('should not read the CRD when no scenario uses the kind', async () => {
      const api = new FakeKubeApi({ enforce: true });
      await provision(api, ['NetworkPolicy']);
      expect(api.callsOf('read').filter((c) => c.kind === 'CustomResourceDefinition')).to.deep.equal([]);
    });

    it('should take the Calico kinds only where the cluster has Calico\'s policy CRDs, and say why otherwise', async () => {
      const without = await provision(new FakeKubeApi({ enforce: true }), ['NetworkPolicy', 'CalicoGlobalNetworkPolicy']);
      expect(without.capabilities.policyKinds).to.deep.equal(['NetworkPolicy']);
      expect(without.capabilities.whyNotEnforced?.CalicoGlobalNetworkPolicy).to.match(/no Calico policy CRDs \(globalnetworkpolicies\.crd\.projectcalico\.org\)/);
      const api = new FakeKubeApi({ enforce: true });
      api.put({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'globalnetworkpolicies.crd.projectcalico.org' }, status: { conditions: [{ type: 'Established', status: 'True' }] } } as never);
      const env = await provision(api, ['NetworkPolicy', 'CalicoTier', 'ClusterNetworkPolicy']);
      expect(env.capabilities.policyKinds).to.deep.equal(['NetworkPolicy', 'CalicoNetworkPolicy', 'CalicoGlobalNetworkPolicy', 'CalicoTier']);
      expect(Object.keys(env.capabilities.whyNotEnforced ?? {})).to.deep.equal(['ClusterNetworkPolicy']);
    });
  });

  describe('Istio (--mesh istio)', () => {
    const provision = async (api: FakeKubeApi, mesh: 'istio' | undefined) => {
      writeFileSync(join(dir, 'agent.mjs'), '//');
      const p = createKubeconfigProvider({ context: 'test', kubeconfig: '/k/config', agentBundle: join(dir, 'agent.mjs'), clock: new FakeClock(), kubeApiFactory: () => api, ...(mesh && { mesh }) });
      return p.provision({ runId: 'r7', runDir: dir, log: () => {}, policyKinds: new Set(['NetworkPolicy', 'AuthorizationPolicy'] as const) });
    };
    const withIstio = () => {
      const api = new FakeKubeApi({ enforce: true, injectSidecars: true });
      api.put({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'authorizationpolicies.security.istio.io' } });
      api.put(readyPod('istio-system', 'istiod-1', { app: 'istiod' }, '10.244.0.9'));
      return api;
    };

    it('should take AuthorizationPolicy on a cluster running Istio when the run injects sidecars', async () => {
      const env = await provision(withIstio(), 'istio');
      expect(env.capabilities.policyKinds).to.include('AuthorizationPolicy');
    });

    it('should report AuthorizationPolicy unsupported without --mesh istio, even where Istio runs', async () => {
      const env = await provision(withIstio(), undefined);
      expect(env.capabilities.policyKinds).not.to.include('AuthorizationPolicy');
      expect(env.capabilities.whyNotEnforced?.AuthorizationPolicy).to.equal('the run injects no sidecars (pass --mesh istio on a cluster with Istio)');
    });

    it('should exit 3 before creating anything when --mesh istio finds no Istio, or its CRD without istiod', async () => {
      const none = new FakeKubeApi({ enforce: true });
      const err = await provision(none, 'istio').then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect(err!.message).to.match(/no CRD authorizationpolicies\.security\.istio\.io/);
      expect(none.callsOf('apply')).to.deep.equal([]);
      const crdOnly = new FakeKubeApi({ enforce: true });
      crdOnly.put({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'authorizationpolicies.security.istio.io' } });
      expect((await provision(crdOnly, 'istio').then(() => undefined, (e: unknown) => e as EnvironmentError))?.message).to.match(/runs no istiod/);
    });

    it('should wait (bounded) for istiod to be Ready before creating any probe pod', async () => {
      const api = withIstio();
      const istiod = api.all('Pod').find((p) => p.metadata.name === 'istiod-1')!;
      api.put({ ...istiod, status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] } });
      writeFileSync(join(dir, 'agent.mjs'), '//');
      const p = createKubeconfigProvider({ context: 'test', kubeconfig: '/k/config', agentBundle: join(dir, 'agent.mjs'), clock: new FakeClock(), kubeApiFactory: () => api, mesh: 'istio', readyTimeoutMs: 10_000 });
      const err = await p.provision({ runId: 'r7', runDir: dir, log: () => {} }).then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err?.message).to.match(/cluster not ready after 10 s: istiod: istio-system\/istiod-1 not ready/);
      expect(api.callsOf('apply')).to.deep.equal([]);
    });
  });

  it('should default to $KUBECONFIG, then ~/.kube/config', () => {
    expect(defaultKubeconfigPath({ KUBECONFIG: '/a:/b' })).to.equal('/a');
    expect(defaultKubeconfigPath({})).to.match(/\.kube\/config$/);
  });
});
