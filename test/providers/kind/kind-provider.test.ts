import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { DirectoryArtifacts } from '../../../src/app/directory-artifacts.js';
import { tmpdir } from 'node:os';
import { parse } from 'yaml';
import { join } from 'node:path';
import { EnvironmentError } from '../../../src/model/index.js';
import { createKindProvider, defaultClustersDir, type KindProviderOptions } from '../../../src/providers/kind/kind-provider.js';
import type { ProvisionContext } from '../../../src/providers/provider.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeProcessRunner, type ScriptedCommand } from '../../fakes/fake-process-runner.js';
import { FakeKubeApi, readyPod } from '../../fakes/fake-kube-api.js';
import { clusterNetworkPolicyCrd, smallTopology } from '../kube/fixtures.js';

const CLUSTERS = defaultClustersDir();
const KIND_VERSION: ScriptedCommand = { prefix: 'kind version', result: { stdout: 'kind v0.32.0 go1.25 linux/amd64\n' } };

describe('createKindProvider()', () => {
  let runDir: string;
  let agent: string;
  beforeEach(() => {
    runDir = mkdtempSync(join(tmpdir(), 'netseg-kind-test-'));
    agent = join(runDir, 'agent.mjs');
    writeFileSync(agent, '// agent');
  });
  afterEach(() => rmSync(runDir, { recursive: true, force: true }));

  const ctx = (): ProvisionContext => ({ runId: 'r1a2b3', runDir, log: () => {} });
  const cnpCtx = (): ProvisionContext => ({ ...ctx(), policyKinds: new Set(['NetworkPolicy', 'ClusterNetworkPolicy'] as const) });
  const kc = () => join(runDir, 'kubeconfig');

  /** A fake cluster with the CNI's pods already Ready. */
  function cluster(cni: string, enforce = true): FakeKubeApi {
    const api = new FakeKubeApi({ enforce });
    const groups: Record<string, [string, Record<string, string>][]> = {
      calico: [['calico-system', { 'k8s-app': 'calico-node' }], ['calico-system', { 'k8s-app': 'calico-kube-controllers' }]],
      cilium: [['kube-system', { 'k8s-app': 'cilium' }], ['kube-system', { 'io.cilium/app': 'operator' }], ['kube-system', { 'k8s-app': 'cilium-envoy' }]],
      kindnet: [['kube-system', { app: 'kindnet' }]],
    };
    for (const [i, [ns, labels]] of (groups[cni] ?? []).entries()) api.put(readyPod(ns, `cni-${i}`, labels, `172.18.0.${i + 2}`));
    return api;
  }

  /** A fake cluster whose CNI and istiod are Ready and whose webhook injects sidecars. */
  function meshCluster(cni: string): FakeKubeApi {
    const api = new FakeKubeApi({ injectSidecars: true });
    for (const o of cluster(cni).all('Pod')) if (o.metadata.namespace !== 'kube-system' || o.metadata.name !== 'coredns-1') api.put(o);
    api.put(readyPod('istio-system', 'istiod-1', { app: 'istiod' }, '10.244.0.9'));
    return api;
  }

  function provider(runner: FakeProcessRunner, api: FakeKubeApi, extra: Partial<KindProviderOptions> = {}) {
    return createKindProvider({ cni: 'calico', runner, kubeApiFactory: () => api, clock: new FakeClock(), agentBundle: agent, clustersDir: CLUSTERS, ...extra });
  }

  describe('#preflight()', () => {
    it('should fail with the exact install hint when kind is missing', async () => {
      const err = await provider(new FakeProcessRunner(new Set(['docker', 'kubectl'])), cluster('calico')).preflight().then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect(err!.message).to.equal('kind is not installed (needed by --provider kind --cni calico)');
      expect(err!.hint).to.contain('go install sigs.k8s.io/kind@v0.32.0');
    });

    it('should fail when docker is installed but its engine is not reachable (as on this machine)', async () => {
      const runner = new FakeProcessRunner(new Set(['kind', 'docker', 'kubectl']), [{ prefix: 'docker info', result: { exitCode: 1, stderr: 'Cannot connect to the Docker daemon' } }]);
      const err = await provider(runner, cluster('calico')).preflight().then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err?.message).to.match(/docker installed, but no container engine is running/);
      expect(runner.commands).to.deep.equal(['docker info --format {{json .}}']);
    });

    it('should fail when neither docker nor podman exists', async () => {
      const err = await provider(new FakeProcessRunner(new Set(['kind', 'kubectl'])), cluster('calico')).preflight().then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err?.message).to.match(/no container engine found \(docker or podman\)/);
      expect(err?.hint).to.match(/Docker Engine|Podman/);
    });

    it('should fail when the agent bundle is missing, before any cluster exists', async () => {
      const runner = new FakeProcessRunner();
      const err = await provider(runner, cluster('calico'), { agentBundle: join(runDir, 'missing.mjs') }).preflight().then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect(err!.message).to.match(/probe agent bundle was not found at .*missing\.mjs/);
      expect(err!.hint).to.match(/npm run build/);
    });

    it('should require helm for cilium and kubectl for calico, but neither for kindnet', async () => {
      const noHelm = new FakeProcessRunner(new Set(['kind', 'docker', 'kubectl']));
      const e1 = await provider(noHelm, cluster('cilium'), { cni: 'cilium' }).preflight().then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(e1?.message).to.match(/^helm is not installed/);
      expect(e1?.hint).to.match(/helm\.sh/);
      const noKubectl = new FakeProcessRunner(new Set(['kind', 'docker', 'helm']));
      const e2 = await provider(noKubectl, cluster('calico')).preflight().then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(e2?.message).to.match(/^kubectl is not installed/);
      await provider(new FakeProcessRunner(new Set(['kind', 'podman'])), cluster('kindnet'), { cni: 'kindnet' }).preflight();
    });
  });

  describe('#provision()', () => {
    it('should create the cluster with a private kubeconfig, install Calico via tigera-operator, then delete the cluster on dispose', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
      const api = cluster('calico');
      const env = await provider(runner, api).provision(ctx());
      expect(runner.commands).to.deep.equal([
        'kind version',
        `kind create cluster --name netseg-r1a2b3 --config ${join(CLUSTERS, 'kind-calico', 'kind-config.yaml')} --kubeconfig ${kc()} --wait 0s`,
        `kubectl --kubeconfig ${kc()} create -f https://raw.githubusercontent.com/projectcalico/calico/v3.32.1/manifests/v1_crd_projectcalico_org.yaml`,
        `kubectl --kubeconfig ${kc()} create -f https://raw.githubusercontent.com/projectcalico/calico/v3.32.1/manifests/tigera-operator.yaml`,
        `kubectl --kubeconfig ${kc()} wait --for=condition=Established --timeout=120s crd/installations.operator.tigera.io`,
        `kubectl --kubeconfig ${kc()} create -f ${join(CLUSTERS, 'kind-calico', 'custom-resources.yaml')}`,
      ]);
      expect(runner.commands.join('\n')).not.to.contain('.kube/config');
      expect(env.description).to.equal('kind cluster netseg-r1a2b3 (calico)');
      expect(api.callsOf('exec')).to.have.length(2); // the canary ran: allowed, then blocked
      await env[Symbol.asyncDispose]();
      expect(runner.commands.at(-1)).to.equal(`kind delete cluster --name netseg-r1a2b3 --kubeconfig ${kc()}`);
    });

    it('should install Cilium with helm, an explicit chart version and the kind values, without --wait', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
      await provider(runner, cluster('cilium'), { cni: 'cilium', nodeImage: 'kindest/node:v1.36.1@sha256:abc' }).provision(ctx());
      expect(runner.commands.slice(1)).to.deep.equal([
        `kind create cluster --name netseg-r1a2b3 --config ${join(CLUSTERS, 'kind-cilium', 'kind-config.yaml')} --kubeconfig ${kc()} --wait 0s --image kindest/node:v1.36.1@sha256:abc`,
        `helm install cilium cilium --repo https://helm.cilium.io/ --version 1.20.0 --namespace kube-system --kubeconfig ${kc()} --values ${join(CLUSTERS, 'kind-cilium', 'values.yaml')}`,
      ]);
    });

    it('should create a dual-stack cluster when the run has IPv6 scenarios: kind ipFamily dual, both subnets, a Calico IPv6 pool equal to the IPv6 podSubnet', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
      await provider(runner, cluster('calico')).provision({ ...ctx(), ipFamilies: new Set(['IPv4', 'IPv6'] as const) });
      expect(runner.commands[1]).to.equal(`kind create cluster --name netseg-r1a2b3 --config ${join(runDir, 'kind-config.yaml')} --kubeconfig ${kc()} --wait 0s`);
      expect(runner.commands.at(-1)).to.equal(`kubectl --kubeconfig ${kc()} create -f ${join(runDir, 'calico-resources.yaml')}`);
      const config = parse(readFileSync(join(runDir, 'kind-config.yaml'), 'utf8')) as { networking: Record<string, unknown>; nodes: unknown[] };
      expect(config.networking).to.deep.include({ ipFamily: 'dual', podSubnet: '10.244.0.0/16,fd00:10:244::/56', serviceSubnet: '10.96.0.0/16,fd00:10:96::/112', disableDefaultCNI: true });
      expect(config.nodes).to.have.length(3);
      const installation = parse(readFileSync(join(runDir, 'calico-resources.yaml'), 'utf8')) as { spec: { calicoNetwork: { ipPools: { cidr: string; encapsulation: string }[] } } };
      expect(installation.spec.calicoNetwork.ipPools.map((p) => [p.cidr, p.encapsulation])).to.deep.equal([['10.244.0.0/16', 'VXLANCrossSubnet'], ['fd00:10:244::/56', 'VXLAN']]);
    });

    it('should enable Cilium IPv6 for a dual-stack run, and turn IPv4 off for an IPv6-only one', async () => {
      const dual = new FakeProcessRunner(undefined, [KIND_VERSION]);
      await provider(dual, cluster('cilium'), { cni: 'cilium' }).provision({ ...ctx(), ipFamilies: new Set(['IPv4', 'IPv6'] as const) });
      expect(dual.commands.at(-1)).to.match(/ --set ipv6\.enabled=true$/);
      const v6 = new FakeProcessRunner(undefined, [KIND_VERSION]);
      await provider(v6, cluster('cilium'), { cni: 'cilium' }).provision({ ...ctx(), ipFamilies: new Set(['IPv6'] as const) });
      expect(v6.commands.at(-1)).to.match(/ --set ipv6\.enabled=true --set ipv4\.enabled=false$/);
      expect((parse(readFileSync(join(runDir, 'kind-config.yaml'), 'utf8')) as { networking: Record<string, unknown> }).networking).to.deep.include({ ipFamily: 'ipv6', podSubnet: 'fd00:10:244::/56' });
    });

    it('should keep the shipped IPv4 config for an IPv4 run, and never change a reused cluster', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
      await provider(runner, cluster('kindnet'), { cni: 'kindnet' }).provision({ ...ctx(), ipFamilies: new Set(['IPv4'] as const) });
      expect(runner.commands[1]).to.contain(`--config ${join(CLUSTERS, 'kind-kindnet', 'kind-config.yaml')}`);
      expect(existsSync(join(runDir, 'kind-config.yaml'))).to.equal(false);
    });

    it('should declare that each CNI enforces NetworkPolicy, Calico the Calico kinds and Cilium its own two kinds', async () => {
      const expected = { calico: ['NetworkPolicy', 'CalicoNetworkPolicy', 'CalicoGlobalNetworkPolicy', 'CalicoTier'], cilium: ['NetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'], kindnet: ['NetworkPolicy'] };
      for (const cni of ['calico', 'cilium', 'kindnet'] as const) {
        const env = await provider(new FakeProcessRunner(undefined, [KIND_VERSION]), cluster(cni), { cni }).provision(ctx());
        expect(env.capabilities.policyKinds, cni).to.deep.equal(expected[cni]);
        await env[Symbol.asyncDispose]();
      }
    });

    it('should install nothing for kindnet', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
      await provider(runner, cluster('kindnet'), { cni: 'kindnet' }).provision(ctx());
      expect(runner.commands.slice(1)).to.deep.equal([
        `kind create cluster --name netseg-r1a2b3 --config ${join(CLUSTERS, 'kind-kindnet', 'kind-config.yaml')} --kubeconfig ${kc()} --wait 0s`,
      ]);
    });

    it('should export logs into the artifacts and delete the created cluster when the CNI install fails', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION, { prefix: 'kubectl --kubeconfig', result: { exitCode: 1, stderr: 'connection refused' } }]);
      const artifacts = new DirectoryArtifacts(join(runDir, 'artifacts'));
      const err = await provider(runner, cluster('calico')).provision({ ...ctx(), artifacts }).then(() => undefined, (e: unknown) => e as Error);
      expect(err?.message).to.match(/connection refused/);
      expect(runner.commands.slice(2)).to.deep.equal([
        `kubectl --kubeconfig ${kc()} create -f https://raw.githubusercontent.com/projectcalico/calico/v3.32.1/manifests/v1_crd_projectcalico_org.yaml`,
        `kind export logs ${join(runDir, 'artifacts', 'kind-logs')} --name netseg-r1a2b3`,
        `kind delete cluster --name netseg-r1a2b3 --kubeconfig ${kc()}`,
      ]);
    });

    it('should export logs into the artifacts before deleting the cluster when the canary fails, and after a run', async () => {
      const artifacts = new DirectoryArtifacts(join(runDir, 'artifacts'));
      const exports = (r: FakeProcessRunner) => r.commands.filter((c) => c.startsWith('kind export logs') || c.startsWith('kind delete')).map((c) => c.split(' ').slice(0, 3).join(' '));
      const failing = new FakeProcessRunner(undefined, [KIND_VERSION]);
      await provider(failing, cluster('kindnet', false), { cni: 'kindnet' }).provision({ ...ctx(), artifacts }).catch(() => undefined);
      expect(exports(failing)).to.deep.equal(['kind export logs', 'kind delete cluster']);
      const passing = new FakeProcessRunner(undefined, [KIND_VERSION]);
      const env = await provider(passing, cluster('kindnet'), { cni: 'kindnet' }).provision({ ...ctx(), artifacts });
      await env[Symbol.asyncDispose]();
      expect(exports(passing)).to.deep.equal(['kind export logs', 'kind delete cluster']);
      expect(existsSync(join(runDir, 'artifacts', 'kind-logs'))).to.equal(true);
      expect(readdirSync(join(runDir, 'artifacts', 'kube', 'r1a2b3-1')).sort(), 'the canary deployment left its manifests').to.include('manifests.yaml');
    });

    it('should create no cluster when the agent bundle is missing (a created one would leak)', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
      const err = await provider(runner, cluster('kindnet'), { cni: 'kindnet', agentBundle: join(runDir, 'missing.mjs') }).provision(ctx()).then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect(runner.commands.filter((c) => c.startsWith('kind create'))).to.deep.equal([]);
    });

    it('should delete the created cluster when the cluster never becomes ready', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
      const err = await provider(runner, new FakeKubeApi(), { cni: 'kindnet', readyTimeoutMs: 10_000 }).provision(ctx()).then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect(err!.message).to.match(/cluster not ready after 10 s: no kindnet pods/);
      expect(runner.commands.at(-1)).to.equal(`kind delete cluster --name netseg-r1a2b3 --kubeconfig ${kc()}`);
    });

    it('should delete the created cluster when the canary finds no enforcement', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
      const err = await provider(runner, cluster('kindnet', false), { cni: 'kindnet' }).provision(ctx()).then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err?.message).to.match(/does not enforce NetworkPolicy/);
      expect(runner.commands.filter((c) => c.startsWith('kind delete cluster'))).to.have.length(1);
    });

    it('should stop and delete the created cluster when the run is aborted (SIGINT) during bring-up', async () => {
      const ac = new AbortController();
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
      const run = runner.run.bind(runner);
      runner.run = async (file, args, options) => {
        const r = await run(file, args, options);
        if (args[0] === 'create') ac.abort(new Error('interrupted'));
        return r;
      };
      const err = await provider(runner, cluster('calico')).provision({ ...ctx(), signal: ac.signal, artifacts: new DirectoryArtifacts(join(runDir, 'artifacts')) }).then(() => undefined, (e: unknown) => e as Error);
      expect(err?.message).to.equal('interrupted');
      expect(runner.commands.some((c) => c.startsWith('kubectl'))).to.equal(false);
      expect(runner.commands.some((c) => c.startsWith('kind export logs')), 'no log export after an interrupt').to.equal(false);
      expect(runner.commands.at(-1)).to.equal(`kind delete cluster --name netseg-r1a2b3 --kubeconfig ${kc()}`);
    });

    it('should install the CRD and swap kindnet for kube-network-policies only when the run uses ClusterNetworkPolicy, and declare the kind', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
      const api = cluster('kindnet');
      api.put(readyPod('kube-system', 'knp-0', { app: 'kube-network-policies' }, '172.18.0.9'));
      const env = await provider(runner, api, { cni: 'kindnet' }).provision(cnpCtx());
      const after = runner.commands.slice(2).map((c) => c.replace(`--kubeconfig ${kc()} `, ''));
      expect(after[0]).to.match(/^kubectl apply --server-side -f https:\/\/.*network-policy-api.*experimental.*\.yaml$/);
      expect(after[1]).to.equal('kubectl wait --for=condition=Established --timeout=60s crd/clusternetworkpolicies.policy.networking.k8s.io');
      expect(after.slice(2).join('\n')).to.match(/set image daemonset\/kindnet[\s\S]*install-cnp\.yaml[\s\S]*set image daemonset\/kube-network-policies/);
      expect(api.callsOf('list').some((c) => c.labelSelector === 'app=kube-network-policies'), 'waited for kube-network-policies pods').to.equal(true);
      expect(env.capabilities.policyKinds).to.deep.equal(['NetworkPolicy', 'ClusterNetworkPolicy']);
      await env[Symbol.asyncDispose]();
    });

    it('should turn on Cilium\'s ClusterNetworkPolicy option with the Helm flag when the run uses the kind', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
      const env = await provider(runner, cluster('cilium'), { cni: 'cilium' }).provision(cnpCtx());
      expect(runner.commands.find((c) => c.startsWith('helm install'))).to.match(/ --set k8sClusterNetworkPolicy\.enabled=true$/);
      expect(env.capabilities.policyKinds).to.include('ClusterNetworkPolicy');
    });

    it('should stop before creating a cluster when ClusterNetworkPolicy needs kubectl and it is missing', async () => {
      const runner = new FakeProcessRunner(new Set(['kind', 'docker']), [KIND_VERSION]);
      const err = await provider(runner, cluster('kindnet'), { cni: 'kindnet' }).provision(cnpCtx()).then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err?.message).to.equal('kubectl is not installed (needed by --provider kind --cni kindnet)');
      expect(runner.commands.some((c) => c.startsWith('kind create'))).to.equal(false);
    });

    it('should keep a created cluster after a failure with keepCluster', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION, { prefix: 'helm install', result: { exitCode: 1 } }]);
      await provider(runner, cluster('cilium'), { cni: 'cilium', keepCluster: true }).provision(ctx()).catch(() => undefined);
      expect(runner.commands.some((c) => c.startsWith('kind delete'))).to.equal(false);
    });

    it('should reuse an existing cluster with --cluster: private kubeconfig from kind, no install, never deleted', async () => {
      const runner = new FakeProcessRunner(undefined, [
        { prefix: 'kind get clusters', result: { stdout: 'dev\nother\n' } },
        { prefix: 'kind get kubeconfig', result: { stdout: 'apiVersion: v1\nkind: Config\n' } },
      ]);
      const env = await provider(runner, cluster('calico'), { cluster: 'dev' }).provision(ctx());
      await env[Symbol.asyncDispose]();
      expect(runner.commands).to.deep.equal(['kind get clusters', 'kind get kubeconfig --name dev']);
      expect(readFileSync(kc(), 'utf8')).to.contain('kind: Config');
    });

    it('should not change a reused cluster for ClusterNetworkPolicy: it takes the kind only when it serves the CRD, else says why', async () => {
      const reuse = () => new FakeProcessRunner(undefined, [
        { prefix: 'kind get clusters', result: { stdout: 'dev\n' } },
        { prefix: 'kind get kubeconfig', result: { stdout: 'apiVersion: v1\nkind: Config\n' } },
      ]);
      const runner = reuse();
      const bare = await provider(runner, cluster('calico'), { cluster: 'dev' }).provision(cnpCtx());
      expect(runner.commands).to.deep.equal(['kind get clusters', 'kind get kubeconfig --name dev']);
      expect(bare.capabilities.policyKinds).to.deep.equal(['NetworkPolicy']);
      expect(bare.capabilities.whyNotEnforced?.ClusterNetworkPolicy).to.match(/does not serve ClusterNetworkPolicy/);
      const api = cluster('calico');
      api.put(clusterNetworkPolicyCrd());
      const served = await provider(reuse(), api, { cluster: 'dev' }).provision(cnpCtx());
      expect(served.capabilities.policyKinds).to.deep.equal(['NetworkPolicy', 'ClusterNetworkPolicy']);
    });

    it('should install Istio with helm after the CNI: the base chart (waited for) then istiod, both pinned, into istio-system', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
      const api = meshCluster('calico');
      const env = await provider(runner, api, { mesh: 'istio' }).provision(ctx());
      const helm = runner.commands.filter((c) => c.startsWith('helm'));
      const repo = '--repo https://istio-release.storage.googleapis.com/charts --version 1.30.4 --namespace istio-system';
      expect(helm).to.deep.equal([
        `helm install istio-base base ${repo} --kubeconfig ${kc()} --create-namespace --wait --timeout 4m`,
        `helm install istiod istiod ${repo} --kubeconfig ${kc()} --set meshConfig.connectTimeout=2s`,
      ]);
      expect(runner.commands.indexOf(helm[0]!), 'after the CNI').to.be.greaterThan(runner.commands.findIndex((c) => c.includes('custom-resources.yaml')));
      const lists = api.callsOf('list').map((c) => c.labelSelector);
      expect(lists.indexOf('app=istiod'), 'istiod waited for before the canary').to.be.greaterThan(lists.indexOf('k8s-app=calico-kube-controllers'));
      expect(env.capabilities.policyKinds).to.include('AuthorizationPolicy');
      expect(env.description).to.equal('kind cluster netseg-r1a2b3 (calico + istio)');
      const d = await env.deploy(smallTopology());
      expect(d.transport().clientSidecar?.('x/a'), 'the installed connect timeout').to.deep.equal({ name: 'the istio-proxy sidecar', upstreamConnectTimeoutMs: 2000 });
      await env[Symbol.asyncDispose]();
      expect(runner.commands.at(-1), 'Istio goes with the cluster netseg created').to.equal(`kind delete cluster --name netseg-r1a2b3 --kubeconfig ${kc()}`);
    });

    it('should install Istio on every CNI, after Cilium\'s helm install too', async () => {
      for (const cni of ['cilium', 'kindnet'] as const) {
        const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
        const env = await provider(runner, meshCluster(cni), { cni, mesh: 'istio' }).provision(ctx());
        expect(runner.commands.filter((c) => c.startsWith('helm install')).map((c) => c.split(' ')[2]), cni).to.deep.equal([...(cni === 'cilium' ? ['cilium'] : []), 'istio-base', 'istiod']);
        await env[Symbol.asyncDispose]();
      }
    });

    it('should require helm for --mesh istio on any CNI, before any cluster exists', async () => {
      const runner = new FakeProcessRunner(new Set(['kind', 'docker', 'kubectl']), [KIND_VERSION]);
      const pre = await provider(runner, meshCluster('calico'), { mesh: 'istio' }).preflight().then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(pre?.message).to.equal('helm is not installed (needed by --provider kind --cni calico)');
      const err = await provider(runner, meshCluster('calico'), { mesh: 'istio' }).provision(ctx()).then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err?.message).to.match(/^helm is not installed/);
      expect(runner.commands.some((c) => c.startsWith('kind create'))).to.equal(false);
    });

    it('should delete the created cluster when istiod never becomes ready (bounded wait)', async () => {
      const runner = new FakeProcessRunner(undefined, [KIND_VERSION]);
      const err = await provider(runner, cluster('kindnet'), { cni: 'kindnet', mesh: 'istio', readyTimeoutMs: 10_000 }).provision(ctx()).then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err?.message).to.match(/cluster not ready after 10 s: no istiod pods \(istio-system, app=istiod\)/);
      expect(runner.commands.at(-1)).to.equal(`kind delete cluster --name netseg-r1a2b3 --kubeconfig ${kc()}`);
    });

    it('should not declare AuthorizationPolicy without --mesh istio, and say why', async () => {
      const env = await provider(new FakeProcessRunner(undefined, [KIND_VERSION]), cluster('calico')).provision(ctx());
      expect(env.capabilities.policyKinds).not.to.include('AuthorizationPolicy');
      expect(env.capabilities.whyNotEnforced?.AuthorizationPolicy).to.equal('no service mesh is installed (pass --mesh istio)');
    });

    it('should never install Istio into a reused cluster: --mesh istio needs one that runs it, else exit 3 before anything is created', async () => {
      const reuse = () => new FakeProcessRunner(undefined, [
        { prefix: 'kind get clusters', result: { stdout: 'dev\n' } },
        { prefix: 'kind get kubeconfig', result: { stdout: 'apiVersion: v1\nkind: Config\n' } },
      ]);
      const bare = cluster('calico');
      const err = await provider(reuse(), bare, { cluster: 'dev', mesh: 'istio' }).provision(ctx()).then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err).to.be.instanceOf(EnvironmentError);
      expect(err!.message).to.equal('--mesh istio: the cluster has no Istio (no CRD authorizationpolicies.security.istio.io)');
      expect(bare.callsOf('apply'), 'nothing created').to.deep.equal([]);
      const api = meshCluster('calico');
      api.put({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'authorizationpolicies.security.istio.io' } });
      const runner = reuse();
      const env = await provider(runner, api, { cluster: 'dev', mesh: 'istio' }).provision(ctx());
      expect(runner.commands.some((c) => c.startsWith('helm'))).to.equal(false);
      expect(env.capabilities.policyKinds).to.include('AuthorizationPolicy');
      const d = await env.deploy(smallTopology());
      expect(d.transport().clientSidecar?.('x/a')?.upstreamConnectTimeoutMs, 'Istio\'s default: the cluster\'s own install').to.equal(10_000);
      await env[Symbol.asyncDispose]();
    });

    it('should refuse to reuse a cluster that does not exist', async () => {
      const runner = new FakeProcessRunner(undefined, [{ prefix: 'kind get clusters', result: { stdout: 'dev\n' } }]);
      const err = await provider(runner, cluster('calico'), { cluster: 'prod' }).provision(ctx()).then(() => undefined, (e: unknown) => e as EnvironmentError);
      expect(err?.message).to.equal('kind cluster prod does not exist (clusters: dev)');
      expect(runner.commands.some((c) => c.includes('delete'))).to.equal(false);
    });
  });
});
