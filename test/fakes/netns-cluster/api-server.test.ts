import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { ClientNodeKubeApi } from '../../../src/providers/kube/client-node-kube-api.js';
import { LoopbackApiServer, type ExecQuery } from './api-server.js';
import { ApiError, ObjectStore } from './object-store.js';
import { seedClusterNetworkPolicyCrd } from './netns-cluster.js';
import { clusterNetworkPolicyCrdStatus } from '../../../src/providers/kube/cluster-network-policy-crd.js';

function kubeconfig(url: string): string {
  return `apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters:\n- name: c\n  cluster: { server: "${url}", insecure-skip-tls-verify: true }\nusers:\n- name: u\n  user: { token: t }\ncontexts:\n- name: t\n  context: { cluster: c, user: u }\n`;
}

function sink(): { stream: Writable; text: () => string } {
  const parts: Buffer[] = [];
  return { stream: new Writable({ write: (c: Buffer, _e, cb) => (parts.push(Buffer.from(c)), cb()) }), text: () => Buffer.concat(parts).toString() };
}

describe('LoopbackApiServer (the fake cluster\'s API server)', () => {
  let store: ObjectStore;
  let server: LoopbackApiServer;
  let url: string;
  let api: ClientNodeKubeApi;
  let execs: ExecQuery[];

  beforeEach(async () => {
    // Namespaces stay Terminating long enough for the test to see it, however fast the calls are.
    store = new ObjectStore({ namespaceFinalizeMs: 500 });
    execs = [];
    // The commands run on this machine (no pod namespaces here): enough to test the exec protocol.
    server = new LoopbackApiServer(store, (q) => {
      execs.push(q);
      if (q.pod !== 'a') throw new ApiError(404, 'NotFound', `pods "${q.pod}" not found`);
      return spawn(q.command[0] as string, q.command.slice(1), { stdio: [q.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    });
    url = await server.start();
    api = ClientNodeKubeApi.fromString(kubeconfig(url), 'test', 't', { requestTimeoutMs: 5000 });
  });
  afterEach(() => server.stop());

  describe('ClusterNetworkPolicy', () => {
    const cnp = { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: 'r1-1-guard', labels: { 'netseg.io/run-id': 'r1' } }, spec: { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] } };

    it('should serve neither the CRD nor the resource unless the CRD is seeded', async () => {
      expect(await clusterNetworkPolicyCrdStatus(api)).to.deep.equal({ state: 'absent' });
      await api.apply(cnp).then(() => expect.fail('an unserved kind takes no objects'), (e: Error) => expect(e.message).to.match(/ClusterNetworkPolicy/));
    });

    it('should serve the seeded CRD as Established and take, list and delete cluster-scoped policies through client-node', async () => {
      seedClusterNetworkPolicyCrd(store);
      expect(await clusterNetworkPolicyCrdStatus(api)).to.deep.equal({ state: 'established', bundleVersion: 'v0.2.0', channel: 'experimental' });
      await api.apply(cnp);
      expect(store.list('ClusterNetworkPolicy')[0]?.spec).to.deep.equal(cnp.spec);
      expect((await api.list(cnp.apiVersion, cnp.kind, { labelSelector: 'netseg.io/run-id=r1' })).map((o) => o.metadata.name)).to.deep.equal(['r1-1-guard']);
      expect(await api.delete({ apiVersion: cnp.apiVersion, kind: cnp.kind, name: 'r1-1-guard' })).to.equal(true);
      expect(store.list('ClusterNetworkPolicy')).to.deep.equal([]);
    });
  });

  describe('REST', () => {
    it('should apply, label, list by selector, and delete a namespace with its contents through client-node', async () => {
      await api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'r1-1-x', labels: { 'netseg.io/run-id': 'r1' } } });
      await api.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'r1-1-x' }, spec: { selector: { pod: 'a' }, ports: [{ port: 80, protocol: 'TCP' }] } });
      await api.patchLabels({ apiVersion: 'v1', kind: 'Namespace', name: 'r1-1-x' }, { team: 'blue', 'netseg.io/run-id': null });
      const ns = await api.read({ apiVersion: 'v1', kind: 'Namespace', name: 'r1-1-x' });
      expect(ns?.metadata.labels).to.deep.equal({ team: 'blue', 'kubernetes.io/metadata.name': 'r1-1-x' });
      expect((await api.list('v1', 'Namespace', { labelSelector: 'team in (blue,red),!netseg.io/run-id' })).map((n) => n.metadata.name)).to.deep.equal(['r1-1-x']);
      expect((await api.list('v1', 'Namespace', { labelSelector: 'team!=blue' })).map((n) => n.metadata.name)).to.deep.equal([]);
      const svc = await api.read({ apiVersion: 'v1', kind: 'Service', name: 'a', namespace: 'r1-1-x' });
      expect((svc?.spec as { clusterIP: string }).clusterIP).to.match(/^10\.96\.\d+\.\d+$/);

      expect(await api.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'r1-1-x' })).to.equal(true);
      expect((await api.read({ apiVersion: 'v1', kind: 'Namespace', name: 'r1-1-x' }))?.metadata.deletionTimestamp).to.not.equal(undefined);
      await api.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'r1-1-x' } }).then(
        () => expect.fail('a terminating namespace takes no new objects'),
        (e: Error) => expect(e.message).to.match(/403|terminat/i),
      );
      // The namespace controller is asynchronous: wait (bounded) for it.
      for (let i = 0; i < 60 && (await api.read({ apiVersion: 'v1', kind: 'Namespace', name: 'r1-1-x' })); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await api.read({ apiVersion: 'v1', kind: 'Namespace', name: 'r1-1-x' })).to.equal(undefined);
      expect(await api.read({ apiVersion: 'v1', kind: 'Service', name: 'a', namespace: 'r1-1-x' })).to.equal(undefined);
      expect(server.calls['apply namespaces']).to.equal(1);
      expect(server.calls['list namespaces']).to.equal(2);
      expect(server.calls['get namespaces']).to.be.greaterThan(2);
    });

    it('should keep NetworkPolicy ingress peers applied through client-node', async () => {
      await api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
      const spec = { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] };
      await api.apply({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'x' }, spec });
      expect(store.list('NetworkPolicy', 'x')[0]?.spec).to.deep.equal(spec);
    });
  });

  describe('exec', () => {
    it('should run the command, return stdout and a Success status (client-node Exec, no stdin)', async () => {
      const r = await api.exec({ namespace: 'x', pod: 'a', container: 'agent', command: ['sh', '-c', 'echo out; echo err >&2'], timeoutMs: 5000 });
      expect(r).to.deep.equal({ exitCode: 0, stdout: 'out\n', stderr: 'err\n' });
      expect(execs[0]).to.include({ namespace: 'x', pod: 'a', container: 'agent', stdin: false });
    });

    it('should report a non-zero exit as NonZeroExitCode with the code', async () => {
      const r = await api.exec({ namespace: 'x', pod: 'a', container: 'agent', command: ['sh', '-c', 'exit 3'], timeoutMs: 5000 });
      expect(r.exitCode).to.equal(3);
    });

    it('should feed stdin from channel 0 and end it on the v5 close frame', async () => {
      const out = sink();
      const status = await new Promise<k8s.V1Status>((resolve, reject) => {
        const stdin = Readable.from([Buffer.from('{"jobs":'), Buffer.from('[]}')]);
        new k8s.Exec(ClientNodeKubeApi.fromString(kubeconfig(url), 'test').kubeConfig)
          .exec('x', 'a', 'agent', ['sh', '-c', 'cat; exit 5'], out.stream, null, stdin, false, resolve)
          .catch(reject);
      });
      await new Promise((r) => setImmediate(r));
      expect(out.text()).to.equal('{"jobs":[]}');
      expect(status.reason).to.equal('NonZeroExitCode');
      expect(status.details?.causes?.[0]).to.deep.equal({ reason: 'ExitCode', message: '5' });
      expect(execs[0]?.stdin).to.equal(true);
    });

    it('should refuse the upgrade with the API error when the pod cannot run the command', async () => {
      await api.exec({ namespace: 'x', pod: 'missing', container: 'agent', command: ['true'], timeoutMs: 5000 }).then(
        () => expect.fail('should reject'),
        (e: Error) => expect(e.message).to.match(/could not start/),
      );
    });
  });
});
