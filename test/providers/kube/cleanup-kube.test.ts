import { expect } from 'chai';
import { cleanupKube } from '../../../src/providers/kube/cleanup-kube.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeKubeApi } from '../../fakes/fake-kube-api.js';
import { clusterNetworkPolicyCrd } from './fixtures.js';

function seeded() {
  const api = new FakeKubeApi();
  for (const [name, run] of [['r1-1-x', 'r1'], ['r1-1-y', 'r1'], ['r2-1-x', 'r2']] as const) api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'netseg.io/run-id': run } } });
  api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'production', labels: { team: 'x' } } });
  return api;
}

describe('cleanupKube()', () => {
  it('should delete only the namespaces of one run', async () => {
    const api = seeded();
    const r = await cleanupKube(api, { runId: 'r1', clock: new FakeClock(), waitMs: 5000 });
    expect(r).to.deep.equal({ deleted: ['r1-1-x', 'r1-1-y'], deletedPolicies: [], remaining: [] });
    expect(api.all('Namespace').map((n) => n.metadata.name).sort()).to.deep.equal(['production', 'r2-1-x']);
  });

  it('should delete the namespaces of every netseg run, and nothing else', async () => {
    const api = seeded();
    const r = await cleanupKube(api, { clock: new FakeClock(), waitMs: 0 });
    expect(r.deleted).to.have.members(['r1-1-x', 'r1-1-y', 'r2-1-x']);
    expect(api.all('Namespace').map((n) => n.metadata.name)).to.deep.equal(['production']);
  });

  describe('ClusterNetworkPolicies', () => {
    const cnp = (name: string, labels: Record<string, string>) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name, labels } });

    it('should delete the run-labelled ClusterNetworkPolicies of one run and leave others\' and the cluster\'s own', async () => {
      const api = seeded();
      api.put(clusterNetworkPolicyCrd());
      for (const p of [cnp('r1-1-guard', { 'netseg.io/run-id': 'r1' }), cnp('r2-1-guard', { 'netseg.io/run-id': 'r2' }), cnp('platform-dns', { team: 'x' })]) api.put(p);
      const r = await cleanupKube(api, { runId: 'r1', clock: new FakeClock(), waitMs: 0 });
      expect(r.deletedPolicies).to.deep.equal(['ClusterNetworkPolicy/r1-1-guard']);
      expect(api.all('ClusterNetworkPolicy').map((p) => p.metadata.name).sort()).to.deep.equal(['platform-dns', 'r2-1-guard']);
    });

    it('should not list ClusterNetworkPolicies on a cluster that does not serve them', async () => {
      const api = seeded();
      const r = await cleanupKube(api, { runId: 'r1', clock: new FakeClock(), waitMs: 0 });
      expect(r.deletedPolicies).to.deep.equal([]);
      expect(api.callsOf('list').filter((c) => c.kind === 'ClusterNetworkPolicy')).to.deep.equal([]);
    });

    it('should still delete the namespaces when the credentials may not read CRDs', async () => {
      const api = seeded();
      const read = api.read.bind(api);
      api.read = async (ref) => (ref.kind === 'CustomResourceDefinition' ? Promise.reject(new Error('customresourcedefinitions is forbidden')) : read(ref));
      const logged: string[] = [];
      const r = await cleanupKube(api, { runId: 'r1', clock: new FakeClock(), waitMs: 0, log: (m) => logged.push(m) });
      expect(r.deleted).to.deep.equal(['r1-1-x', 'r1-1-y']);
      expect(logged.join('\n')).to.match(/cannot check for ClusterNetworkPolicies \(customresourcedefinitions is forbidden\)/);
    });
  });

  describe('CiliumClusterwideNetworkPolicies', () => {
    const ccnp = (name: string, labels: Record<string, string>) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name, labels } });
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'ciliumclusterwidenetworkpolicies.cilium.io' } };

    it("should delete the run-labelled CiliumClusterwideNetworkPolicies of one run and leave others' and the cluster's own", async () => {
      const api = seeded();
      api.put(crd);
      for (const p of [ccnp('r1-1-guard', { 'netseg.io/run-id': 'r1' }), ccnp('r2-1-guard', { 'netseg.io/run-id': 'r2' }), ccnp('platform', { team: 'x' })]) api.put(p);
      const r = await cleanupKube(api, { runId: 'r1', clock: new FakeClock(), waitMs: 0 });
      expect(r.deletedPolicies).to.deep.equal(['CiliumClusterwideNetworkPolicy/r1-1-guard']);
      expect(api.all('CiliumClusterwideNetworkPolicy').map((p) => p.metadata.name).sort()).to.deep.equal(['platform', 'r2-1-guard']);
    });

    it('should not list them on a cluster without Cilium', async () => {
      const api = seeded();
      await cleanupKube(api, { runId: 'r1', clock: new FakeClock(), waitMs: 0 });
      expect(api.callsOf('list').filter((c) => c.kind === 'CiliumClusterwideNetworkPolicy')).to.deep.equal([]);
    });
  });

  describe('Calico objects', () => {
    const calico = (kind: string, name: string, labels: Record<string, string>) => ({ apiVersion: 'crd.projectcalico.org/v1', kind, metadata: { name, labels } });
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'globalnetworkpolicies.crd.projectcalico.org' } };

    it('should delete the run-labelled GlobalNetworkPolicies, then Tiers, of one run and leave the rest', async () => {
      const api = seeded();
      api.put(crd);
      for (const o of [calico('GlobalNetworkPolicy', 'r1-1-deny', { 'netseg.io/run-id': 'r1' }), calico('GlobalNetworkPolicy', 'platform', {}), calico('Tier', 'r1-1-security', { 'netseg.io/run-id': 'r1' }), calico('Tier', 'r2-1-security', { 'netseg.io/run-id': 'r2' })]) api.put(o);
      const r = await cleanupKube(api, { runId: 'r1', clock: new FakeClock(), waitMs: 0 });
      expect(r.deletedPolicies).to.deep.equal(['GlobalNetworkPolicy/r1-1-deny', 'Tier/r1-1-security']);
      expect([...api.all('GlobalNetworkPolicy'), ...api.all('Tier')].map((o) => o.metadata.name)).to.deep.equal(['platform', 'r2-1-security']);
    });

    it('should list no Calico objects on a cluster without Calico\'s CRDs, nor when told not to', async () => {
      const api = seeded();
      await cleanupKube(api, { runId: 'r1', clock: new FakeClock(), waitMs: 0 });
      api.put(crd);
      await cleanupKube(api, { runId: 'r1', clock: new FakeClock(), waitMs: 0, calicoPolicies: false });
      expect(api.callsOf('list').filter((c) => c.kind === 'GlobalNetworkPolicy' || c.kind === 'Tier')).to.deep.equal([]);
    });
  });
});
